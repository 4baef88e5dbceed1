import { expect } from "chai";
import { validateAccountAndNetwork } from "../../config";
import { MODEL_CATALOG } from "../../lib/models";
import { itRejects, run } from "../support/validatorRun";

describe("config/account", () => {
  it("defaults to a keyless AIServices account open to all networks in a new group", () => {
    expect(run({}, (r) => validateAccountAndNetwork(r))).to.deep.equal({
      value: {
        existingResourceGroupName: undefined,
        accountKind: "AIServices",
        accountSku: "S0",
        disableLocalAuth: true,
        publicNetworkAccess: "Enabled",
        allowedIpRanges: [],
        foundryProject: undefined,
      },
      problems: [],
    });
  });

  const cases: [string, Record<string, string>, string][] = [
    [
      "an unknown account kind",
      { accountKind: "CognitiveServices" },
      '`azure-openai-finetune:accountKind` is "CognitiveServices"; allowed values: AIServices, OpenAI',
    ],
    [
      "a non-boolean flag",
      { disableLocalAuth: "yes" },
      '`azure-openai-finetune:disableLocalAuth` is "yes"; use true or false',
    ],
    [
      "an unknown network access value",
      { publicNetworkAccess: "Private" },
      '`azure-openai-finetune:publicNetworkAccess` is "Private"; allowed values: Enabled, Disabled',
    ],
    [
      "an IP range that is not IPv4",
      { allowedIpRanges: '["10.0.0.300/24"]' },
      '`azure-openai-finetune:allowedIpRanges` is "10.0.0.300/24"; each entry must be an IPv4 address or CIDR range such as 203.0.113.0/24',
    ],
    [
      "IP ranges that are not a list",
      { allowedIpRanges: "10.0.0.0/8" },
      '`azure-openai-finetune:allowedIpRanges` is "10.0.0.0/8"; use a list of IPv4 addresses or CIDR ranges (set it with `pulumi config set --path` or as YAML in the stack file)',
    ],
    [
      "a Foundry project on a classic account",
      { foundryProject: "travel", accountKind: "OpenAI" },
      '`azure-openai-finetune:foundryProject` is "travel" but Foundry projects need `azure-openai-finetune:accountKind` AIServices, not OpenAI; set `azure-openai-finetune:accountKind` to AIServices or remove `azure-openai-finetune:foundryProject`',
    ],
    [
      "a resource group name ending in a dot",
      { resourceGroupName: "ml." },
      "`azure-openai-finetune:resourceGroupName` is \"ml.\"; use 1-90 letters, digits, '-', '_', '.', '(' or ')', not ending in '.'",
    ],
  ];
  itRejects(cases, (r) => validateAccountAndNetwork(r));

  it("refuses an open model on a classic account: open models train only on Foundry resources", () => {
    const model = { id: "gpt-oss-20b", model: MODEL_CATALOG["gpt-oss-20b"] };
    expect(
      run({ accountKind: "OpenAI" }, (r) => validateAccountAndNetwork(r, model)).problems,
    ).to.deep.equal([
      '`azure-openai-finetune:accountKind` is "OpenAI" but gpt-oss-20b is fine-tuned only on Foundry resources; set `azure-openai-finetune:accountKind` to AIServices',
    ]);
  });
});

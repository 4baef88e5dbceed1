import { expect } from "chai";
import { CONFIG_KEYS, ConfigError, parseStackConfig, RawConfig, StackConfig } from "../config";
import { projectDefaults, stackConfig } from "./support/stackConfig";

function problemsOf(raw: RawConfig, stack = "dev"): readonly string[] {
  try {
    parseStackConfig(raw, stack);
  } catch (err) {
    expect(err).to.be.instanceOf(ConfigError);
    return (err as ConfigError).problems;
  }
  return [];
}

describe("config", () => {
  describe("parseStackConfig defaults", () => {
    const config: StackConfig = parseStackConfig({}, "dev");

    it("applies every default when nothing is set", () => {
      expect(config).to.deep.equal({
        environment: "dev",
        location: "swedencentral",
        existingResourceGroupName: undefined,
        accountKind: "AIServices",
        accountSku: "S0",
        disableLocalAuth: true,
        publicNetworkAccess: "Enabled",
        allowedIpRanges: [],
        baseModel: "gpt-4o-2024-08-06",
        baseDeploymentName: "gpt-4o-base",
        baseDeploymentSku: "GlobalStandard",
        baseDeploymentCapacity: 10,
        trainingFile: "data/travel-assistant.jsonl",
        validationFile: undefined,
        trainingType: "GlobalStandard",
        epochs: 3,
        batchSize: "auto",
        learningRateMultiplier: "auto",
        suffix: "travel",
        seed: undefined,
        jobDeadlineMinutes: 240,
        maxBilledTokens: 2000000,
        tunedDeploymentName: "gpt-4o-travel",
        tunedDeploymentSku: "GlobalStandard",
        tunedDeploymentCapacity: 1,
        deployerPrincipalType: "User",
        principals: [],
        inferencePrincipals: [],
        ciRepository: undefined,
        ciBranch: "main",
        ciEnvironments: ["dev"],
        foundryProject: undefined,
        purgeOnDestroy: true,
        apiVersion: "2025-04-01-preview",
        tags: {
          environment: "dev",
          "managed-by": "pulumi",
          "pulumi-project": "azure-openai-finetune",
        },
      });
    });

    it("gives Pulumi.yaml's declared defaults the same meaning as the code's", () => {
      expect(parseStackConfig(projectDefaults(), "dev")).to.deep.equal(config);
    });

    it("declares every key but tags in Pulumi.yaml", () => {
      expect(Object.keys(projectDefaults()).sort()).to.deep.equal(
        CONFIG_KEYS.filter((k) => k !== "tags").sort(),
      );
    });

    it("keeps the soft-deleted account in prod unless asked", () => {
      expect(parseStackConfig({}, "prod").purgeOnDestroy).to.equal(false);
    });

    it("resolves a short model alias to its dated id", () => {
      expect(parseStackConfig({ baseModel: "gpt-4.1-nano" }, "dev").baseModel).to.equal(
        "gpt-4.1-nano-2025-04-14",
      );
    });

    it("reads arrays and numbers as the stack files store them", () => {
      const dev = parseStackConfig(stackConfig("dev"), "dev");
      expect([
        dev.baseModel,
        dev.trainingType,
        dev.tunedDeploymentSku,
        dev.tunedDeploymentCapacity,
        dev.seed,
        dev.ciEnvironments,
      ]).to.deep.equal(["gpt-4.1-mini-2025-04-14", "Developer", "DeveloperTier", 50, 42, ["dev"]]);
      const prod = parseStackConfig(stackConfig("prod"), "prod");
      expect([prod.allowedIpRanges, prod.principals, prod.purgeOnDestroy]).to.deep.equal([
        ["203.0.113.0/24"],
        [{ type: "Group", objectId: "00000000-0000-0000-0000-00000000a11c" }],
        false,
      ]);
    });
  });

  describe("parseStackConfig errors", () => {
    const cases: [string, RawConfig, string][] = [
      [
        "an unknown key",
        { loction: "eastus" },
        "`azure-openai-finetune:loction` is not a setting of this program; remove it or check its spelling",
      ],
      [
        "a region without fine-tuning",
        { location: "westus9" },
        '`azure-openai-finetune:location` is "westus9"; use a region that offers fine-tuning: australiaeast, brazilsouth, canadacentral, canadaeast, eastus, eastus2, francecentral, germanywestcentral, italynorth, japaneast, koreacentral, northcentralus, norwayeast, polandcentral, southafricanorth, southcentralus, southeastasia, southindia, spaincentral, swedencentral, switzerlandnorth, switzerlandwest, uksouth, westeurope, westus, westus3',
      ],
      [
        "a model that cannot be fine-tuned",
        { baseModel: "gpt-5" },
        '`azure-openai-finetune:baseModel` is "gpt-5"; use a fine-tunable base model: gpt-4o-2024-08-06, gpt-4o-mini-2024-07-18, gpt-4.1-2025-04-14, gpt-4.1-mini-2025-04-14, gpt-4.1-nano-2025-04-14, o4-mini-2025-04-16',
      ],
      [
        "a fine-tuned model as base",
        { baseModel: "gpt-4o-2024-08-06.ft-abc123" },
        '`azure-openai-finetune:baseModel` is "gpt-4o-2024-08-06.ft-abc123"; use a fine-tunable base model: gpt-4o-2024-08-06, gpt-4o-mini-2024-07-18, gpt-4.1-2025-04-14, gpt-4.1-mini-2025-04-14, gpt-4.1-nano-2025-04-14, o4-mini-2025-04-16',
      ],
      [
        "Standard training outside the model's regions",
        { trainingType: "Standard", location: "eastus" },
        '`azure-openai-finetune:location` is "eastus" but Standard training of gpt-4o-2024-08-06 runs only in eastus2, northcentralus, swedencentral; change `azure-openai-finetune:location` or set `azure-openai-finetune:trainingType` to GlobalStandard',
      ],
      [
        "a model fine-tuned only by reinforcement (o4-mini)",
        { baseModel: "o4-mini-2025-04-16" },
        '`azure-openai-finetune:baseModel` is "o4-mini-2025-04-16" but it is fine-tuned only with reinforcement, which this program does not run (it runs supervised and DPO jobs); use one of gpt-4o-2024-08-06, gpt-4o-mini-2024-07-18, gpt-4.1-2025-04-14, gpt-4.1-mini-2025-04-14, gpt-4.1-nano-2025-04-14',
      ],
      [
        "an unknown training type",
        { trainingType: "Spot" },
        '`azure-openai-finetune:trainingType` is "Spot"; allowed values: Standard, GlobalStandard, Developer',
      ],
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
        "a capacity out of range",
        { baseDeploymentCapacity: "0" },
        '`azure-openai-finetune:baseDeploymentCapacity` is "0"; use a whole number from 1 to 10000',
      ],
      [
        "an unknown base SKU",
        { baseDeploymentSku: "Premium" },
        '`azure-openai-finetune:baseDeploymentSku` is "Premium"; allowed values: Standard, GlobalStandard, DataZoneStandard, ProvisionedManaged, GlobalProvisionedManaged',
      ],
      [
        "a Developer deployment of gpt-4o",
        { tunedDeploymentSku: "DeveloperTier" },
        '`azure-openai-finetune:tunedDeploymentSku` is "DeveloperTier" but Developer deployments host only the gpt-4.1 family, not gpt-4o-2024-08-06; use Standard or GlobalStandard, or a gpt-4.1 `azure-openai-finetune:baseModel`',
      ],
      [
        "too many epochs",
        { epochs: "51" },
        '`azure-openai-finetune:epochs` is "51"; use "auto" or a whole number from 1 to 50',
      ],
      [
        "a fractional batch size",
        { batchSize: "2.5" },
        '`azure-openai-finetune:batchSize` is "2.5"; use "auto" or a whole number from 1 to 256',
      ],
      [
        "a learning-rate multiplier out of range",
        { learningRateMultiplier: "0" },
        '`azure-openai-finetune:learningRateMultiplier` is "0"; use "auto" or a number from 0.01 to 10',
      ],
      [
        "a suffix with a dot",
        { suffix: "travel.v2" },
        "`azure-openai-finetune:suffix` is \"travel.v2\"; use 1-40 letters, digits, '-' or '_' (Azure appends it to the fine-tuned model name)",
      ],
      [
        "a negative seed",
        { seed: "-1" },
        '`azure-openai-finetune:seed` is "-1"; use a whole number from 0 to 2147483647',
      ],
      [
        "a zero deadline",
        { jobDeadlineMinutes: "0" },
        '`azure-openai-finetune:jobDeadlineMinutes` is "0"; use a whole number from 1 to 43200',
      ],
      [
        "a training file that is not JSONL",
        { trainingFile: "data/train.csv" },
        '`azure-openai-finetune:trainingFile` is "data/train.csv"; point it at a .jsonl file (path relative to the project directory)',
      ],
      [
        "a principal without a type",
        { principals: '["0c1d2e3f-0000-0000-0000-000000000001"]' },
        '`azure-openai-finetune:principals` is "0c1d2e3f-0000-0000-0000-000000000001"; each entry must be "User:<objectId>", "Group:<objectId>" or "ServicePrincipal:<objectId>" with a GUID object id',
      ],
      [
        "a repository without owner",
        { ciRepository: "fine-tuning" },
        '`azure-openai-finetune:ciRepository` is "fine-tuning"; use the GitHub "owner/repository" form, e.g. contoso/ml-platform',
      ],
      [
        "a Foundry project on a classic account",
        { foundryProject: "travel", accountKind: "OpenAI" },
        '`azure-openai-finetune:foundryProject` is "travel" but Foundry projects need `azure-openai-finetune:accountKind` AIServices, not OpenAI; set `azure-openai-finetune:accountKind` to AIServices or remove `azure-openai-finetune:foundryProject`',
      ],
      [
        "an environment with capitals",
        { environment: "Dev" },
        '`azure-openai-finetune:environment` is "Dev"; use 1-16 lowercase letters, digits or hyphens (it becomes part of resource names); set it explicitly when the stack name does not fit',
      ],
      [
        "an API version that is not dated",
        { apiVersion: "latest" },
        '`azure-openai-finetune:apiVersion` is "latest"; use a dated data-plane API version such as "2025-04-01-preview" or "2024-10-21"',
      ],
      [
        "the same name for both deployments",
        { baseDeploymentName: "travel", tunedDeploymentName: "travel" },
        '`azure-openai-finetune:tunedDeploymentName` and `azure-openai-finetune:baseDeploymentName` are both "travel"; give the two deployments different names',
      ],
      [
        "tags that are not a map",
        { tags: '["a"]' },
        '`azure-openai-finetune:tags` is "[\\"a\\"]"; use a map of string tag names to string values',
      ],
      [
        "an unknown deployer principal type",
        { deployerPrincipalType: "ManagedIdentity" },
        '`azure-openai-finetune:deployerPrincipalType` is "ManagedIdentity"; allowed values: User, Group, ServicePrincipal',
      ],
    ];
    for (const [what, raw, message] of cases) {
      it(`rejects ${what}`, () => {
        expect(problemsOf(raw)).to.deep.equal([message]);
      });
    }

    it("reports every problem at once, in one error", () => {
      expect(() => parseStackConfig({ epochs: "0", suffix: "a b" }, "dev")).to.throw(
        ConfigError,
        "Invalid stack configuration:\n" +
          "  - `azure-openai-finetune:suffix` is \"a b\"; use 1-40 letters, digits, '-' or '_' (Azure appends it to the fine-tuned model name)\n" +
          '  - `azure-openai-finetune:epochs` is "0"; use "auto" or a whole number from 1 to 50',
      );
    });
  });
});

import { expect } from "chai";
import { parseStackConfig, validateAccountSource } from "../../config";
import { itRejects, run } from "../support/validatorRun";

const ID =
  "/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/shared-ai/providers/Microsoft.CognitiveServices/accounts/team-openai";
const dev = { production: false, purgeOnDestroy: true };
const prod = { production: true, purgeOnDestroy: false };

describe("config/accountSource", () => {
  it("creates an unprotected account outside production", () => {
    expect(run({}, (r) => validateAccountSource(r, dev))).to.deep.equal({
      value: {
        existingAccount: undefined,
        existingBaseDeploymentName: undefined,
        accountName: undefined,
        accountSubdomain: undefined,
        protectAccount: false,
        retainAccountOnDelete: false,
      },
      problems: [],
    });
  });

  describe("accountName and accountSubdomain (adopting an account)", () => {
    // The ARM rule (cognitiveservices.json 2025-06-01 `accountNameParameter`): 2-64 characters,
    // pattern ^[a-zA-Z0-9][a-zA-Z0-9_.-]*$.
    const named = (raw: Record<string, string>) => {
      const { value, problems } = run(raw, (r) => validateAccountSource(r, dev));
      return [value.accountName, value.accountSubdomain, problems];
    };

    it("uses the name as the subdomain when no subdomain is set", () => {
      expect(named({ accountName: "team-openai" })).to.deep.equal([
        "team-openai",
        "team-openai",
        [],
      ]);
    });

    it("keeps a subdomain that differs from the name", () => {
      expect(
        named({ accountName: "Team_OpenAI.1", accountSubdomain: "team-openai-1" }),
      ).to.deep.equal(["Team_OpenAI.1", "team-openai-1", []]);
    });

    it("accepts the shortest and longest names ARM accepts", () => {
      expect([
        named({ accountName: "ab" })[2],
        named({ accountName: "a".repeat(63) })[2],
      ]).to.deep.equal([[], []]);
      expect(named({ accountName: "a".repeat(64), accountSubdomain: "a" })[2]).to.deep.equal([]);
    });

    it("derives both when neither is set", () => {
      expect(named({})).to.deep.equal([undefined, undefined, []]);
    });
  });

  it("protects and retains a production account by default", () => {
    const { value } = run({}, (r) => validateAccountSource(r, prod));
    expect([value.protectAccount, value.retainAccountOnDelete]).to.deep.equal([true, true]);
  });

  it("purges a production account only when protection and retention are turned off explicitly", () => {
    const { value, problems } = run(
      { purgeOnDestroy: "true", protectAccount: "false", retainAccountOnDelete: "false" },
      (r) => validateAccountSource(r, { production: true, purgeOnDestroy: true }),
    );
    expect([value.protectAccount, value.retainAccountOnDelete, problems]).to.deep.equal([
      false,
      false,
      [],
    ]);
  });

  it("lets a stack turn protection off explicitly", () => {
    const { value } = run({ protectAccount: "false", retainAccountOnDelete: "false" }, (r) =>
      validateAccountSource(r, prod),
    );
    expect([value.protectAccount, value.retainAccountOnDelete]).to.deep.equal([false, false]);
  });

  it("splits an existing account's resource id and keeps the named base deployment", () => {
    const { value, problems } = run(
      { existingAccount: ID, baseDeploymentName: "gpt-4.1-mini" },
      (r) => validateAccountSource(r, dev),
    );
    expect([value.existingAccount, value.existingBaseDeploymentName, problems]).to.deep.equal([
      {
        id: ID,
        subscriptionId: "11111111-2222-3333-4444-555555555555",
        resourceGroupName: "shared-ai",
        name: "team-openai",
      },
      "gpt-4.1-mini",
      [],
    ]);
  });

  it("does not call purging a connected account a conflict: it is never purged", () => {
    expect(
      run({ existingAccount: ID, protectAccount: "true" }, (r) => validateAccountSource(r, dev))
        .problems,
    ).to.deep.equal([]);
  });

  itRejects(
    [
      [
        "an account name instead of a resource id",
        { existingAccount: "team-openai" },
        '`azure-openai-finetune:existingAccount` is "team-openai"; use the account\'s ARM resource id, /subscriptions/<subscription id>/resourceGroups/<group>/providers/Microsoft.CognitiveServices/accounts/<name> (az cognitiveservices account show --name <name> --resource-group <group> --query id)',
      ],
      [
        "an account name of one character",
        { accountName: "a" },
        "`azure-openai-finetune:accountName` is \"a\"; use 2-64 letters, digits, '_', '.' or '-', starting with a letter or digit (az cognitiveservices account show --query name prints an existing account's)",
      ],
      [
        "an account name of 65 characters",
        { accountName: "a".repeat(65) },
        `\`azure-openai-finetune:accountName\` is "${"a".repeat(65)}"; use 2-64 letters, digits, '_', '.' or '-', starting with a letter or digit (az cognitiveservices account show --query name prints an existing account's)`,
      ],
      [
        "an account name starting with a hyphen",
        { accountName: "-team" },
        "`azure-openai-finetune:accountName` is \"-team\"; use 2-64 letters, digits, '_', '.' or '-', starting with a letter or digit (az cognitiveservices account show --query name prints an existing account's)",
      ],
      [
        "an account name with a space",
        { accountName: "team openai" },
        "`azure-openai-finetune:accountName` is \"team openai\"; use 2-64 letters, digits, '_', '.' or '-', starting with a letter or digit (az cognitiveservices account show --query name prints an existing account's)",
      ],
      [
        "a name that cannot be its own subdomain, without a subdomain",
        { accountName: "team_openai" },
        '`azure-openai-finetune:accountName` is "team_openai", which is not a DNS label, so it cannot also be the custom subdomain; set `azure-openai-finetune:accountSubdomain` to the account\'s subdomain (az cognitiveservices account show --query properties.customSubDomainName)',
      ],
      [
        "a subdomain ending in a hyphen",
        { accountName: "team", accountSubdomain: "team-" },
        '`azure-openai-finetune:accountSubdomain` is "team-"; use 1-63 letters, digits or hyphens, starting and ending with a letter or digit (az cognitiveservices account show --query properties.customSubDomainName prints an existing account\'s)',
      ],
      [
        "a subdomain of 64 characters",
        { accountName: "team", accountSubdomain: "a".repeat(64) },
        `\`azure-openai-finetune:accountSubdomain\` is "${"a".repeat(64)}"; use 1-63 letters, digits or hyphens, starting and ending with a letter or digit (az cognitiveservices account show --query properties.customSubDomainName prints an existing account's)`,
      ],
      [
        "a subdomain without a name",
        { accountSubdomain: "team" },
        '`azure-openai-finetune:accountSubdomain` is "team" but `azure-openai-finetune:accountName` is not set; set `azure-openai-finetune:accountName` too (the derived name is its own subdomain)',
      ],
      [
        "an account name in a connected stack",
        { existingAccount: ID, accountName: "team-openai" },
        '`azure-openai-finetune:accountName` is "team-openai"; remove it: a connected account\'s name and subdomain are read from `azure-openai-finetune:existingAccount`',
      ],
      [
        "protection together with purging",
        { protectAccount: "true" },
        "`azure-openai-finetune:protectAccount` is true but `azure-openai-finetune:purgeOnDestroy` is true too: a kept account must not be purged; set `azure-openai-finetune:purgeOnDestroy` to false, or set `azure-openai-finetune:protectAccount` to false to let destroy delete and purge the account",
      ],
      [
        "retention together with purging",
        { retainAccountOnDelete: "true" },
        "`azure-openai-finetune:retainAccountOnDelete` is true but `azure-openai-finetune:purgeOnDestroy` is true too: a kept account must not be purged; set `azure-openai-finetune:purgeOnDestroy` to false, or set `azure-openai-finetune:retainAccountOnDelete` to false to let destroy delete and purge the account",
      ],
    ],
    (r) => validateAccountSource(r, dev),
  );

  describe("an explicit purge in production", () => {
    const purgingProd = { production: true, purgeOnDestroy: true };
    itRejects(
      [
        [
          "with protection and retention left at the production default",
          { purgeOnDestroy: "true" },
          "`azure-openai-finetune:protectAccount` is true (the default because `azure-openai-finetune:production` is true) and `azure-openai-finetune:retainAccountOnDelete` is true (the default because `azure-openai-finetune:production` is true) but `azure-openai-finetune:purgeOnDestroy` is true too: a kept account must not be purged; set `azure-openai-finetune:purgeOnDestroy` to false, or set `azure-openai-finetune:protectAccount` and `azure-openai-finetune:retainAccountOnDelete` to false to let destroy delete and purge the account",
        ],
        [
          "with only protection turned off",
          { purgeOnDestroy: "true", protectAccount: "false" },
          "`azure-openai-finetune:retainAccountOnDelete` is true (the default because `azure-openai-finetune:production` is true) but `azure-openai-finetune:purgeOnDestroy` is true too: a kept account must not be purged; set `azure-openai-finetune:purgeOnDestroy` to false, or set `azure-openai-finetune:retainAccountOnDelete` to false to let destroy delete and purge the account",
        ],
        [
          "with retention explicitly on",
          { purgeOnDestroy: "true", protectAccount: "false", retainAccountOnDelete: "true" },
          "`azure-openai-finetune:retainAccountOnDelete` is true but `azure-openai-finetune:purgeOnDestroy` is true too: a kept account must not be purged; set `azure-openai-finetune:purgeOnDestroy` to false, or set `azure-openai-finetune:retainAccountOnDelete` to false to let destroy delete and purge the account",
        ],
      ],
      (r) => validateAccountSource(r, purgingProd),
    );

    it("is reported by parseStackConfig with the production default applied", () => {
      expect(() =>
        parseStackConfig(
          { production: "true", purgeOnDestroy: "true", protectAccount: "false" },
          "prod",
        ),
      ).to.throw(
        "Invalid stack configuration:\n  - `azure-openai-finetune:retainAccountOnDelete` is true (the default because `azure-openai-finetune:production` is true) but `azure-openai-finetune:purgeOnDestroy` is true too: a kept account must not be purged; set `azure-openai-finetune:purgeOnDestroy` to false, or set `azure-openai-finetune:retainAccountOnDelete` to false to let destroy delete and purge the account",
      );
    });
  });

  it("deploys no base model into a connected account unless asked to", () => {
    const connected = parseStackConfig({ existingAccount: ID }, "dev");
    const asked = parseStackConfig({ existingAccount: ID, baseDeployment: "true" }, "dev");
    expect([connected.baseDeployment, asked.baseDeployment]).to.deep.equal([false, true]);
  });
});

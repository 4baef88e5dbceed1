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
        protectAccount: false,
        retainAccountOnDelete: false,
      },
      problems: [],
    });
  });

  it("protects and retains a production account by default", () => {
    const { value } = run({}, (r) => validateAccountSource(r, prod));
    expect([value.protectAccount, value.retainAccountOnDelete]).to.deep.equal([true, true]);
  });

  it("lets an explicit purge in production win over the protection default", () => {
    const { value, problems } = run({}, (r) =>
      validateAccountSource(r, { production: true, purgeOnDestroy: true }),
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
        "protection together with purging",
        { protectAccount: "true" },
        "`azure-openai-finetune:protectAccount` is true but `azure-openai-finetune:purgeOnDestroy` is true too: a kept account must not be purged; set `azure-openai-finetune:purgeOnDestroy` to false or `azure-openai-finetune:protectAccount` to false",
      ],
      [
        "retention together with purging",
        { retainAccountOnDelete: "true" },
        "`azure-openai-finetune:retainAccountOnDelete` is true but `azure-openai-finetune:purgeOnDestroy` is true too: a kept account must not be purged; set `azure-openai-finetune:purgeOnDestroy` to false or `azure-openai-finetune:retainAccountOnDelete` to false",
      ],
    ],
    (r) => validateAccountSource(r, dev),
  );

  it("deploys no base model into a connected account unless asked to", () => {
    const connected = parseStackConfig({ existingAccount: ID }, "dev");
    const asked = parseStackConfig({ existingAccount: ID, baseDeployment: "true" }, "dev");
    expect([connected.baseDeployment, asked.baseDeployment]).to.deep.equal([false, true]);
  });
});

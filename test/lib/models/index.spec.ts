import { expect } from "chai";
import {
  FINE_TUNABLE_MODEL_IDS,
  FINE_TUNING_REGIONS,
  findModel,
  MODEL_CATALOG,
  resolveBaseModel,
  tunedDeploymentProblem,
} from "../../../lib/models";

const DEPLOY_SOURCE =
  "MicrosoftDocs/azure-ai-docs articles/ai-foundry/openai/how-to/fine-tuning-deploy.md @ 13842c09 (https://learn.microsoft.com/azure/ai-foundry/openai/how-to/fine-tuning-deploy#deployment-types)";

describe("lib/models", () => {
  it("lists the models the providers handle by dated id", () => {
    expect(FINE_TUNABLE_MODEL_IDS).to.deep.equal([
      "gpt-4o-2024-08-06",
      "gpt-4o-mini-2024-07-18",
      "gpt-4.1-2025-04-14",
      "gpt-4.1-mini-2025-04-14",
      "gpt-4.1-nano-2025-04-14",
      "o4-mini-2025-04-16",
    ]);
  });

  it("resolves dated ids, aliases, fine-tuned ids and checkpoints to the base", () => {
    expect([
      resolveBaseModel("gpt-4o-2024-08-06"),
      resolveBaseModel("gpt-4o"),
      resolveBaseModel("gpt-4o-mini"),
      resolveBaseModel("gpt-4.1-mini-2025-04-14.ft-0e208cf33a6a466994aff31a08aba678"),
      resolveBaseModel("gpt-4o-2024-08-06.ft-abc123:ckpt-step-10"),
    ]).to.deep.equal([
      "gpt-4o-2024-08-06",
      "gpt-4o-2024-08-06",
      "gpt-4o-mini-2024-07-18",
      "gpt-4.1-mini-2025-04-14",
      "gpt-4o-2024-08-06",
    ]);
  });

  it("returns undefined for models the providers cannot handle", () => {
    expect([
      resolveBaseModel("gpt-5"),
      resolveBaseModel("gpt-35-turbo"),
      resolveBaseModel(""),
      resolveBaseModel("toString"),
    ]).to.deep.equal([undefined, undefined, undefined, undefined]);
  });

  it("finds catalog models by id or alias, and nothing for unknown ones", () => {
    expect([
      findModel("gpt-5")?.id,
      findModel("gpt-oss-20b")?.id,
      findModel("gpt-4.1-mini")?.id,
      findModel("gpt-35-turbo"),
      findModel("constructor"),
    ]).to.deep.equal([
      "gpt-5-2025-08-07",
      "gpt-oss-20b",
      "gpt-4.1-mini-2025-04-14",
      undefined,
      undefined,
    ]);
  });

  it("includes every Standard training region among the fine-tuning regions", () => {
    expect(FINE_TUNING_REGIONS).to.include.members(["eastus2", "northcentralus", "swedencentral"]);
    expect([...FINE_TUNING_REGIONS].sort()).to.deep.equal(FINE_TUNING_REGIONS);
  });

  describe("tunedDeploymentProblem", () => {
    const problem = (id: string, sku: Parameters<typeof tunedDeploymentProblem>[2], at: string) =>
      tunedDeploymentProblem(id, MODEL_CATALOG[id], sku, at);

    it("accepts the documented combinations", () => {
      expect([
        problem("gpt-4o-2024-08-06", "Standard", "swedencentral"),
        problem("gpt-4o-2024-08-06", "GlobalStandard", "westus3"),
        problem("gpt-4.1-mini-2025-04-14", "DeveloperTier", "eastus"),
        problem("gpt-4.1-2025-04-14", "ProvisionedManaged", "swedencentral"),
      ]).to.deep.equal([undefined, undefined, undefined, undefined]);
    });

    it("refuses a Standard deployment outside the model's regions, naming what works there", () => {
      expect(problem("gpt-4o-2024-08-06", "Standard", "northcentralus")).to.equal(
        `a Standard fine-tuned deployment runs for gpt-4o-2024-08-06 only in eastus2, swedencentral (source: ${DEPLOY_SOURCE}); in northcentralus use one of: GlobalStandard, ProvisionedManaged`,
      );
    });

    it("refuses a deployment type the model does not offer", () => {
      expect(problem("gpt-4o-2024-08-06", "DeveloperTier", "swedencentral")).to.equal(
        `a DeveloperTier fine-tuned deployment is not offered for gpt-4o-2024-08-06 (source: ${DEPLOY_SOURCE}); in swedencentral use one of: Standard, GlobalStandard, ProvisionedManaged`,
      );
    });

    it("leaves models with no published deployment table to Azure", () => {
      expect(problem("gpt-oss-20b", "Standard", "swedencentral")).to.equal(undefined);
    });
  });
});

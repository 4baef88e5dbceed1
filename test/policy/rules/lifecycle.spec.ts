import { expect } from "chai";
import { TYPES } from "../../../policy/resources";
import { modelOf, modelRetirementPolicy } from "../../../policy/rules/lifecycle";
import { baseDeployment, tunedDeployment } from "../fixtures";
import { UNKNOWN, validateStack } from "../support";

const SOURCE =
  "MicrosoftDocs/azure-ai-docs articles/ai-foundry/openai/includes/retirement/models.md @ 31c50ba1 (https://learn.microsoft.com/azure/ai-foundry/openai/concepts/model-retirements)";

const job = {
  type: TYPES.fineTuningJob,
  name: "ft-dev-tuned-job",
  props: { baseModel: "gpt-4.1-mini-2025-04-14", trainingType: "Developer" },
};
const file = {
  type: TYPES.trainingFile,
  name: "ft-dev-tuned-training-file",
  props: { model: "gpt-4.1-mini-2025-04-14" },
};

describe("policy: model-retirement", () => {
  const on = (day: string) => modelRetirementPolicy(() => new Date(`${day}T00:00:00Z`));

  it("names the model each resource trains or serves", () => {
    expect(modelOf(job)).to.equal("gpt-4.1-mini-2025-04-14");
    expect(modelOf(file)).to.equal("gpt-4.1-mini-2025-04-14");
    expect(modelOf(baseDeployment({ name: "GlobalStandard" }))).to.equal("gpt-4.1-mini-2025-04-14");
    expect(modelOf(tunedDeployment({ name: "DeveloperTier" }))).to.equal(
      "gpt-4.1-mini-2025-04-14.ft-0123456789abcdef",
    );
  });

  it("warns once per model about each date that has passed, at the first resource using it", async () => {
    const resources = [file, job, baseDeployment({ name: "GlobalStandard" })];
    const diagnostics = await validateStack([on("2026-05-01")], resources);
    expect(diagnostics.map((d) => [d.level, d.urn, d.reported])).to.deep.equal([
      [
        "advisory",
        "urn:pulumi:dev::azure-openai-finetune::pulumi-nodejs:dynamic/azure-openai:TrainingFile::ft-dev-tuned-training-file",
        "gpt-4.1-mini-2025-04-14: the published deprecation date (no new customers) is 2026-04-14 (no new customers), on or before today (2026-05-01); " +
          `Azure may refuse it or may have moved the date. Source: ${SOURCE}`,
      ],
    ]);
  });

  it("says nothing before the first date", async () => {
    const resources = [file, job, tunedDeployment({ name: "DeveloperTier" })];
    expect(await validateStack([on("2026-04-13")], resources)).to.deep.equal([]);
  });

  it("lists every passed date of a model once", async () => {
    const diagnostics = await validateStack([on("2027-10-14")], [job]);
    expect(diagnostics.map((d) => d.reported.split(", on or before")[0])).to.deep.equal([
      "gpt-4.1-mini-2025-04-14: the published deprecation date (no new customers) is 2026-04-14 (no new customers)",
      "gpt-4.1-mini-2025-04-14: the published base model retirement date is 2026-10-14",
      "gpt-4.1-mini-2025-04-14: the published fine-tuning (training) retirement date is no earlier than 2027-04-14 (existing customers only; otherwise at base model retirement)",
      "gpt-4.1-mini-2025-04-14: the published fine-tuned deployment retirement date is 2027-10-14",
    ]);
  });

  it("skips a tuned model unknown at preview and a model the catalog does not know", async () => {
    const unknown = tunedDeployment({ name: "DeveloperTier" }, UNKNOWN);
    const other = { type: TYPES.fineTuningJob, name: "j", props: { baseModel: "my-model-1" } };
    expect(await validateStack([on("2030-01-01")], [unknown, other])).to.deep.equal([]);
  });
});

import { expect } from "chai";
import { isOurJob } from "../../../dynamic-providers/fineTuningJob/adopt";
import { withDefaults } from "../../../dynamic-providers/fineTuningJob/check";

// A job as the dated 2025-04-01-preview surface answers it, without `metadata` (its spec has none:
// Azure/azure-rest-api-specs specification/cognitiveservices/data-plane/AzureOpenAI/authoring/
// preview/2025-04-01-preview/examples/get_finetuning_job.json shape).
const listed = {
  id: "ftjob-72a3b2ce9a3e4e5c9f5c1c8f5d7c2e11",
  object: "fine_tuning.job",
  model: "gpt-4.1-mini-2025-04-14",
  training_file: "file-181a1cbdcdec4677b2b5a3a01ad9a1ad",
  validation_file: null,
  status: "succeeded",
  created_at: 1646126127,
  finished_at: 1646127311,
  fine_tuned_model: "gpt-4.1-mini-2025-04-14.ft-72a3b2ce9a3e4e5c9f5c1c8f5d7c2e11-travel",
  hyperparameters: { n_epochs: 3, batch_size: 1, learning_rate_multiplier: 1 },
  method: {
    type: "supervised",
    supervised: { hyperparameters: { n_epochs: 3, batch_size: 1, learning_rate_multiplier: 1 } },
  },
  seed: 1498531,
  suffix: "travel",
  trainingType: "globalstandard",
  result_files: [],
  trained_tokens: 4884,
  error: null,
  organization_id: "",
} as any;

const inputs = (extra: Record<string, unknown> = {}) =>
  withDefaults({
    endpoint: "https://ft-dev.cognitiveservices.azure.com/",
    baseModel: "gpt-4.1-mini-2025-04-14",
    trainingFileId: "file-181a1cbdcdec4677b2b5a3a01ad9a1ad",
    suffix: "travel",
    deadlineMinutes: 60,
    logicalName: "proj/dev/tuned-job",
    ...extra,
  } as any);

describe("dynamic-providers/fineTuningJob/adopt isOurJob", () => {
  it("takes a job on this resource's file and base model, succeeded included, without metadata", () => {
    expect(isOurJob(listed, inputs(), "key")).to.equal(true);
  });

  it("never takes a failed or cancelled job", () => {
    for (const status of ["failed", "cancelled"]) {
      expect(isOurJob({ ...listed, status }, inputs(), "key")).to.equal(false);
    }
  });

  it("needs the same training file, base model, validation file, method, suffix and training type", () => {
    const differing: [Record<string, unknown>, Record<string, unknown>][] = [
      [{}, { trainingFileId: "file-other" }],
      [{}, { baseModel: "gpt-4.1-2025-04-14" }],
      [{}, { validationFileId: "file-validation" }],
      [{}, { method: "dpo" }],
      [{}, { suffix: "travel2" }],
      [{}, { suffix: undefined }],
      [{}, { trainingType: "Developer" }],
    ];
    for (const [job, wanted] of differing) {
      expect(
        isOurJob({ ...listed, ...job }, inputs(wanted), "key"),
        JSON.stringify(wanted),
      ).to.equal(false);
    }
  });

  it("compares hyperparameters and the seed only where the stack sets them", () => {
    expect(
      isOurJob(listed, inputs({ seed: 1498531, hyperparameters: { nEpochs: 3 } }), "k"),
    ).to.equal(true);
    expect(isOurJob(listed, inputs({ seed: 7 }), "k")).to.equal(false);
    expect(isOurJob(listed, inputs({ hyperparameters: { nEpochs: 2 } }), "k")).to.equal(false);
    expect(isOurJob(listed, inputs({ hyperparameters: { batchSize: 4 } }), "k")).to.equal(false);
  });

  it("lets metadata decide where Azure keeps it", () => {
    const marked = { ...listed, metadata: { "pulumi-idempotency-key": "other" } };
    expect(isOurJob(marked, inputs(), "mine")).to.equal(false);
    expect(isOurJob(marked, inputs({ baseModel: "gpt-4o" }), "other")).to.equal(true);
  });
});

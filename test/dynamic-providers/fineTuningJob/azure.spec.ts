import { expect } from "chai";
import { jobRequestBody } from "../../../dynamic-providers/fineTuningJob/azure";
import { withDefaults } from "../../../dynamic-providers/fineTuningJob/check";

// Literals copied from Azure/azure-rest-api-specs
// specification/cognitiveservices/data-plane/AzureOpenAI/authoring/preview/2025-04-01-preview/
// @ 57b4285acb4f11113cd38cdce09d1b30bbff4912, the surface DEFAULT_API_VERSION calls.
// examples/post_finetuning_job.json, `parameters.fineTuningJob` without its wandb integration:
const SPEC_EXAMPLE_JOB = {
  method: { type: "supervised" },
  model: "curie",
  training_file: "file-181a1cbdcdcf4677ada87f63a0928099",
};
// azureopenai.json, components.schemas: the properties of `DpoMethodRequest`,
// `DpoMethodConfigRequest` and `DpoHyperparamsRequest`.
const DPO_METHOD_REQUEST = ["type", "dpo"];
const DPO_METHOD_CONFIG_REQUEST = ["hyperparameters"];
const DPO_HYPERPARAMS_REQUEST = [
  "n_epochs",
  "batch_size",
  "learning_rate_multiplier",
  "beta",
  "l2_multiplier",
];

const inputs = (extra: Record<string, unknown>) =>
  withDefaults({
    endpoint: "https://aoairesource.openai.azure.com/",
    deadlineMinutes: 60,
    logicalName: "proj/dev/tuned",
    ...extra,
  } as any);

describe("dynamic-providers/fineTuningJob/azure jobRequestBody", () => {
  it("sends a supervised job without hyperparameters as the spec's example does", () => {
    const body = jobRequestBody(
      inputs({ baseModel: "curie", trainingFileId: "file-181a1cbdcdcf4677ada87f63a0928099" }),
      "k",
    );
    expect(body).to.deep.include(SPEC_EXAMPLE_JOB);
    expect(body).not.to.have.property("hyperparameters");
  });

  it("puts DPO's beta inside method.dpo.hyperparameters, using only the spec's property names", () => {
    const body = jobRequestBody(
      inputs({
        baseModel: "gpt-4.1-mini-2025-04-14",
        trainingFileId: "file-1",
        method: "dpo",
        hyperparameters: { beta: 0.1, nEpochs: 2, batchSize: 8, learningRateMultiplier: 0.5 },
      }),
      "k",
    );
    const method = body.method as Record<string, any>;
    expect(Object.keys(method)).to.have.members(DPO_METHOD_REQUEST);
    expect(method.type).to.equal("dpo");
    expect(Object.keys(method.dpo)).to.have.members(DPO_METHOD_CONFIG_REQUEST);
    expect(DPO_HYPERPARAMS_REQUEST).to.include.members(Object.keys(method.dpo.hyperparameters));
    expect(method.dpo.hyperparameters).to.deep.equal({
      beta: 0.1,
      n_epochs: 2,
      batch_size: 8,
      learning_rate_multiplier: 0.5,
    });
    expect(body).not.to.have.property("hyperparameters");
    expect(body).not.to.have.property("beta");
  });
});

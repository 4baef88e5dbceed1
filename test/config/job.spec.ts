import { expect } from "chai";
import { validateJob } from "../../config";
import { itRejects, run } from "../support/validatorRun";

describe("config/job", () => {
  it("defaults to the sample data, 3 epochs and Azure's choices elsewhere", () => {
    expect(run({}, validateJob)).to.deep.equal({
      value: {
        trainingFile: "data/travel-assistant.jsonl",
        validationFile: undefined,
        epochs: 3,
        batchSize: "auto",
        learningRateMultiplier: "auto",
        suffix: "travel",
        seed: undefined,
        jobDeadlineMinutes: 240,
        maxBilledTokens: 2000000,
        apiVersion: "2025-04-01-preview",
      },
      problems: [],
    });
  });

  it("reads numbers and auto as the stack files store them", () => {
    const { value } = run(
      { epochs: "auto", batchSize: "8", learningRateMultiplier: "0.5", seed: "42" },
      validateJob,
    );
    expect([value.epochs, value.batchSize, value.learningRateMultiplier, value.seed]).to.deep.equal(
      ["auto", 8, 0.5, 42],
    );
  });

  const cases: [string, Record<string, string>, string][] = [
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
      "a validation file that is not JSONL",
      { validationFile: "data/valid.json" },
      '`azure-openai-finetune:validationFile` is "data/valid.json"; point it at a .jsonl file (path relative to the project directory)',
    ],
    [
      "an API version that is not dated",
      { apiVersion: "latest" },
      '`azure-openai-finetune:apiVersion` is "latest"; use a dated data-plane API version such as "2025-04-01-preview" or "2024-10-21"',
    ],
  ];
  itRejects(cases, validateJob);
});

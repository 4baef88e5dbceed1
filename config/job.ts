import { DATED_API_VERSION, DEFAULT_API_VERSION } from "../lib/azure/apiVersion";
import { JOB_INPUT_LIMITS } from "../lib/models";
import { ConfigReader } from "./reader";
import type { JobSettings } from "./types";

/** Training data, hyperparameters, suffix, seed, deadline, cost cap and data-plane API version. */
export function validateJob(r: ConfigReader): JobSettings {
  const jsonl = (k: string, path: string | undefined) => {
    if (path !== undefined && !path.endsWith(".jsonl")) {
      r.bad(k, path, "point it at a .jsonl file (path relative to the project directory)");
    }
  };
  const trainingFile = r.str("trainingFile") ?? "data/travel-assistant.jsonl";
  jsonl("trainingFile", trainingFile);
  const validationFile = r.str("validationFile");
  jsonl("validationFile", validationFile);

  const suffix = r.str("suffix") ?? "travel";
  if (!JOB_INPUT_LIMITS.suffix.test(suffix)) {
    r.bad(
      "suffix",
      suffix,
      "use 1-40 letters, digits, '-' or '_' (Azure appends it to the fine-tuned model name)",
    );
  }
  const apiVersion = r.str("apiVersion") ?? DEFAULT_API_VERSION;
  if (!DATED_API_VERSION.test(apiVersion)) {
    r.bad(
      "apiVersion",
      apiVersion,
      'use a dated data-plane API version such as "2025-04-01-preview" or "2024-10-21"',
    );
  }
  return {
    trainingFile,
    validationFile,
    epochs: r.autoOr("epochs", 3, JOB_INPUT_LIMITS.nEpochs),
    batchSize: r.autoOr("batchSize", "auto", JOB_INPUT_LIMITS.batchSize),
    learningRateMultiplier: r.autoOr(
      "learningRateMultiplier",
      "auto",
      JOB_INPUT_LIMITS.learningRateMultiplier,
    ),
    suffix,
    seed: r.str("seed") === undefined ? undefined : r.int("seed", 0, 0, JOB_INPUT_LIMITS.seedMax),
    jobDeadlineMinutes: r.int("jobDeadlineMinutes", 240, 1, 43200),
    maxBilledTokens: r.int("maxBilledTokens", 2_000_000, 1, 2_000_000_000),
    apiVersion,
  };
}

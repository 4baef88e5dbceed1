/**
 * Which existing Azure job is this resource's: the answer that keeps an interrupted or retried
 * create from starting a second paid job.
 *
 * The job's `metadata` would say so directly, but only the v1 surface defines it
 * (Azure/azure-rest-api-specs `specification/ai/data-plane/OpenAI.v1/azure-v1-v1-generated.yaml`
 * @ 2d621d46); the dated `2025-04-01-preview` spec's `FineTuningJob` has no `metadata`
 * (`specification/cognitiveservices/data-plane/AzureOpenAI/authoring/preview/2025-04-01-preview/azureopenai.json`
 * @ 0dba90a0), so Azure may drop it. The rule therefore stands without it: the training file is
 * this resource's own upload, so a job on that file id, for the same base model, that has not
 * failed or been cancelled (a succeeded one included) is ours. Hyperparameters and the seed are
 * compared only where the stack sets them: Azure resolves "auto" and picks a seed. Where metadata
 * does come back it decides.
 */
import type { FineTuningJob as AzureJob } from "openai/resources/fine-tuning/jobs/jobs";
import { TRAINING_TYPE_WIRE } from "../../lib/fineTuning";
import { FineTuningJobProviderInputs, IDEMPOTENCY_METADATA_KEY } from "./types";

/** Wire names of the hyperparameters the stack may set, by input name. */
const HYPERPARAMETER_WIRE = {
  nEpochs: "n_epochs",
  batchSize: "batch_size",
  learningRateMultiplier: "learning_rate_multiplier",
  beta: "beta",
} as const;

/** A job as Azure lists it, with the Azure-only fields the openai types lack. */
type ListedJob = Omit<AzureJob, "method"> & {
  suffix?: string | null;
  trainingType?: string | null;
  method?: { type?: string } & Record<string, unknown>;
};

/** True when `job` is the one this resource asked for (see the module comment for the rule). */
export function isOurJob(job: AzureJob, inputs: FineTuningJobProviderInputs, key: string): boolean {
  const listed = job as unknown as ListedJob;
  if (["failed", "cancelled"].includes(job.status)) {
    return false;
  }
  const marked = job.metadata?.[IDEMPOTENCY_METADATA_KEY];
  if (typeof marked === "string") {
    return marked === key;
  }
  return (
    job.training_file === inputs.trainingFileId &&
    job.model === inputs.baseModel &&
    (job.validation_file ?? undefined) === (inputs.validationFileId ?? undefined) &&
    sameWhereReported(listed.method?.type, inputs.method) &&
    sameWhereReported(listed.suffix || undefined, inputs.suffix, true) &&
    sameWhereReported(
      listed.trainingType?.toLowerCase(),
      TRAINING_TYPE_WIRE[inputs.trainingType].toLowerCase(),
    ) &&
    (inputs.seed === undefined || sameWhereReported(job.seed, inputs.seed)) &&
    sameHyperparameters(listed, inputs)
  );
}

/**
 * Equal, or not reported by Azure. With `bothWays`, a value Azure reports that the stack does not
 * set is a difference too (a suffix names a different model).
 */
function sameWhereReported(reported: unknown, wanted: unknown, bothWays = false): boolean {
  if (reported === undefined || reported === null) {
    return true;
  }
  return wanted === undefined ? !bothWays : reported === wanted;
}

/** Every hyperparameter the stack sets to a number matches the job's, where the job reports it. */
function sameHyperparameters(job: ListedJob, inputs: FineTuningJobProviderInputs): boolean {
  const scope = job.method?.[inputs.method] as { hyperparameters?: Record<string, unknown> };
  const scoped = scope?.hyperparameters ?? {};
  const topLevel = (job.hyperparameters ?? {}) as Record<string, unknown>;
  return (Object.keys(HYPERPARAMETER_WIRE) as (keyof typeof HYPERPARAMETER_WIRE)[]).every(
    (name) => {
      const wanted = inputs.hyperparameters[name];
      if (typeof wanted !== "number") {
        return true;
      }
      const wire = HYPERPARAMETER_WIRE[name];
      const reported = scoped[wire] ?? topLevel[wire];
      return typeof reported !== "number" || reported === wanted;
    },
  );
}

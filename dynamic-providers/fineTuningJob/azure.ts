/**
 * The FineTuningJob provider's Azure calls: the request body, adoption of an earlier job, create,
 * cancel and the deletion of the job and its model.
 */
import { createHash } from "node:crypto";
import type { AzureOpenAI } from "openai";
import type { FineTuningJob as AzureJob } from "openai/resources/fine-tuning/jobs/jobs";
import { resolveApiVersion } from "../../lib/azure/apiVersion";
import { errorFacts, isNotFound } from "../../lib/azure/errors";
import { withRetries } from "../../lib/azure/retry";
import { TRAINING_TYPE_WIRE, type AutoOr } from "../../lib/fineTuning";
import { sleep } from "../support";
import {
  CANCEL_WAIT_MS,
  DEFAULT_POLL_SECONDS,
  FineTuningJobProviderInputs,
  FineTuningJobProviderOutputs,
  FIRST_POLL_SECONDS,
  IDEMPOTENCY_METADATA_KEY,
  TERMINAL,
} from "./types";

/** sha256 of the training inputs and the logical name: the same resource asking for the same job. */
export function idempotencyKey(inputs: FineTuningJobProviderInputs): string {
  const hp = inputs.hyperparameters;
  const canonical = JSON.stringify([
    inputs.logicalName,
    inputs.endpoint,
    inputs.baseModel,
    inputs.trainingFileId,
    inputs.validationFileId ?? null,
    inputs.method,
    [hp.nEpochs, hp.batchSize, hp.learningRateMultiplier, hp.beta ?? null],
    inputs.suffix ?? null,
    inputs.seed ?? null,
    inputs.trainingType,
  ]);
  return createHash("sha256").update(canonical).digest("hex");
}

/** The job request: method-scoped hyperparameters on preview versions, the GA top-level form otherwise. */
export function jobRequestBody(
  inputs: FineTuningJobProviderInputs,
  key: string,
): Record<string, unknown> {
  const hp = inputs.hyperparameters;
  // "auto" is the service default; leaving it out works on every api-version.
  const values: Record<string, number> = {};
  const set = (name: string, value: AutoOr<number> | undefined) => {
    if (typeof value === "number") {
      values[name] = value;
    }
  };
  set("n_epochs", hp.nEpochs);
  set("batch_size", hp.batchSize);
  set("learning_rate_multiplier", hp.learningRateMultiplier);
  if (inputs.method === "dpo") {
    set("beta", hp.beta);
  }
  const body: Record<string, unknown> = {
    model: inputs.baseModel,
    training_file: inputs.trainingFileId,
    trainingType: TRAINING_TYPE_WIRE[inputs.trainingType],
    metadata: { [IDEMPOTENCY_METADATA_KEY]: key },
  };
  if (inputs.validationFileId) {
    body.validation_file = inputs.validationFileId;
  }
  if (inputs.suffix) {
    body.suffix = inputs.suffix;
  }
  if (inputs.seed !== undefined) {
    body.seed = inputs.seed;
  }
  if (resolveApiVersion(inputs.apiVersion).endsWith("-preview")) {
    body.method = { type: inputs.method, [inputs.method]: { hyperparameters: values } };
  } else if (Object.keys(values).length > 0) {
    body.hyperparameters = values;
  }
  return body;
}

/** Finds a job this resource created earlier (its create was interrupted before state was saved). */
export async function findAdoptableJob(
  client: AzureOpenAI,
  key: string,
): Promise<AzureJob | undefined> {
  let after: string | undefined;
  for (;;) {
    const page = await withRetries("list fine-tuning jobs", () =>
      client.fineTuning.jobs.list(after === undefined ? { limit: 100 } : { limit: 100, after }),
    );
    const match = page.data.find(
      (job) =>
        job.metadata?.[IDEMPOTENCY_METADATA_KEY] === key &&
        !["failed", "cancelled"].includes(job.status),
    );
    if (match || !page.has_more || page.data.length === 0) {
      return match;
    }
    after = page.data[page.data.length - 1].id;
  }
}

/** Cancels an active job and waits until Azure reports it cancelled (or otherwise finished). */
export async function cancelJob(
  client: AzureOpenAI,
  job: AzureJob,
  inputs: FineTuningJobProviderOutputs,
  log: (line: string) => void,
) {
  log(`fine-tuning job ${job.id}: cancelling (status ${job.status})`);
  try {
    await withRetries("cancel fine-tuning job", () => client.fineTuning.jobs.cancel(job.id));
  } catch (err) {
    // It may have finished between the read and the cancel; the status check below decides.
    if (errorFacts(err).status !== 400 && !isNotFound(err)) {
      throw err;
    }
  }
  const pollMs = Math.min(
    (inputs.pollIntervalSeconds ?? DEFAULT_POLL_SECONDS) * 1000,
    FIRST_POLL_SECONDS * 1000,
  );
  const started = Date.now();
  for (;;) {
    let current: AzureJob;
    try {
      current = await withRetries("read fine-tuning job", () =>
        client.fineTuning.jobs.retrieve(job.id),
      );
    } catch (err) {
      if (isNotFound(err)) {
        return undefined;
      }
      throw err;
    }
    if (TERMINAL.includes(current.status)) {
      log(`fine-tuning job ${job.id}: ${current.status}`);
      return current;
    }
    if (Date.now() - started > CANCEL_WAIT_MS) {
      throw new Error(
        `fine-tuning job ${job.id} is still ${current.status} ${CANCEL_WAIT_MS / 60000} minutes after it was cancelled; ` +
          "run `pulumi destroy` again later",
      );
    }
    await sleep(pollMs);
  }
}

/** Deletes the fine-tuned model (v1 `DELETE /models/{id}`, D24); 404 means already gone. */
export async function deleteTunedModel(
  client: AzureOpenAI,
  model: string,
  log: (line: string) => void,
): Promise<void> {
  try {
    // A deployment deleted just before may still hold the model for a moment: a few 409 retries.
    await withRetries(
      "delete fine-tuned model",
      () =>
        client.delete(`/v1/models/${encodeURIComponent(model)}`, {
          query: { "api-version": "v1" },
        }),
      { maxAttempts: 4 },
    );
    log(`fine-tuned model ${model}: deleted`);
  } catch (err) {
    if (isNotFound(err)) {
      return;
    }
    if (errorFacts(err).status === 409) {
      throw new Error(
        `${(err as Error).message.replace(/\.+$/, "")}. The model still has a deployment: delete the Deployment that serves ${model} ` +
          "first (Pulumi deletes it before this job when it depends on the job, so this one was made outside the stack), " +
          "then run `pulumi destroy` again.",
      );
    }
    throw err;
  }
}

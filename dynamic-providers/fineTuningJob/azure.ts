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
import { isOurJob } from "./adopt";
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
  const hasValues = Object.keys(values).length > 0;
  if (resolveApiVersion(inputs.apiVersion).endsWith("-preview")) {
    // `FineTuningJobCreation.method` is a `DpoMethodRequest` / `SupervisedMethodRequest`:
    // `{ type, dpo: { hyperparameters: { n_epochs, batch_size, learning_rate_multiplier, beta } } }`,
    // beta only inside the DPO method; the spec's example sends `{ "type": "supervised" }` alone
    // (Azure/azure-rest-api-specs specification/cognitiveservices/data-plane/AzureOpenAI/authoring/
    // preview/2025-04-01-preview/azureopenai.json and examples/post_finetuning_job.json @ 57b4285a).
    body.method = hasValues
      ? { type: inputs.method, [inputs.method]: { hyperparameters: values } }
      : { type: inputs.method };
  } else if (hasValues) {
    body.hyperparameters = values;
  }
  return body;
}

/**
 * Finds a job this resource created earlier: a create interrupted before state was saved, or a
 * POST whose answer was lost after Azure accepted it (`isOurJob`). Metadata matches win.
 */
export async function findAdoptableJob(
  client: AzureOpenAI,
  inputs: FineTuningJobProviderInputs,
  key: string,
): Promise<AzureJob | undefined> {
  let after: string | undefined;
  let found: AzureJob | undefined;
  for (;;) {
    const page = await withRetries("list fine-tuning jobs", () =>
      client.fineTuning.jobs.list(after === undefined ? { limit: 100 } : { limit: 100, after }),
    );
    for (const job of page.data.filter((candidate) => isOurJob(candidate, inputs, key))) {
      if (job.metadata?.[IDEMPOTENCY_METADATA_KEY] === key) {
        return job;
      }
      found ??= job;
    }
    if (!page.has_more || page.data.length === 0) {
      return found;
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

/**
 * Deletes the fine-tuned model, best effort. No published Azure spec (dated, v1 GA or v1
 * preview) defines a model DELETE, and Microsoft's docs delete fine-tuned models in the portal
 * ("You can't delete a customized model if it has an existing deployment":
 * MicrosoftDocs/azure-ai-docs `articles/ai-foundry/openai/how-to/fine-tuning-deploy.md`). So the
 * call is `DELETE /openai/v1/models/{id}` as openai-node's `models.delete` sends it, every answer
 * gets one clear line, and none stops `destroy` or a job replacement. A 404 may mean "gone" or
 * "no such route", so the model is read back before it counts as gone.
 * @returns The model id when it stays in the account, undefined when it is gone.
 */
export async function deleteTunedModel(
  client: AzureOpenAI,
  model: string,
  log: (line: string) => void,
): Promise<string | undefined> {
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
    return undefined;
  } catch (err) {
    const status = errorFacts(err).status;
    if (isNotFound(err) && !(await modelStillListed(client, model))) {
      log(`fine-tuned model ${model}: already gone (404)`);
      return undefined;
    }
    const why =
      status === 409
        ? "Azure refused (409): a deployment outside this stack still serves it; delete that deployment first"
        : status === 400 || status === 404 || status === 405
          ? `Azure does not delete fine-tuned models through the API here (${status})`
          : `deleting it failed: ${(err as Error).message.replace(/\.+$/, "")}`;
    log(
      `fine-tuned model ${model}: stays in the account; ${why}. Delete it in the Azure AI Foundry portal ` +
        "(Fine-tuning, Models) when it is no longer needed; the rest of the job is deleted.",
    );
    return model;
  }
}

/** True unless the account answers 404 for the model (`GET /openai/models/{id}`). */
async function modelStillListed(client: AzureOpenAI, model: string): Promise<boolean> {
  try {
    await withRetries("read fine-tuned model", () => client.models.retrieve(model));
    return true;
  } catch (err) {
    return !isNotFound(err);
  }
}

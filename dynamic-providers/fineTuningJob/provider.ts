import * as pulumi from "@pulumi/pulumi";
import type { AzureOpenAI } from "openai";
import type { FineTuningJob as AzureJob } from "openai/resources/fine-tuning/jobs/jobs";
import { createAzureOpenAI } from "../../lib/azure/client";
import { assertFineTunable } from "../../lib/azure/models";
import { isNotFound } from "../../lib/azure/errors";
import { createOnce, withRetries } from "../../lib/azure/retry";
import {
  cancelJob,
  deleteTunedModel,
  findAdoptableJob,
  idempotencyKey,
  jobRequestBody,
} from "./azure";
import { accountReplaces } from "../support";
import { checkJobInputs } from "./check";
import {
  FineTuningJobProviderInputs,
  FineTuningJobProviderOutputs,
  TERMINAL,
  TRAINING_KEYS,
} from "./types";
import { finishJob, jobOutputs } from "./wait";

/**
 * Runs an Azure OpenAI fine-tuning job and waits for its model inside `pulumi up`. Every training
 * input replaces the job (Azure cannot change one); a create interrupted after Azure accepted the
 * job is adopted on the next `up` through the idempotency key in the job's metadata.
 */
export const fineTuningJobProvider: pulumi.dynamic.ResourceProvider<
  FineTuningJobProviderInputs,
  FineTuningJobProviderOutputs
> = {
  async check(_olds, news) {
    return checkJobInputs(news);
  },

  async diff(_id, olds, news) {
    // The job trained on the content, not on the file object: re-uploading the same bytes (a
    // file deleted behind Pulumi's back, then recreated) must not start a second paid job.
    const sameContent =
      olds.trainingFileSha256 !== undefined && olds.trainingFileSha256 === news.trainingFileSha256;
    const replaces: string[] = accountReplaces(olds, news);
    const changed = TRAINING_KEYS.filter(
      (key) =>
        !(sameContent && key === "trainingFileId") &&
        !(key === "trainingFileSha256" && olds.trainingFileSha256 === undefined) &&
        JSON.stringify(olds[key]) !== JSON.stringify(news[key]),
    );
    replaces.push(...changed);
    if (["failed", "cancelled"].includes(olds.status) && replaces.length === 0) {
      // A failed or cancelled job cannot be restarted: a new job is the only way forward.
      replaces.push("status");
    }
    // Deadline, poll interval and api-version only shape how `up` waits: no change.
    return { changes: replaces.length > 0, replaces, deleteBeforeReplace: false };
  },

  async create(inputs) {
    const log = (line: string) => console.log(line);
    const client = await createAzureOpenAI(inputs.endpoint, { apiVersion: inputs.apiVersion });
    const key = idempotencyKey(inputs);
    let job = await findAdoptableJob(client, inputs, key);
    if (job) {
      log(
        `fine-tuning job ${job.id}: adopting it (status ${job.status}); an earlier \`pulumi up\` created it and was interrupted`,
      );
    } else {
      await assertFineTunable(client, inputs.baseModel, "baseModel", log);
      const body = jobRequestBody(inputs, key) as unknown as Parameters<
        AzureOpenAI["fineTuning"]["jobs"]["create"]
      >[0];
      // The POST is not idempotent: a connection lost after Azure accepted it must not start a second job.
      job = await createOnce(
        "create fine-tuning job",
        () => client.fineTuning.jobs.create(body),
        () => findAdoptableJob(client, inputs, key),
      );
      log(
        `fine-tuning job ${job.id}: created (${inputs.method} on ${inputs.baseModel}, training file ${inputs.trainingFileId}, ` +
          `${inputs.trainingType}); waiting up to ${inputs.deadlineMinutes} minutes`,
      );
    }
    const jobId = job.id;
    return { id: jobId, outs: await finishJob(client, jobId, inputs, key, log) };
  },

  async update(id, _olds, news) {
    // Only reached for a job kept in state by a deadline (init error): `diff` replaces on every
    // training change, so the engine's update is "continue waiting", and must return full outputs.
    const log = (line: string) => console.log(line);
    const client = await createAzureOpenAI(news.endpoint, { apiVersion: news.apiVersion });
    log(`fine-tuning job ${id}: resuming the wait started by an earlier \`pulumi up\``);
    return { outs: await finishJob(client, id, news, idempotencyKey(news), log) };
  },

  async read(id, stored) {
    // The engine always passes the stored outputs on refresh.
    const props = stored as FineTuningJobProviderOutputs;
    const client = await createAzureOpenAI(props.endpoint, { apiVersion: props.apiVersion });
    let job: AzureJob;
    try {
      job = await withRetries("read fine-tuning job", () => client.fineTuning.jobs.retrieve(id));
    } catch (err) {
      if (isNotFound(err)) {
        return { id: "", props: {} as FineTuningJobProviderOutputs };
      }
      throw err;
    }
    return { id, props: { ...props, ...jobOutputs(props, job, props.idempotencyKey) } };
  },

  async delete(id, props) {
    const log = (line: string) => console.log(line);
    const client = await createAzureOpenAI(props.endpoint, { apiVersion: props.apiVersion });
    let job: AzureJob | undefined;
    try {
      job = await withRetries("read fine-tuning job", () => client.fineTuning.jobs.retrieve(id));
    } catch (err) {
      if (!isNotFound(err)) {
        throw err;
      }
    }
    if (job && !TERMINAL.includes(job.status)) {
      job = await cancelJob(client, job, props, log);
    }
    // Best effort: whatever Azure answers for the model, the results and the job are deleted.
    const model = job?.fine_tuned_model ?? props.fineTunedModel;
    if (model) {
      await deleteTunedModel(client, model, log);
    }
    // results.csv files count against the resource's file quota (50); Azure keeps them otherwise.
    for (const fileId of job?.result_files ?? props.resultFiles ?? []) {
      try {
        await withRetries("delete fine-tuning result file", () => client.files.delete(fileId));
        log(`fine-tuning job ${id}: deleted result file ${fileId}`);
      } catch (err) {
        if (!isNotFound(err)) {
          throw err;
        }
      }
    }
    try {
      await withRetries("delete fine-tuning job", () =>
        client.delete(`/fine_tuning/jobs/${encodeURIComponent(id)}`),
      );
      log(`fine-tuning job ${id}: deleted`);
    } catch (err) {
      if (!isNotFound(err)) {
        throw err;
      }
    }
  },
};

import * as pulumi from "@pulumi/pulumi";
import { createHash } from "node:crypto";
import type { AzureOpenAI } from "openai";
import type {
  FineTuningJob as AzureJob,
  FineTuningJobEvent,
} from "openai/resources/fine-tuning/jobs/jobs";
import { resolveApiVersion } from "../lib/azure/apiVersion";
import {
  TRAINING_TYPE_WIRE,
  TRAINING_TYPES,
  type AutoOr,
  type TrainingType,
} from "../lib/fineTuning";
import { createAzureOpenAI, normalizeEndpoint } from "../lib/azure/client";
import { errorFacts, isNotFound } from "../lib/azure/errors";
import { withRetries } from "../lib/azure/retry";
import {
  FINE_TUNABLE_MODEL_IDS,
  FINE_TUNABLE_MODELS,
  resolveBaseModel,
  JOB_INPUT_LIMITS,
} from "../lib/models";
import { isUnknown, resourceInitError, sleep } from "./support";

/** Fine-tuning methods this resource runs. */
export type JobMethod = "supervised" | "dpo";

/** Hyperparameters of a job; each defaults to "auto". */
export interface FineTuningHyperparameters {
  /** Epochs, 1-50. */
  readonly nEpochs?: pulumi.Input<AutoOr<number>>;
  /** Batch size, 1-256. */
  readonly batchSize?: pulumi.Input<AutoOr<number>>;
  /** Learning-rate multiplier, 0.01-10 (Azure recommends 0.02-0.2). */
  readonly learningRateMultiplier?: pulumi.Input<AutoOr<number>>;
  /** DPO only: weight of the penalty between the tuned and the reference model, > 0. */
  readonly beta?: pulumi.Input<AutoOr<number>>;
}

/** Arguments of a `FineTuningJob`. */
export interface FineTuningJobArgs {
  /** Endpoint of the Azure OpenAI / AI Services account, e.g. `https://my-account.openai.azure.com/`. */
  readonly endpoint: pulumi.Input<string>;
  /** Base model: full id (`gpt-4o-2024-08-06`), alias (`gpt-4o`) or a fine-tuned id for continuous fine-tuning. */
  readonly baseModel: pulumi.Input<string>;
  /** Id of the processed training file (`TrainingFile.fileId`). */
  readonly trainingFileId: pulumi.Input<string>;
  /**
   * sha256 of the training file's content (`TrainingFile.sha256`). When given, a new file id with
   * the same content (the file was deleted and uploaded again) does not start a new paid job.
   */
  readonly trainingFileSha256?: pulumi.Input<string>;
  /** Id of the processed validation file, if any. */
  readonly validationFileId?: pulumi.Input<string>;
  /** "supervised" (default) or "dpo" (preference data; needs a preview api-version). */
  readonly method?: pulumi.Input<JobMethod>;
  /** Hyperparameters; each defaults to "auto". */
  readonly hyperparameters?: pulumi.Input<FineTuningHyperparameters>;
  /** Up to 40 letters, digits, '-' or '_' that Azure appends to the fine-tuned model name. */
  readonly suffix?: pulumi.Input<string>;
  /** Seed for reproducible training, 0-2147483647. */
  readonly seed?: pulumi.Input<number>;
  /** Standard (regional), GlobalStandard (default) or Developer (preemptible). */
  readonly trainingType?: pulumi.Input<TrainingType>;
  /**
   * Minutes one `pulumi up` waits for the job. When it passes the job keeps training in Azure
   * and the resource stays in state; the next `up` resumes waiting for the same job.
   */
  readonly deadlineMinutes: pulumi.Input<number>;
  /** Seconds between status polls once the job runs (default 60: one job and one events request). */
  readonly pollIntervalSeconds?: pulumi.Input<number>;
  /** Data-plane api-version; default `DEFAULT_API_VERSION` (lib/azure/apiVersion.ts). */
  readonly apiVersion?: pulumi.Input<string>;
}

interface HyperparameterValues {
  nEpochs: AutoOr<number>;
  batchSize: AutoOr<number>;
  learningRateMultiplier: AutoOr<number>;
  beta?: AutoOr<number>;
}

/** Inputs after `check`: defaults applied, base model alias resolved. */
interface FineTuningJobProviderInputs {
  endpoint: string;
  baseModel: string;
  trainingFileId: string;
  trainingFileSha256?: string;
  validationFileId?: string;
  method: JobMethod;
  hyperparameters: HyperparameterValues;
  suffix?: string;
  seed?: number;
  trainingType: TrainingType;
  deadlineMinutes: number;
  pollIntervalSeconds?: number;
  apiVersion?: string;
  /** `<project>/<stack>/<resource name>`, set by the resource class; part of the idempotency key. */
  logicalName: string;
}

interface FineTuningJobProviderOutputs extends FineTuningJobProviderInputs {
  jobId: string;
  status: string;
  fineTunedModel: string | null;
  trainedTokens: number | null;
  resultFiles: string[];
  finishedAt: string | null;
  /** sha256 of the training inputs and the logical name, sent as job metadata. */
  idempotencyKey: string;
}

/** Metadata key that marks the job as this resource's (adoption after an interrupted create). */
const IDEMPOTENCY_METADATA_KEY = "pulumi-idempotency-key";
const METHODS: readonly JobMethod[] = ["supervised", "dpo"];
const TERMINAL = ["succeeded", "failed", "cancelled"];
const DEFAULT_POLL_SECONDS = 60;
/** First poll interval while the job is queued or validating; doubles up to the steady interval. */
const FIRST_POLL_SECONDS = 5;
/** Azure fails a job after 720 hours (facts §0.9). */
const MAX_DEADLINE_MINUTES = 720 * 60;
const CANCEL_WAIT_MS = 10 * 60 * 1000;
/** Training inputs: any change means a new job (the jobs API has no update). */
const TRAINING_KEYS = [
  "endpoint",
  "baseModel",
  "trainingFileId",
  "trainingFileSha256",
  "validationFileId",
  "method",
  "hyperparameters",
  "suffix",
  "seed",
  "trainingType",
] as const;

/** sha256 of the training inputs and the logical name: the same resource asking for the same job. */
function idempotencyKey(inputs: FineTuningJobProviderInputs): string {
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
function jobRequestBody(inputs: FineTuningJobProviderInputs, key: string): Record<string, unknown> {
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
async function findAdoptableJob(client: AzureOpenAI, key: string): Promise<AzureJob | undefined> {
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

function isoOrNull(seconds: number | null | undefined): string | null {
  return typeof seconds === "number" ? new Date(seconds * 1000).toISOString() : null;
}

/** Outputs for a job as Azure last reported it, with the inputs echoed for `diff`. */
function jobOutputs(
  inputs: FineTuningJobProviderInputs,
  job: AzureJob,
  key: string,
): FineTuningJobProviderOutputs {
  const { __provider: _omit, ...echoed } = inputs as FineTuningJobProviderInputs & {
    __provider?: unknown;
  };
  return {
    ...echoed,
    jobId: job.id,
    status: job.status,
    fineTunedModel: job.fine_tuned_model ?? null,
    trainedTokens: job.trained_tokens ?? null,
    resultFiles: job.result_files ?? [],
    finishedAt: isoOrNull(job.finished_at),
    idempotencyKey: key,
  };
}

function describeEvent(event: FineTuningJobEvent): string {
  const data = event.data as
    { step?: number; train_loss?: number; valid_loss?: number } | undefined;
  if (event.type === "metrics" && data && typeof data.step === "number") {
    const losses = [
      typeof data.train_loss === "number"
        ? `training loss ${data.train_loss.toFixed(4)}`
        : undefined,
      typeof data.valid_loss === "number"
        ? `validation loss ${data.valid_loss.toFixed(4)}`
        : undefined,
    ].filter((part) => part !== undefined);
    return `step ${data.step}${losses.length > 0 ? `: ${losses.join(", ")}` : ""}`;
  }
  return event.message;
}

/**
 * Polls the job until it ends or the deadline passes, printing status changes and new events.
 * Polls every 5 s, 10 s, 20 s, ... while the job is queued, then every `pollIntervalSeconds`
 * once it runs, and never sleeps past the deadline.
 */
/**
 * Pid of the engine that started this plugin process: the grandparent, because Pulumi starts
 * the dynamic-provider host through the `pulumi-resource-pulumi-nodejs` shell script. Where
 * /proc is missing it falls back to the parent.
 */
function engineProcess(): string {
  try {
    const stat: string = require("fs").readFileSync(`/proc/${process.ppid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1];
  } catch {
    return String(process.ppid);
  }
}

async function waitForJob(
  client: AzureOpenAI,
  jobId: string,
  inputs: FineTuningJobProviderInputs,
  log: (line: string) => void,
): Promise<{ job: AzureJob; timedOut: boolean }> {
  const deadlineAt = Date.now() + inputs.deadlineMinutes * 60_000;
  const steadyMs = (inputs.pollIntervalSeconds ?? DEFAULT_POLL_SECONDS) * 1000;
  let earlyMs = Math.min(FIRST_POLL_SECONDS * 1000, steadyMs);
  const seenEvents = new Set<string>();
  let eventsAvailable = true;
  let lastStatus: string | undefined;
  const engine = engineProcess();
  for (;;) {
    if (engineProcess() !== engine) {
      // The CLI was killed (SIGKILL, a dead CI runner) and this plugin process was orphaned: no one
      // is waiting for the answer. The job trains on in Azure and the next `up` adopts it.
      process.exit(0);
    }
    const job = await withRetries("read fine-tuning job", () =>
      client.fineTuning.jobs.retrieve(jobId),
    );
    if (eventsAvailable) {
      try {
        const page = await withRetries("list fine-tuning job events", () =>
          client.fineTuning.jobs.listEvents(jobId, { limit: 50 }),
        );
        // Azure lists newest first; print oldest first. Messages are service text, never training data.
        for (const event of [...page.data].reverse()) {
          if (!seenEvents.has(event.id)) {
            seenEvents.add(event.id);
            log(`fine-tuning job ${jobId}: ${describeEvent(event)}`);
          }
        }
      } catch (err) {
        // Events need api-version 2024-08-01-preview or later (facts §1.2); progress lines are optional.
        eventsAvailable = false;
        log(
          `fine-tuning job ${jobId}: events unavailable (${(err as Error).message}); showing status only`,
        );
      }
    }
    if (job.status !== lastStatus) {
      log(
        `fine-tuning job ${jobId}: ${lastStatus === undefined ? "status" : lastStatus + " →"} ${job.status}`,
      );
      lastStatus = job.status;
    }
    if (TERMINAL.includes(job.status)) {
      return { job, timedOut: false };
    }
    const remaining = deadlineAt - Date.now();
    if (remaining <= 0) {
      return { job, timedOut: true };
    }
    const interval = job.status === "running" ? steadyMs : earlyMs;
    earlyMs = Math.min(earlyMs * 2, steadyMs);
    await sleep(Math.min(interval, remaining));
  }
}

/**
 * Waits for the job and returns its outputs on success. A failed, cancelled or still-running
 * job (deadline) is thrown as a `ResourceInitError` so the engine keeps the job in state:
 * `destroy` can then delete it, and the next `up` replaces a failed job or resumes waiting.
 */
async function finishJob(
  client: AzureOpenAI,
  jobId: string,
  inputs: FineTuningJobProviderInputs,
  key: string,
  log: (line: string) => void,
): Promise<FineTuningJobProviderOutputs> {
  const { job, timedOut } = await waitForJob(client, jobId, inputs, log);
  const outs = jobOutputs(inputs, job, key);
  if (job.status === "succeeded") {
    log(
      `fine-tuning job ${jobId}: fine-tuned model ${job.fine_tuned_model} (${job.trained_tokens ?? "?"} trained tokens)`,
    );
    return outs;
  }
  const properties = { ...outs, __provider: (inputs as { __provider?: unknown }).__provider };
  if (timedOut) {
    throw resourceInitError(
      `fine-tuning job ${jobId} is still ${job.status} after the ${inputs.deadlineMinutes}-minute deadline; Azure ` +
        "keeps training it. Run `pulumi up` again to keep waiting for this same job, or `pulumi destroy` to cancel and delete it.",
      jobId,
      properties,
    );
  }
  if (job.status === "failed") {
    const code = job.error?.code || "unknown";
    const message = (job.error?.message || "Azure gave no reason").replace(/\.+$/, "");
    throw resourceInitError(
      `fine-tuning job ${jobId} failed: ${code}: ${message}. Fix the cause and run \`pulumi up\` again: ` +
        "a new job replaces the failed one, which is then deleted.",
      jobId,
      properties,
    );
  }
  throw resourceInitError(
    `fine-tuning job ${jobId} was cancelled outside Pulumi. Run \`pulumi up\` again to start a new job.`,
    jobId,
    properties,
  );
}

/** Cancels an active job and waits until Azure reports it cancelled (or otherwise finished). */
async function cancelJob(
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
async function deleteTunedModel(
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
    const failures: pulumi.dynamic.CheckFailure[] = [];
    const fail = (property: string, reason: string) => failures.push({ property, reason });
    const known = (value: unknown) => value !== undefined && !isUnknown(value);
    const hyperIn = (news.hyperparameters ?? {}) as Partial<HyperparameterValues>;
    const inputs: FineTuningJobProviderInputs = {
      ...news,
      method: news.method ?? "supervised",
      trainingType: news.trainingType ?? "GlobalStandard",
      hyperparameters: {
        nEpochs: hyperIn.nEpochs ?? "auto",
        batchSize: hyperIn.batchSize ?? "auto",
        learningRateMultiplier: hyperIn.learningRateMultiplier ?? "auto",
        ...(hyperIn.beta !== undefined ? { beta: hyperIn.beta } : {}),
      },
    };

    if (typeof inputs.endpoint !== "string" || inputs.endpoint === "") {
      fail(
        "endpoint",
        "`endpoint` must be the account endpoint, e.g. https://<account>.openai.azure.com/",
      );
    } else if (!isUnknown(inputs.endpoint)) {
      try {
        inputs.endpoint = normalizeEndpoint(inputs.endpoint);
      } catch (err) {
        fail("endpoint", (err as Error).message);
      }
    }
    if (typeof inputs.trainingFileId !== "string" || inputs.trainingFileId === "") {
      fail(
        "trainingFileId",
        "`trainingFileId` must be the id of a processed training file (TrainingFile.fileId)",
      );
    }
    if (
      inputs.validationFileId !== undefined &&
      (typeof inputs.validationFileId !== "string" || inputs.validationFileId === "")
    ) {
      fail("validationFileId", "`validationFileId` must be the id of a processed file, or unset");
    }
    if (known(inputs.apiVersion)) {
      try {
        resolveApiVersion(inputs.apiVersion);
      } catch (err) {
        fail("apiVersion", (err as Error).message);
      }
    }

    const methodOk = isUnknown(inputs.method) || METHODS.includes(inputs.method);
    if (!methodOk) {
      fail(
        "method",
        `\`method\` ${JSON.stringify(inputs.method)} is not supported; use "supervised" or "dpo"`,
      );
    }
    if (!isUnknown(inputs.baseModel)) {
      const base =
        typeof inputs.baseModel === "string" ? resolveBaseModel(inputs.baseModel) : undefined;
      if (base === undefined) {
        fail(
          "baseModel",
          `\`baseModel\` ${JSON.stringify(inputs.baseModel)} is not fine-tunable; use one of: ${FINE_TUNABLE_MODEL_IDS.join(", ")}`,
        );
      } else {
        // Aliases resolve to the dated id so renaming gpt-4o to gpt-4o-2024-08-06 is no change;
        // a fine-tuned id (continuous fine-tuning) is sent as given.
        if (!/\.ft-/.test(inputs.baseModel)) {
          inputs.baseModel = base;
        }
        const supported = FINE_TUNABLE_MODELS[base].methods;
        if (methodOk && !isUnknown(inputs.method) && !supported.includes(inputs.method)) {
          const alternatives = FINE_TUNABLE_MODEL_IDS.filter((id) =>
            FINE_TUNABLE_MODELS[id].methods.includes(inputs.method),
          );
          fail(
            "method",
            `\`method\` "${inputs.method}" is not supported by ${base} (it supports: ${supported.join(", ")}); ` +
              `use a base model that supports it: ${alternatives.join(", ")}`,
          );
        }
      }
    }
    if (
      inputs.method === "dpo" &&
      known(inputs.apiVersion) &&
      !failures.some((f) => f.property === "apiVersion") &&
      !resolveApiVersion(inputs.apiVersion).endsWith("-preview")
    ) {
      fail(
        "method",
        `\`method\` "dpo" needs a preview api-version; \`apiVersion\` is "${inputs.apiVersion}", use e.g. "2025-04-01-preview"`,
      );
    }
    if (
      !isUnknown(inputs.trainingType) &&
      !(TRAINING_TYPES as readonly string[]).includes(inputs.trainingType)
    ) {
      fail(
        "trainingType",
        `\`trainingType\` ${JSON.stringify(inputs.trainingType)} is not supported; use one of: ${TRAINING_TYPES.join(", ")}`,
      );
    }
    if (
      known(inputs.suffix) &&
      !(typeof inputs.suffix === "string" && JOB_INPUT_LIMITS.suffix.test(inputs.suffix))
    ) {
      fail(
        "suffix",
        `\`suffix\` ${JSON.stringify(inputs.suffix)} must be 1-40 letters, digits, '-' or '_' (Azure appends it to the fine-tuned model name)`,
      );
    }
    if (
      known(inputs.seed) &&
      !(
        Number.isInteger(inputs.seed) &&
        (inputs.seed as number) >= 0 &&
        (inputs.seed as number) <= JOB_INPUT_LIMITS.seedMax
      )
    ) {
      fail(
        "seed",
        `\`seed\` ${JSON.stringify(inputs.seed)} must be a whole number from 0 to ${JOB_INPUT_LIMITS.seedMax}`,
      );
    }
    const hp = inputs.hyperparameters;
    const range = (name: "nEpochs" | "batchSize" | "learningRateMultiplier") => {
      const { min, max, whole } = JOB_INPUT_LIMITS[name];
      const value = hp[name];
      if (!known(value) || value === "auto") {
        return;
      }
      if (
        typeof value !== "number" ||
        !(value >= min && value <= max) ||
        (whole && !Number.isInteger(value))
      ) {
        fail(
          `hyperparameters.${name}`,
          `\`hyperparameters.${name}\` ${JSON.stringify(value)} must be "auto" or ${whole ? "a whole number" : "a number"} from ${min} to ${max}`,
        );
      }
    };
    range("nEpochs");
    range("batchSize");
    range("learningRateMultiplier");
    if (hp.beta !== undefined && !isUnknown(hp.beta)) {
      if (inputs.method !== "dpo" && !isUnknown(inputs.method)) {
        fail(
          "hyperparameters.beta",
          '`hyperparameters.beta` applies only to method "dpo"; remove it or set `method` to "dpo"',
        );
      } else if (
        hp.beta !== "auto" &&
        !(typeof hp.beta === "number" && hp.beta > 0 && Number.isFinite(hp.beta))
      ) {
        fail(
          "hyperparameters.beta",
          `\`hyperparameters.beta\` ${JSON.stringify(hp.beta)} must be "auto" or a number greater than 0`,
        );
      }
    }
    if (!isUnknown(inputs.deadlineMinutes)) {
      const d = inputs.deadlineMinutes;
      if (typeof d !== "number" || !(d > 0 && d <= MAX_DEADLINE_MINUTES)) {
        fail(
          "deadlineMinutes",
          `\`deadlineMinutes\` ${JSON.stringify(d)} must be a number of minutes greater than 0 and at most ${MAX_DEADLINE_MINUTES} ` +
            "(Azure stops jobs after 720 hours); keep it under your CI job's time limit",
        );
      }
    }
    if (
      known(inputs.pollIntervalSeconds) &&
      !(typeof inputs.pollIntervalSeconds === "number" && inputs.pollIntervalSeconds > 0)
    ) {
      fail(
        "pollIntervalSeconds",
        `\`pollIntervalSeconds\` ${JSON.stringify(inputs.pollIntervalSeconds)} must be a number greater than 0`,
      );
    }
    if (typeof inputs.logicalName !== "string" || inputs.logicalName === "") {
      fail(
        "logicalName",
        "`logicalName` is set by the FineTuningJob class; construct the resource through it",
      );
    }
    return { inputs, failures };
  },

  async diff(_id, olds, news) {
    // The job trained on the content, not on the file object: re-uploading the same bytes (a
    // file deleted behind Pulumi's back, then recreated) must not start a second paid job.
    const sameContent =
      olds.trainingFileSha256 !== undefined && olds.trainingFileSha256 === news.trainingFileSha256;
    const replaces: string[] = TRAINING_KEYS.filter(
      (key) =>
        !(sameContent && key === "trainingFileId") &&
        !(key === "trainingFileSha256" && olds.trainingFileSha256 === undefined) &&
        JSON.stringify(olds[key]) !== JSON.stringify(news[key]),
    );
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
    let job = await findAdoptableJob(client, key);
    if (job) {
      log(
        `fine-tuning job ${job.id}: adopting it (status ${job.status}); an earlier \`pulumi up\` created it and was interrupted`,
      );
    } else {
      const body = jobRequestBody(inputs, key) as unknown as Parameters<
        AzureOpenAI["fineTuning"]["jobs"]["create"]
      >[0];
      let attempts = 0;
      job = await withRetries("create fine-tuning job", async () => {
        // The POST is not idempotent: a connection lost after Azure accepted it must not start a second job.
        const earlier = attempts++ > 0 ? await findAdoptableJob(client, key) : undefined;
        return earlier ?? client.fineTuning.jobs.create(body);
      });
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
    // The model goes first: if a deployment still holds it, the job stays for the next attempt.
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

/**
 * An Azure OpenAI fine-tuning job, waited for inside `pulumi up`; `fineTunedModel` feeds the
 * deployment of the tuned model. Destroy cancels a running job, deletes the tuned model (after
 * its deployment) and the job.
 */
export class FineTuningJob extends pulumi.dynamic.Resource {
  /** Azure job id (`ftjob-…`), also the resource id. */
  declare readonly jobId: pulumi.Output<string>;
  /** Last status Azure reported ("succeeded" once created). */
  declare readonly status: pulumi.Output<string>;
  /** Id of the tuned model (`<base>.ft-<id>`), the name a deployment of it uses. */
  declare readonly fineTunedModel: pulumi.Output<string>;
  /** Tokens trained (billed). */
  declare readonly trainedTokens: pulumi.Output<number>;
  /** Result file ids (results.csv). */
  declare readonly resultFiles: pulumi.Output<string[]>;
  /** When the job finished, ISO 8601. */
  declare readonly finishedAt: pulumi.Output<string>;
  /** Base model the job trained (dated id). */
  declare readonly baseModel: pulumi.Output<string>;
  /** sha256 of the training inputs and the resource's name, stored in the job's metadata. */
  declare readonly idempotencyKey: pulumi.Output<string>;

  constructor(name: string, args: FineTuningJobArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      fineTuningJobProvider,
      name,
      {
        ...args,
        logicalName: `${pulumi.getProject()}/${pulumi.getStack()}/${name}`,
        jobId: undefined,
        status: undefined,
        fineTunedModel: undefined,
        trainedTokens: undefined,
        resultFiles: undefined,
        finishedAt: undefined,
        idempotencyKey: undefined,
      },
      opts,
      "azure-openai",
      "FineTuningJob",
    );
  }
}

/**
 * Fine-tuning jobs API (Azure/azure-rest-api-specs specification/cognitiveservices/data-plane/AzureOpenAI/authoring/stable/2024-10-21/azureopenai.json @ 3ecc2097; Azure/azure-rest-api-specs specification/cognitiveservices/data-plane/AzureOpenAI/authoring/preview/2025-04-01-preview/azureopenai.json @ 0dba90a0; Azure/azure-rest-api-specs specification/ai/data-plane/OpenAI.v1/azure-v1-v1-generated.yaml @ 2d621d46): create, list, get, cancel, delete (dated only), events,
 * checkpoints, pause/resume (preview dated versions and v1). Request validation follows Azure's
 * schemas; the lifecycle itself is in jobLifecycle.ts.
 *
 * Over 400 lines because it holds the request schema of three API surfaces (GA, dated preview, v1)
 * side by side: splitting them would scatter one route's validation across files.
 */
import type { FastifyInstance } from "fastify";
import { TRAINING_TYPE_WIRE } from "../../lib/fineTuning";
import { FINE_TUNABLE_MODELS, resolveBaseModel } from "../../lib/models";
import type { Surface } from "./apiVersion";
import { invalidPayload, notFound, quotaExceeded, routeNotFound } from "../errors";
import { created, paginate } from "../http";
import { JobRunner, JobTrainingInput } from "./jobLifecycle";
import { EmulatorContext, FileRecord, HyperValue, JobRecord, JobStatus, newHex } from "../state";

/** Fine-tuning methods of the preview and v1 schemas (Azure/azure-rest-api-specs specification/cognitiveservices/data-plane/AzureOpenAI/authoring/preview/2025-04-01-preview/azureopenai.json @ 0dba90a0; Azure/azure-rest-api-specs specification/ai/data-plane/OpenAI.v1/azure-v1-v1-generated.yaml @ 2d621d46). */
const METHODS = ["supervised", "dpo", "reinforcement"] as const;
type Method = (typeof METHODS)[number];

/** Observed message for an unusable base model, also what a missing `trainingType` yields (observed live-service behaviour). */
export const MODEL_NOT_FINE_TUNABLE = "The specified base model does not support fine-tuning.";

/** Observed message for a file that has not finished importing (observed live-service behaviour). */
export const FILE_NOT_READY = "The specified file reference must point to a completed file import.";

/**
 * `trainingType` values Azure documents, case-sensitive: "Standard", "GlobalStandard" and
 * "developerTier" (MicrosoftDocs/azure-ai-docs `articles/ai-foundry/openai/includes/fine-tuning-rest.md`).
 */
const WIRE_TRAINING_TYPES: readonly string[] = Object.values(TRAINING_TYPE_WIRE);

/** Numeric bounds per hyperparameter (OpenAI's documented ranges). */
const HYPER_BOUNDS: Readonly<Record<string, { min: number; max: number; integer: boolean }>> = {
  n_epochs: { min: 1, max: 50, integer: true },
  batch_size: { min: 1, max: 256, integer: true },
  learning_rate_multiplier: { min: Number.MIN_VALUE, max: 10, integer: false },
};

/** Status as the api-version in use can express it (Azure/azure-rest-api-specs specification/cognitiveservices/data-plane/AzureOpenAI/authoring/stable/2024-10-21/azureopenai.json @ 3ecc2097; Azure/azure-rest-api-specs specification/cognitiveservices/data-plane/AzureOpenAI/authoring/preview/2025-04-01-preview/azureopenai.json @ 0dba90a0; Azure/azure-rest-api-specs specification/ai/data-plane/OpenAI.v1/azure-v1-v1-generated.yaml @ 2d621d46). */
export function visibleStatus(status: JobStatus, surface: Surface): JobStatus {
  // GA dated versions have no pause states in their enum; a job paused through a preview version
  // is still not finished, so GA clients see it as running.
  if (!surface.preview && (status === "pausing" || status === "paused" || status === "resuming")) {
    return "running";
  }
  return status;
}

function hyperNumber(value: HyperValue | undefined, auto: number): number {
  return typeof value === "number" ? value : auto;
}

/** Renders a job as Azure returns it (D17 live output: nulls, `organization_id`, `-1` for auto). */
export function jobJson(job: JobRecord, surface: Surface): Record<string, unknown> {
  const hp = job.method.hyperparameters;
  const resolved = job.resolved;
  const hyperparameters = {
    n_epochs: resolved ? resolved.epochs : hyperNumber(hp.n_epochs, -1),
    batch_size: resolved ? resolved.batchSize : hyperNumber(hp.batch_size, -1),
    learning_rate_multiplier: resolved
      ? resolved.learningRateMultiplier
      : hyperNumber(hp.learning_rate_multiplier, 1),
  };
  const body: Record<string, unknown> = {
    object: "fine_tuning.job",
    id: job.id,
    created_at: job.createdAt,
    status: visibleStatus(job.status, surface),
    model: job.model,
    fine_tuned_model: job.fineTunedModel,
    training_file: job.trainingFile,
    validation_file: job.validationFile,
    result_files: job.resultFiles,
    finished_at: job.finishedAt,
    organization_id: null,
    trained_tokens: job.trainedTokens,
    error: job.error,
    estimated_finish: job.estimatedFinish,
    hyperparameters,
    suffix: job.suffix,
    seed: job.seed,
    metadata: job.metadata,
    integrations: null,
  };
  if (surface.preview) {
    body.method = {
      type: job.method.type,
      [job.method.type]: { hyperparameters: { ...hp, ...hyperparameters } },
    };
  }
  return body;
}

function eventJson(event: JobRecord["events"][number]): Record<string, unknown> {
  return {
    object: "fine_tuning.job.event",
    id: event.id,
    created_at: event.createdAt,
    level: event.level,
    message: event.message,
    type: event.type,
    ...(event.data ? { data: event.data } : {}),
  };
}

function checkpointJson(
  job: JobRecord,
  checkpoint: JobRecord["checkpoints"][number],
): Record<string, unknown> {
  return {
    object: "fine_tuning.job.checkpoint",
    id: checkpoint.id,
    created_at: checkpoint.createdAt,
    fine_tuned_model_checkpoint: `${job.baseModel}.ft-${job.hex}:ckpt-step-${checkpoint.step}`,
    step_number: checkpoint.step,
    metrics: checkpoint.metrics,
    fine_tuning_job_id: job.id,
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return !!value && typeof value === "object" && !Array.isArray(value);
}

function parseHyperparameters(value: unknown, where: string): Record<string, HyperValue> {
  if (value === undefined || value === null) {
    return {};
  }
  if (!isRecord(value)) {
    throw invalidPayload(`\`${where}\` must be an object.`, where);
  }
  const out: Record<string, HyperValue> = {};
  for (const [key, raw] of Object.entries(value)) {
    if (raw === undefined || raw === null) {
      continue;
    }
    const bounds = HYPER_BOUNDS[key];
    const ok =
      raw === "auto" ||
      (typeof raw === "number" &&
        Number.isFinite(raw) &&
        (!bounds ||
          (raw >= bounds.min && raw <= bounds.max && (!bounds.integer || Number.isInteger(raw)))));
    if (!ok) {
      const range = bounds
        ? `${bounds.integer ? "an integer" : "a number"} from ${bounds.integer ? bounds.min : "above 0"} to ${bounds.max}`
        : "a number";
      throw invalidPayload(
        `\`${where}.${key}\` must be "auto" or ${range}, got ${JSON.stringify(raw)}.`,
        `${where}.${key}`,
      );
    }
    out[key] = raw as HyperValue;
  }
  return out;
}

function parseMethod(body: Record<string, unknown>): {
  type: Method;
  hyperparameters: Record<string, HyperValue>;
} {
  const topLevel = parseHyperparameters(body.hyperparameters, "hyperparameters");
  if (body.method === undefined || body.method === null) {
    return { type: "supervised", hyperparameters: topLevel };
  }
  if (!isRecord(body.method) || !METHODS.includes(body.method.type as Method)) {
    throw invalidPayload(`\`method.type\` must be one of: ${METHODS.join(", ")}.`, "method.type");
  }
  const type = body.method.type as Method;
  const settings = body.method[type];
  const nested = isRecord(settings)
    ? parseHyperparameters(settings.hyperparameters, `method.${type}.hyperparameters`)
    : {};
  // The top-level object is the GA form and deprecated on v1; the method's values win.
  return { type, hyperparameters: { ...topLevel, ...nested } };
}

function parseTrainingType(value: unknown, surface: Surface): string {
  if (value === undefined || value === null) {
    if (surface.kind === "dated" && !surface.preview) {
      // GA 2024-10-21 silently trains Standard (observed live-service behaviour, not documented).
      return "Standard";
    }
    // Newer versions reject the job with a misleading model error (observed; see https://github.com/BerriAI/litellm/pull/24687 and Azure/azure-sdk-for-python sdk/ai/azure-ai-projects/samples/finetuning/sample_finetuning_supervised_job.py).
    throw invalidPayload(MODEL_NOT_FINE_TUNABLE, "model");
  }
  if (typeof value !== "string" || !WIRE_TRAINING_TYPES.includes(value)) {
    throw invalidPayload(
      `\`trainingType\` ${JSON.stringify(value)} is not supported; use one of: ${WIRE_TRAINING_TYPES.join(", ")}.`,
      "trainingType",
    );
  }
  return value;
}

/**
 * Refuses a training type the model catalog (Microsoft's fine-tuning table) does not offer for
 * the model; Azure's wording for this refusal is unknown.
 */
function checkTrainingTypeOffered(baseModel: string, trainingType: string): void {
  const model = FINE_TUNABLE_MODELS[baseModel];
  const offered: Record<string, boolean> = {
    Standard: model.standardRegions.length > 0,
    GlobalStandard: model.globalTraining,
    developerTier: model.developerTraining,
  };
  if (!offered[trainingType]) {
    const types = WIRE_TRAINING_TYPES.filter((t) => offered[t]);
    throw invalidPayload(
      `The model '${baseModel}' cannot be trained with \`trainingType\` '${trainingType}'; it offers: ${types.join(", ")}.`,
      "trainingType",
    );
  }
}

function parseSuffix(value: unknown, surface: Surface): string | null {
  if (value === undefined || value === null) {
    return null;
  }
  // GA spec: up to 40 of [a-zA-Z0-9-_]; v1 spec: 1 to 64 characters (Azure/azure-rest-api-specs specification/cognitiveservices/data-plane/AzureOpenAI/authoring/stable/2024-10-21/azureopenai.json @ 3ecc2097; Azure/azure-rest-api-specs specification/ai/data-plane/OpenAI.v1/azure-v1-v1-generated.yaml @ 2d621d46).
  const max = surface.kind === "v1" ? 64 : 40;
  if (
    typeof value !== "string" ||
    value.length < 1 ||
    value.length > max ||
    !/^[A-Za-z0-9_-]+$/.test(value)
  ) {
    throw invalidPayload(
      `\`suffix\` ${JSON.stringify(value)} is invalid; use 1 to ${max} characters from a-z, A-Z, 0-9, - and _.`,
      "suffix",
    );
  }
  return value;
}

function parseSeed(value: unknown): number {
  if (value === undefined || value === null) {
    return Math.floor(Math.random() * 2147483647);
  }
  if (typeof value !== "number" || !Number.isInteger(value) || value < 0 || value > 2147483647) {
    throw invalidPayload(
      `\`seed\` must be an integer from 0 to 2147483647, got ${JSON.stringify(value)}.`,
      "seed",
    );
  }
  return value;
}

function parseMetadata(value: unknown): Record<string, string> | null {
  if (value === undefined || value === null) {
    return null;
  }
  // v1 schema: up to 16 pairs, keys ≤ 64 characters, string values ≤ 512 (Azure/azure-rest-api-specs specification/ai/data-plane/OpenAI.v1/azure-v1-v1-generated.yaml @ 2d621d46).
  if (!isRecord(value)) {
    throw invalidPayload("`metadata` must be an object of string values.", "metadata");
  }
  const entries = Object.entries(value);
  if (entries.length > 16) {
    throw invalidPayload(
      `\`metadata\` has ${entries.length} keys; at most 16 are allowed.`,
      "metadata",
    );
  }
  for (const [key, v] of entries) {
    if (key.length > 64) {
      throw invalidPayload(`\`metadata\` key "${key}" is longer than 64 characters.`, "metadata");
    }
    if (typeof v !== "string" || v.length > 512) {
      throw invalidPayload(
        `\`metadata.${key}\` must be a string of at most 512 characters.`,
        "metadata",
      );
    }
  }
  return { ...(value as Record<string, string>) };
}

function requireFile(ctx: EmulatorContext, id: unknown, param: string): FileRecord {
  if (typeof id !== "string" || id === "") {
    throw invalidPayload(`The ${param} field is required.`, param);
  }
  const file = ctx.state.files.get(id);
  if (!file) {
    throw invalidPayload(`The ${param} '${id}' does not exist.`, param);
  }
  if (file.status !== "processed") {
    throw invalidPayload(FILE_NOT_READY, param);
  }
  if (file.purpose !== "fine-tune") {
    throw invalidPayload(
      `The ${param} '${id}' has purpose '${file.purpose}'; training needs purpose 'fine-tune'.`,
      param,
    );
  }
  return file;
}

function resolveModel(ctx: EmulatorContext, model: unknown): string {
  if (typeof model !== "string" || model === "") {
    throw invalidPayload("The model field is required.", "model");
  }
  const base = resolveBaseModel(model);
  const tunedExists =
    !/\.ft-/.test(model) || ctx.state.tunedModels.has(model.replace(/:ckpt-step-\d+$/, ""));
  if (!base || !tunedExists) {
    throw invalidPayload(MODEL_NOT_FINE_TUNABLE, "model");
  }
  return base;
}

/** Validates a create request and builds the job, or throws the error Azure would answer with. */
function createJob(
  ctx: EmulatorContext,
  body: unknown,
  surface: Surface,
): { job: JobRecord; input: JobTrainingInput } {
  if (!isRecord(body)) {
    // Observed live-service behaviour for an empty body.
    throw invalidPayload("The fineTuningJob field is required.");
  }
  const baseModel = resolveModel(ctx, body.model);
  if (body.training_file === undefined || body.training_file === "") {
    throw invalidPayload("The training_file field is required.", "training_file");
  }
  const trainingType = parseTrainingType(body.trainingType, surface);
  checkTrainingTypeOffered(baseModel, trainingType);
  const method = parseMethod(body);
  const supported = FINE_TUNABLE_MODELS[baseModel].methods;
  if (!supported.includes(method.type)) {
    throw invalidPayload(
      `The model '${baseModel}' does not support the fine-tuning method '${method.type}'; it supports: ${supported.join(", ")}.`,
      "method.type",
    );
  }
  const suffix = parseSuffix(body.suffix, surface);
  const seed = parseSeed(body.seed);
  const metadata = parseMetadata(body.metadata);
  const training = requireFile(ctx, body.training_file, "training_file");
  const hasValidation = body.validation_file !== undefined && body.validation_file !== null;
  const validation = hasValidation
    ? requireFile(ctx, body.validation_file, "validation_file")
    : null;
  if (method.type === "reinforcement" && !validation) {
    // RFT needs both files (https://learn.microsoft.com/azure/ai-foundry/openai/how-to/reinforcement-fine-tuning).
    throw invalidPayload(
      "Reinforcement fine-tuning requires a validation_file.",
      "validation_file",
    );
  }

  const { limits } = ctx.settings;
  const jobs = [...ctx.state.jobs.values()];
  if (jobs.length >= limits.maxJobs) {
    throw quotaExceeded(
      `The resource already has ${jobs.length} fine-tuning jobs; the maximum is ${limits.maxJobs}. Delete finished jobs first.`,
    );
  }
  const queued = jobs.filter((j) => j.status === "pending").length;
  if (queued >= limits.maxQueuedJobs) {
    throw quotaExceeded(
      `The resource already has ${queued} queued fine-tuning jobs; the maximum is ${limits.maxQueuedJobs}. Wait for queued jobs to start.`,
    );
  }

  const hex = newHex();
  const job: JobRecord = {
    id: `ftjob-${hex}`,
    hex,
    createdAt: ctx.nowSeconds(),
    model: body.model as string,
    baseModel,
    trainingFile: training.id,
    validationFile: validation?.id ?? null,
    suffix,
    seed,
    metadata,
    trainingType,
    method,
    status: "pending",
    ready: false,
    resolved: null,
    tick: 0,
    events: [],
    checkpoints: [],
    metricsRows: [],
    fineTunedModel: null,
    resultFiles: null,
    finishedAt: null,
    trainedTokens: null,
    error: null,
    estimatedFinish: null,
    failure: null,
    timers: new Set(),
  };
  const input: JobTrainingInput = {
    examples: training.training?.examples ?? 0,
    totalTokens: training.training?.totalTokens ?? 0,
    hasValidation: validation !== null,
    trainingContent: training.content,
  };
  return { job, input };
}

function findJob(ctx: EmulatorContext, id: string): JobRecord {
  const job = ctx.state.jobs.get(id);
  if (!job) {
    throw notFound(`The fine-tuning job '${id}' was not found.`);
  }
  return job;
}

/** Registers the fine-tuning jobs API on both surfaces. */
export function registerJobRoutes(
  app: FastifyInstance,
  ctx: EmulatorContext,
  runner: JobRunner,
): void {
  for (const base of ["/openai", "/openai/v1"]) {
    const jobParam = (params: unknown) => findJob(ctx, (params as { jobId: string }).jobId);

    app.post(`${base}/fine_tuning/jobs`, async (request, reply) => {
      const { job, input } = createJob(ctx, request.body, request.surface);
      ctx.state.jobs.set(job.id, job);
      runner.enqueue(job, input);
      return created(
        request,
        reply,
        `/openai/fine_tuning/jobs/${job.id}`,
        jobJson(job, request.surface),
      );
    });

    app.get(`${base}/fine_tuning/jobs`, async (request) => {
      const query = request.query as Record<string, string | undefined>;
      const page = paginate([...ctx.state.jobs.values()].reverse(), query.after, query.limit, 20);
      return {
        object: "list",
        data: page.items.map((job) => jobJson(job, request.surface)),
        has_more: page.hasMore,
      };
    });

    app.get(`${base}/fine_tuning/jobs/:jobId`, async (request) =>
      jobJson(jobParam(request.params), request.surface),
    );

    app.post(`${base}/fine_tuning/jobs/:jobId/cancel`, async (request) => {
      const job = jobParam(request.params);
      runner.cancel(job);
      return jobJson(job, request.surface);
    });

    for (const action of ["pause", "resume"] as const) {
      app.post(`${base}/fine_tuning/jobs/:jobId/${action}`, async (request) => {
        if (!request.surface.preview) {
          // GA 2024-10-21 has no pause or resume (Azure/azure-rest-api-specs specification/cognitiveservices/data-plane/AzureOpenAI/authoring/stable/2024-10-21/azureopenai.json @ 3ecc2097).
          throw routeNotFound();
        }
        const job = jobParam(request.params);
        runner[action](job);
        return jobJson(job, request.surface);
      });
    }

    app.get(`${base}/fine_tuning/jobs/:jobId/events`, async (request) => {
      const job = jobParam(request.params);
      const query = request.query as Record<string, string | undefined>;
      const page = paginate([...job.events].reverse(), query.after, query.limit, 20);
      return { object: "list", data: page.items.map(eventJson), has_more: page.hasMore };
    });

    app.get(`${base}/fine_tuning/jobs/:jobId/checkpoints`, async (request) => {
      const job = jobParam(request.params);
      const query = request.query as Record<string, string | undefined>;
      const page = paginate([...job.checkpoints].reverse(), query.after, query.limit, 10);
      return {
        object: "list",
        data: page.items.map((c) => checkpointJson(job, c)),
        has_more: page.hasMore,
        ...(request.surface.kind === "v1"
          ? {
              first_id: page.items[0]?.id ?? null,
              last_id: page.items[page.items.length - 1]?.id ?? null,
            }
          : {}),
      };
    });
  }

  // Only the dated API deletes jobs (204); the v1 spec has no such operation (Azure/azure-rest-api-specs specification/cognitiveservices/data-plane/AzureOpenAI/authoring/stable/2024-10-21/azureopenai.json @ 3ecc2097; Azure/azure-rest-api-specs specification/ai/data-plane/OpenAI.v1/azure-v1-v1-generated.yaml @ 2d621d46).
  app.delete("/openai/fine_tuning/jobs/:jobId", async (request, reply) => {
    const job = findJob(ctx, (request.params as { jobId: string }).jobId);
    runner.assertDeletable(job);
    runner.forget(job);
    ctx.state.jobs.delete(job.id);
    return reply.code(204).send();
  });
}

/**
 * Time-compressed fine-tuning job lifecycle. Azure runs one training job per resource at a time;
 * further jobs wait in `pending` (https://learn.microsoft.com/azure/ai-foundry/openai/quotas-limits). A job here:
 *   pending (≥ queuedMs, until the slot is free) → running (runningMs, `steps` ticks of metrics,
 *   a checkpoint per epoch boundary) → succeeded (results.csv, tuned model).
 * Cancel, pause/resume (preview surfaces) and admin-injected failures interrupt that flow.
 * Over 400 lines because the state machine, its events and its result files change together.
 */
import { unexpectedEntityState } from "../errors";
import { addServiceFile } from "./files";
import { autoEpochs } from "../../lib/cost";
import {
  CheckpointRecord,
  EmulatorContext,
  InjectedJobFailure,
  JobEventRecord,
  JobRecord,
  JobStatus,
  newHex,
  ResolvedTraining,
  StepMetrics,
} from "../state";

/** States that hold the resource's single training slot. */
const ACTIVE: readonly JobStatus[] = ["running", "pausing", "paused", "resuming"];

/** States a job never leaves. */
export const TERMINAL: readonly JobStatus[] = ["succeeded", "failed", "cancelled"];

/** Azure keeps the final checkpoint and those of the two previous epochs (https://learn.microsoft.com/azure/ai-foundry/openai/how-to/fine-tuning). */
const KEPT_CHECKPOINTS = 3;

/** Training input of a job, captured at creation (the file may be deleted afterwards). */
export interface JobTrainingInput {
  readonly examples: number;
  readonly totalTokens: number;
  readonly hasValidation: boolean;
  readonly trainingContent: Buffer;
}

/** Admin rule: make matching jobs fail. */
export interface JobFailureRule {
  /** Error code the job reports in `error.code`. */
  readonly code: string;
  /** Error message the job reports in `error.message`. */
  readonly message: string;
  /** Delay from job creation to the failure, ms (default 0). */
  readonly afterMs: number;
  /** Only jobs whose `model` (as sent, or its base id) equals this. */
  readonly model?: string;
  /** Only jobs with this `suffix`. */
  readonly suffix?: string;
  /** Jobs still to fail. */
  remaining: number;
}

/** Batch size for `batch_size: "auto"`: about 0.2 % of the examples, 1 to 256 (OpenAI's documented behaviour). */
export function autoBatchSize(examples: number): number {
  return Math.min(256, Math.max(1, Math.ceil(examples * 0.002)));
}

/** Deterministic pseudo-random number in [0, 1) from a seed and a step. */
function noise(seed: number, step: number): number {
  let t = (seed ^ Math.imul(step, 0x9e3779b1)) >>> 0;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

function round4(x: number): number {
  return Math.round(x * 10000) / 10000;
}

/** Training metrics at a step: a decaying loss curve with seeded noise, deterministic per job. */
export function metricsAt(
  step: number,
  totalSteps: number,
  seed: number,
  hasValidation: boolean,
): StepMetrics {
  const progress = step / Math.max(1, totalSteps);
  const jitter = noise(seed, step) - 0.5;
  const trainLoss = round4(0.12 + 1.9 * Math.exp(-4 * progress) + 0.04 * jitter);
  const trainAccuracy = round4(Math.min(1, 0.98 - 0.45 * Math.exp(-4 * progress) + 0.02 * jitter));
  const validLoss = round4(trainLoss * 1.1 + 0.03);
  const validAccuracy = round4(Math.max(0, trainAccuracy - 0.02));
  return {
    step,
    train_loss: trainLoss,
    train_mean_token_accuracy: trainAccuracy,
    valid_loss: hasValidation ? validLoss : null,
    valid_mean_token_accuracy: hasValidation ? validAccuracy : null,
    full_valid_loss: hasValidation ? round4(validLoss - 0.01) : null,
    full_valid_mean_token_accuracy: hasValidation ? round4(validAccuracy + 0.005) : null,
  };
}

/** results.csv with Azure's columns (https://learn.microsoft.com/azure/ai-foundry/openai/how-to/fine-tuning). */
export function resultsCsv(rows: readonly StepMetrics[]): string {
  const cell = (v: number | null) => (v === null ? "" : String(v));
  const lines = [
    "step,train_loss,train_mean_token_accuracy,valid_loss,validation_mean_token_accuracy,full_valid_loss,full_valid_mean_token_accuracy",
    ...rows.map((r) =>
      [
        r.step,
        r.train_loss,
        r.train_mean_token_accuracy,
        cell(r.valid_loss),
        cell(r.valid_mean_token_accuracy),
        cell(r.full_valid_loss),
        cell(r.full_valid_mean_token_accuracy),
      ].join(","),
    ),
  ];
  return `${lines.join("\n")}\n`;
}

/** Drives every job of one emulated resource. */
export class JobRunner {
  /** Admin failure rules, consumed in order. */
  readonly failureRules: JobFailureRule[] = [];
  private readonly inputs = new Map<string, JobTrainingInput>();
  private readonly tickTimers = new Map<string, NodeJS.Timeout>();

  constructor(private readonly ctx: EmulatorContext) {}

  /** Takes a newly created job into the queue. */
  enqueue(job: JobRecord, input: JobTrainingInput): void {
    this.inputs.set(job.id, input);
    const rule = this.failureRules.find(
      (r) =>
        r.remaining > 0 &&
        (r.model === undefined || r.model === job.model || r.model === job.baseModel) &&
        (r.suffix === undefined || r.suffix === job.suffix),
    );
    if (rule) {
      rule.remaining -= 1;
      job.failure = { code: rule.code, message: rule.message, afterMs: rule.afterMs };
      this.ctx.schedule(
        rule.afterMs,
        () => this.fail(job, job.failure as InjectedJobFailure),
        job.timers,
      );
    }
    this.event(job, "info", "Job enqueued. Waiting for jobs ahead to complete.");
    this.ctx.schedule(
      this.ctx.settings.jobTiming.queuedMs,
      () => {
        job.ready = true;
        this.tryStart();
      },
      job.timers,
    );
    this.ctx.log(`emulator: job ${job.id} created (${job.model}): pending`);
  }

  /** Forgets a deleted job. */
  forget(job: JobRecord): void {
    this.stop(job);
    this.inputs.delete(job.id);
  }

  /** Drops all jobs' runtime data (reset). */
  clear(): void {
    this.inputs.clear();
    this.tickTimers.clear();
  }

  /** Cancels a job that has not finished (emulator behaviour: from pending or running). */
  cancel(job: JobRecord): void {
    if (TERMINAL.includes(job.status)) {
      throw unexpectedEntityState(
        `The job '${job.id}' cannot be cancelled because its status is '${job.status}'.`,
      );
    }
    this.stop(job);
    job.status = "cancelled";
    job.finishedAt = this.ctx.nowSeconds();
    job.estimatedFinish = null;
    this.event(job, "info", "Job cancelled.");
    this.ctx.log(`emulator: job ${job.id} cancelled`);
    this.tryStart();
  }

  /** Pauses a running job that has trained at least one step (https://learn.microsoft.com/azure/ai-foundry/openai/how-to/fine-tuning). */
  pause(job: JobRecord): void {
    if (job.status !== "running" || job.tick < 1) {
      throw unexpectedEntityState(
        `The job '${job.id}' cannot be paused: only jobs in 'running' status that have trained at least one step can be paused (status is '${job.status}').`,
      );
    }
    this.clearTick(job);
    job.status = "pausing";
    this.ctx.schedule(
      this.transitionMs(),
      () => {
        job.status = "paused";
        const resolved = job.resolved as ResolvedTraining;
        const step = this.stepAt(resolved, job.tick);
        // Pausing creates a deployable checkpoint (https://learn.microsoft.com/azure/ai-foundry/openai/how-to/fine-tuning).
        this.checkpoint(job, step);
        this.event(job, "info", "Job paused.");
      },
      job.timers,
    );
  }

  /** Resumes a paused job. */
  resume(job: JobRecord): void {
    if (job.status !== "paused") {
      throw unexpectedEntityState(
        `The job '${job.id}' cannot be resumed: only jobs in 'paused' status can be resumed (status is '${job.status}').`,
      );
    }
    job.status = "resuming";
    this.ctx.schedule(
      this.transitionMs(),
      () => {
        job.status = "running";
        this.event(job, "info", "Job resumed.");
        this.scheduleTick(job);
      },
      job.timers,
    );
  }

  /** Fails a job with an Azure-shaped error. */
  fail(job: JobRecord, error: { code: string; message: string }): void {
    if (TERMINAL.includes(job.status)) {
      return;
    }
    this.stop(job);
    job.status = "failed";
    job.error = { code: error.code, message: error.message, param: null };
    job.finishedAt = this.ctx.nowSeconds();
    job.estimatedFinish = null;
    this.event(job, "error", error.message);
    this.ctx.log(`emulator: job ${job.id} failed: ${error.code}`);
    this.tryStart();
  }

  /** Refuses to delete a job that still runs. */
  assertDeletable(job: JobRecord): void {
    if (!TERMINAL.includes(job.status)) {
      throw unexpectedEntityState(
        `The job '${job.id}' cannot be deleted because its status is '${job.status}'. Cancel it first.`,
      );
    }
  }

  /** Pausing and resuming take a moment, like on Azure, but never longer than one tick. */
  private transitionMs(): number {
    return Math.min(this.tickMs(), 50);
  }

  private tickMs(): number {
    const { runningMs, steps } = this.ctx.settings.jobTiming;
    return runningMs / Math.max(1, steps);
  }

  private stop(job: JobRecord): void {
    this.clearTick(job);
    this.ctx.cancel(job.timers);
  }

  private clearTick(job: JobRecord): void {
    const timer = this.tickTimers.get(job.id);
    if (timer) {
      this.ctx.cancel(new Set([timer]));
      job.timers.delete(timer);
      this.tickTimers.delete(job.id);
    }
  }

  private tryStart(): void {
    const jobs = [...this.ctx.state.jobs.values()];
    if (jobs.some((j) => ACTIVE.includes(j.status))) {
      return;
    }
    const next = jobs.find((j) => j.status === "pending" && j.ready);
    if (next) {
      this.start(next);
    }
  }

  private start(job: JobRecord): void {
    const input = this.inputs.get(job.id) as JobTrainingInput;
    const hp = job.method.hyperparameters;
    const epochs = typeof hp.n_epochs === "number" ? hp.n_epochs : autoEpochs(input.examples);
    const batchSize =
      typeof hp.batch_size === "number" ? hp.batch_size : autoBatchSize(input.examples);
    const learningRateMultiplier =
      typeof hp.learning_rate_multiplier === "number" ? hp.learning_rate_multiplier : 1;
    const stepsPerEpoch = Math.max(1, Math.ceil(input.examples / batchSize));
    const totalSteps = stepsPerEpoch * epochs;
    job.resolved = {
      epochs,
      batchSize,
      learningRateMultiplier,
      stepsPerEpoch,
      totalSteps,
      ticks: Math.max(1, Math.min(this.ctx.settings.jobTiming.steps, totalSteps)),
    };
    job.status = "running";
    job.estimatedFinish =
      this.ctx.nowSeconds() + Math.ceil(this.ctx.settings.jobTiming.runningMs / 1000);
    this.event(job, "info", `Validating training file: ${job.trainingFile}`);
    if (job.validationFile) {
      this.event(job, "info", `Validating validation file: ${job.validationFile}`);
    }
    this.event(job, "info", "Job started.");
    this.ctx.log(`emulator: job ${job.id} running (${epochs} epochs, ${totalSteps} steps)`);
    this.scheduleTick(job);
  }

  private scheduleTick(job: JobRecord): void {
    const timer = this.ctx.schedule(this.tickMs(), () => this.tick(job), job.timers);
    this.tickTimers.set(job.id, timer);
  }

  private stepAt(resolved: ResolvedTraining, tick: number): number {
    return Math.round((resolved.totalSteps * tick) / resolved.ticks);
  }

  private tick(job: JobRecord): void {
    this.tickTimers.delete(job.id);
    if (job.status !== "running") {
      return;
    }
    const resolved = job.resolved as ResolvedTraining;
    const input = this.inputs.get(job.id) as JobTrainingInput;
    const previous = this.stepAt(resolved, job.tick);
    job.tick += 1;
    const step = this.stepAt(resolved, job.tick);
    const metrics = metricsAt(step, resolved.totalSteps, job.seed, input.hasValidation);
    job.metricsRows.push(metrics);
    this.event(
      job,
      "info",
      `Step ${step}: training loss=${metrics.train_loss.toFixed(4)}`,
      metrics,
    );
    for (let epoch = 1; epoch <= resolved.epochs; epoch++) {
      const boundary = epoch * resolved.stepsPerEpoch;
      if (previous < boundary && boundary <= step) {
        this.checkpoint(job, boundary);
      }
    }
    if (job.tick >= resolved.ticks) {
      this.succeed(job);
    } else {
      this.scheduleTick(job);
    }
  }

  private checkpoint(job: JobRecord, step: number): void {
    const resolved = job.resolved as ResolvedTraining;
    const input = this.inputs.get(job.id) as JobTrainingInput;
    const record: CheckpointRecord = {
      id: `ftchkpt-${newHex()}`,
      createdAt: this.ctx.nowSeconds(),
      step,
      metrics: metricsAt(step, resolved.totalSteps, job.seed, input.hasValidation),
    };
    job.checkpoints.push(record);
    if (job.checkpoints.length > KEPT_CHECKPOINTS) {
      job.checkpoints.splice(0, job.checkpoints.length - KEPT_CHECKPOINTS);
    }
    this.event(job, "info", `Checkpoint created at step ${step}.`);
  }

  private succeed(job: JobRecord): void {
    const resolved = job.resolved as ResolvedTraining;
    const input = this.inputs.get(job.id) as JobTrainingInput;
    this.event(job, "info", "Postprocessing started.");
    const results = addServiceFile(this.ctx, {
      filename: "results.csv",
      purpose: "fine-tune-results",
      content: Buffer.from(resultsCsv(job.metricsRows), "utf8"),
    });
    this.event(job, "info", `Completed results file: ${results.id}`);
    const now = this.ctx.nowSeconds();
    // Azure names the tuned model after the job's own hex id (Azure/azure-rest-api-specs specification/cognitiveservices/data-plane/AzureOpenAI/authoring/stable/2024-10-21/examples @ 3ecc2097; https://learn.microsoft.com/azure/ai-foundry/openai/tutorials/fine-tune).
    const fineTunedModel = `${job.baseModel}.ft-${job.hex}`;
    this.ctx.state.tunedModels.set(fineTunedModel, {
      id: fineTunedModel,
      baseModel: job.baseModel,
      jobId: job.id,
      createdAt: now,
      trainingContent: input.trainingContent,
      exampleCount: input.examples,
    });
    job.fineTunedModel = fineTunedModel;
    job.resultFiles = [results.id];
    job.trainedTokens = input.totalTokens * resolved.epochs;
    job.finishedAt = now;
    job.estimatedFinish = null;
    job.status = "succeeded";
    this.event(job, "info", "Job succeeded.");
    this.ctx.log(`emulator: job ${job.id} succeeded: ${fineTunedModel}`);
    this.stop(job);
    this.tryStart();
  }

  private event(
    job: JobRecord,
    level: JobEventRecord["level"],
    message: string,
    metrics?: StepMetrics,
  ): void {
    job.events.push({
      id: `ftevent-${newHex()}`,
      createdAt: this.ctx.nowSeconds(),
      level,
      message,
      type: metrics ? "metrics" : "message",
      ...(metrics ? { data: { ...metrics } } : {}),
    });
  }
}

/**
 * In-memory state of one emulated Azure OpenAI resource, its settings, and the timers that drive
 * asynchronous work (file processing, job lifecycle). Everything lives in one `EmulatorContext`
 * so `reset` and `close` can drop it at once.
 */
import { randomBytes } from "node:crypto";
import type { BearerVerifier } from "./dataPlane/auth";

/** Time-compressed job lifecycle. */
export interface JobTiming {
  /** Minimum time a job stays `pending` before it may start (validation and queueing), ms. */
  readonly queuedMs: number;
  /** Time a job spends `running`, ms. */
  readonly runningMs: number;
  /** Number of progress ticks (metrics events and results.csv rows) while running. */
  readonly steps: number;
}

/** Per-resource limits; defaults are Azure's (https://learn.microsoft.com/azure/ai-foundry/openai/quotas-limits). */
export interface EmulatorLimits {
  /** Files per resource (all purposes). Azure: 50. */
  readonly maxFiles: number;
  /** Largest file accepted by `POST /files`. Azure: 512 MB. */
  readonly maxFileBytes: number;
  /** All files together. Azure: 1 GB. */
  readonly maxTotalFileBytes: number;
  /** Largest file an upload (Uploads API) may declare. Azure spec: 9 GB. */
  readonly maxUploadBytes: number;
  /** Largest single upload part. OpenAI's Uploads API: 64 MB. */
  readonly maxUploadPartBytes: number;
  /** Jobs waiting in `pending` behind the running one. Azure: 20. */
  readonly maxQueuedJobs: number;
  /** Jobs stored per resource. Azure: 100. */
  readonly maxJobs: number;
  /** Deployments of fine-tuned models. Azure: 5. */
  readonly maxFineTunedDeployments: number;
}

/** Azure's limits (https://learn.microsoft.com/azure/ai-foundry/openai/quotas-limits; Azure/azure-rest-api-specs specification/cognitiveservices/data-plane/AzureOpenAI/authoring/stable/2024-10-21/azureopenai.json @ 3ecc2097). */
export const AZURE_LIMITS: EmulatorLimits = {
  maxFiles: 50,
  maxFileBytes: 512 * 1024 * 1024,
  maxTotalFileBytes: 1024 * 1024 * 1024,
  maxUploadBytes: 9 * 1024 * 1024 * 1024,
  maxUploadPartBytes: 64 * 1024 * 1024,
  maxQueuedJobs: 20,
  maxJobs: 100,
  maxFineTunedDeployments: 5,
};

/** Settings after defaults are applied. */
export interface EmulatorSettings {
  readonly apiKey: string;
  readonly acceptBearer: boolean;
  readonly verifyBearer?: BearerVerifier;
  readonly jobTiming: JobTiming;
  readonly fileProcessingMs: number;
  readonly limits: EmulatorLimits;
}

/** Azure file states (Azure/azure-rest-api-specs specification/cognitiveservices/data-plane/AzureOpenAI/authoring/stable/2024-10-21/azureopenai.json @ 3ecc2097); `uploaded` and `deleting` are never returned. */
export type FileStatus = "pending" | "running" | "processed" | "error" | "deleted";

/** Job states across api-versions (Azure/azure-rest-api-specs specification/cognitiveservices/data-plane/AzureOpenAI/authoring/stable/2024-10-21/azureopenai.json @ 3ecc2097; Azure/azure-rest-api-specs specification/cognitiveservices/data-plane/AzureOpenAI/authoring/preview/2025-04-01-preview/azureopenai.json @ 0dba90a0; Azure/azure-rest-api-specs specification/ai/data-plane/OpenAI.v1/azure-v1-v1-generated.yaml @ 2d621d46). `created` is never returned. */
export type JobStatus =
  "pending" | "running" | "succeeded" | "failed" | "cancelled" | "pausing" | "paused" | "resuming";

/** One training example reduced to what the chat stand-in needs. */
export interface TrainingExample {
  /** All user messages of the example, joined. */
  readonly prompt: string;
  /** The last assistant (or preferred) reply. */
  readonly reply: string;
}

/** A stored file. */
export interface FileRecord {
  readonly id: string;
  readonly filename: string;
  readonly purpose: string;
  readonly bytes: number;
  readonly createdAt: number;
  status: FileStatus;
  statusDetails: string | null;
  readonly content: Buffer;
  /** When the file expires (`expires_after`), epoch seconds; null when it is kept until deleted. */
  readonly expiresAt: number | null;
  /** Validation summary of a processed `fine-tune` file. */
  training?: { readonly examples: number; readonly totalTokens: number };
}

/** One part of an upload. */
export interface UploadPartRecord {
  readonly id: string;
  /** Azure also accepts this id in `part_ids` (spec example upload_file_complete). */
  readonly blockId: string;
  readonly createdAt: number;
  readonly data: Buffer;
}

/** An Uploads API upload. */
export interface UploadRecord {
  readonly id: string;
  readonly filename: string;
  readonly purpose: string;
  readonly bytes: number;
  readonly mimeType: string;
  readonly createdAt: number;
  readonly expiresAt: number;
  /** `expires_after.seconds` for the file the upload completes into, if given. */
  readonly fileExpiresAfter: number | null;
  status: "pending" | "completed" | "cancelled" | "expired";
  readonly parts: UploadPartRecord[];
  fileId: string | null;
}

/** A job event. */
export interface JobEventRecord {
  readonly id: string;
  readonly createdAt: number;
  readonly level: "info" | "warning" | "error";
  readonly message: string;
  readonly type: "message" | "metrics";
  readonly data?: Readonly<Record<string, number | null>>;
}

/** Training metrics at one step. */
export interface StepMetrics {
  readonly step: number;
  readonly train_loss: number;
  readonly train_mean_token_accuracy: number;
  readonly valid_loss: number | null;
  readonly valid_mean_token_accuracy: number | null;
  readonly full_valid_loss: number | null;
  readonly full_valid_mean_token_accuracy: number | null;
}

/** A checkpoint. */
export interface CheckpointRecord {
  readonly id: string;
  readonly createdAt: number;
  readonly step: number;
  readonly metrics: StepMetrics;
}

/** Hyperparameter as requested: a number or "auto". */
export type HyperValue = number | "auto";

/** Values the job trains with, fixed when it starts. */
export interface ResolvedTraining {
  readonly epochs: number;
  readonly batchSize: number;
  readonly learningRateMultiplier: number;
  readonly stepsPerEpoch: number;
  readonly totalSteps: number;
  readonly ticks: number;
}

/** A failure the admin injected into a job. */
export interface InjectedJobFailure {
  readonly code: string;
  readonly message: string;
  readonly afterMs: number;
}

/** A fine-tuning job and its progress. */
export interface JobRecord {
  readonly id: string;
  /** The 32 hex digits shared by the job id, the tuned model and its checkpoints (spec examples). */
  readonly hex: string;
  readonly createdAt: number;
  /** `model` exactly as the request sent it. */
  readonly model: string;
  /** Full id of the root base model (`resolveBaseModel`). */
  readonly baseModel: string;
  readonly trainingFile: string;
  readonly validationFile: string | null;
  readonly suffix: string | null;
  readonly seed: number;
  readonly metadata: Readonly<Record<string, string>> | null;
  /** Where training runs (Azure/azure-sdk-for-python sdk/ai/azure-ai-projects/samples/finetuning/sample_finetuning_supervised_job.py), normalised; not echoed (no schema has it). */
  readonly trainingType: string;
  readonly method: {
    readonly type: "supervised" | "dpo" | "reinforcement";
    readonly hyperparameters: Readonly<Record<string, HyperValue>>;
  };
  status: JobStatus;
  /** True once `queuedMs` has passed; the job may then take the free training slot. */
  ready: boolean;
  resolved: ResolvedTraining | null;
  tick: number;
  readonly events: JobEventRecord[];
  readonly checkpoints: CheckpointRecord[];
  readonly metricsRows: StepMetrics[];
  fineTunedModel: string | null;
  resultFiles: string[] | null;
  finishedAt: number | null;
  trainedTokens: number | null;
  error: { code: string; message: string; param: string | null } | null;
  estimatedFinish: number | null;
  failure: InjectedJobFailure | null;
  /** Timers that belong to this job, cancelled when it leaves the active states. */
  readonly timers: Set<NodeJS.Timeout>;
}

/** A fine-tuned model (a successful job's output). */
export interface TunedModelRecord {
  readonly id: string;
  readonly baseModel: string;
  readonly jobId: string;
  readonly createdAt: number;
  /** Content of the training file, kept because the job's file may be deleted later. */
  readonly trainingContent: Buffer;
  /** Examples in the training file. */
  readonly exampleCount: number;
  /** Examples the chat stand-in answers from, parsed on the first chat request. */
  examples?: readonly TrainingExample[];
}

/** A deployment registered through the admin API (ARM is not emulated). */
export interface DeploymentRecord {
  readonly name: string;
  readonly model: string;
  readonly createdAt: number;
}

/** Resource state that `reset({ state: true })` clears. */
export interface ResourceState {
  readonly files: Map<string, FileRecord>;
  readonly uploads: Map<string, UploadRecord>;
  readonly jobs: Map<string, JobRecord>;
  readonly tunedModels: Map<string, TunedModelRecord>;
  readonly deployments: Map<string, DeploymentRecord>;
}

/** Creates empty resource state. */
export function emptyState(): ResourceState {
  return {
    files: new Map(),
    uploads: new Map(),
    jobs: new Map(),
    tunedModels: new Map(),
    deployments: new Map(),
  };
}

/** 32 random lowercase hex digits, the id body Azure uses everywhere (Azure/azure-rest-api-specs specification/cognitiveservices/data-plane/AzureOpenAI/authoring/stable/2024-10-21/examples @ 3ecc2097). */
export function newHex(): string {
  return randomBytes(16).toString("hex");
}

/** Shared context of one running emulator. */
export class EmulatorContext {
  state: ResourceState = emptyState();
  private readonly timers = new Set<NodeJS.Timeout>();

  /**
   * @param settings Settings with defaults applied.
   * @param log Progress line sink (no-op when quiet).
   */
  constructor(
    readonly settings: EmulatorSettings,
    readonly log: (line: string) => void,
  ) {}

  /** Current time in unix seconds, the unit of every `created_at`. */
  nowSeconds(): number {
    return Math.floor(Date.now() / 1000);
  }

  /** Runs `fn` after `ms`; the timer is dropped by `cancelAll` (reset, close). */
  schedule(ms: number, fn: () => void, owner?: Set<NodeJS.Timeout>): NodeJS.Timeout {
    const timer = setTimeout(
      () => {
        this.timers.delete(timer);
        owner?.delete(timer);
        try {
          fn();
        } catch (err) {
          this.log(`emulator: scheduled work failed: ${(err as Error).stack ?? String(err)}`);
        }
      },
      Math.max(0, ms),
    );
    this.timers.add(timer);
    owner?.add(timer);
    return timer;
  }

  /** Cancels the given timers and empties the set. */
  cancel(timers: Set<NodeJS.Timeout>): void {
    for (const timer of [...timers]) {
      clearTimeout(timer);
      this.timers.delete(timer);
    }
    timers.clear();
  }

  /** Cancels every pending timer. */
  cancelAll(): void {
    this.cancel(this.timers);
  }
}

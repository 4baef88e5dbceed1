/**
 * The FineTuningJob provider's inputs and outputs (plain values, after \`check\`) and the
 * constants its parts share.
 */
import type { AutoOr, TrainingType } from "../../lib/fineTuning";

/** Fine-tuning methods this resource runs. */
export type JobMethod = "supervised" | "dpo";

export interface HyperparameterValues {
  nEpochs: AutoOr<number>;
  batchSize: AutoOr<number>;
  learningRateMultiplier: AutoOr<number>;
  beta?: AutoOr<number>;
}

/** Inputs after `check`: defaults applied, base model alias resolved. */
export interface FineTuningJobProviderInputs {
  endpoint: string;
  accountName?: string;
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

export interface FineTuningJobProviderOutputs extends FineTuningJobProviderInputs {
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
export const IDEMPOTENCY_METADATA_KEY = "pulumi-idempotency-key";
export const METHODS: readonly JobMethod[] = ["supervised", "dpo"];
export const TERMINAL = ["succeeded", "failed", "cancelled"];
export const DEFAULT_POLL_SECONDS = 60;
/** First poll interval while the job is queued or validating; doubles up to the steady interval. */
export const FIRST_POLL_SECONDS = 5;
/**
 * Azure fails a job after 720 hours ("Max training job time (job will fail if exceeded)":
 * MicrosoftDocs/azure-ai-docs `articles/ai-foundry/openai/quotas-limits.md`).
 */
export const MAX_DEADLINE_MINUTES = 720 * 60;
export const CANCEL_WAIT_MS = 10 * 60 * 1000;
/** Training inputs: any change means a new job (the jobs API has no update); the account is judged apart. */
export const TRAINING_KEYS = [
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

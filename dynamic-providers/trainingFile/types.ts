/** The TrainingFile provider's inputs and outputs (plain values, after `check`) and its constants. */

/** Inputs after `check`: the args plus what the program's validation measured. */
export interface TrainingFileProviderInputs {
  endpoint: string;
  accountName?: string;
  path: string;
  model: string;
  purpose: string;
  epochs?: number;
  maxBilledTokens?: number;
  maxBilledTokensSetting?: string;
  apiVersion?: string;
  sha256: string;
  bytes: number;
  examples: number;
  totalTokens: number;
  /** False when the counts are estimates from another model's tokenizer (see ContentCheck). */
  tokenCountExact: boolean;
  estimatedBilledTokens: number;
}

export interface TrainingFileProviderOutputs extends TrainingFileProviderInputs {
  fileId: string;
  status: string;
  filename: string;
}

/**
 * What the program measured about the file (TrainingFile class, at construction): the validator
 * cannot travel in the serialized provider (its tokenizer tables and caches are module-level
 * native objects), so it runs in the program and `check` turns its verdict into failures.
 */
export interface ContentCheck {
  sha256: string;
  bytes: number;
  examples: number;
  totalTokens: number;
  /** False when the model's own tokenizer is not o200k_base: the counts are estimates. */
  tokenCountExact: boolean;
  /** How the tokens were counted, e.g. "o200k_base (estimate; gpt-oss-20b uses o200k_harmony)". */
  tokenizer: string;
  estimatedBilledTokens: number;
  epochs: number;
  epochsAuto: boolean;
  /** The validator's first "file:line: reason" errors. */
  errors: string[];
  errorCount: number;
  /** A problem with the inputs rather than the content (missing file, unknown model). */
  problem?: { property: string; reason: string };
}

export const PURPOSES = ["fine-tune"];
/** Check failures listed one by one; the rest are counted. */
export const MAX_LISTED_ERRORS = 10;
/**
 * Above this the Uploads API is used: a multipart upload is one request that "can't be retried or
 * resumed" (MicrosoftDocs/azure-ai-docs `articles/ai-foundry/openai/includes/fine-tuning-rest.md`).
 */
export const DEFAULT_UPLOAD_THRESHOLD_BYTES = 100 * 1024 * 1024;
/** Uploads API part size; OpenAI's limit per part is 64 MB. */
export const DEFAULT_UPLOAD_PART_BYTES = 64 * 1024 * 1024;
export const FILE_PROCESSING_TIMEOUT_MS = 60 * 60 * 1000;
export const UPLOAD_REQUEST_TIMEOUT_MS = 30 * 60 * 1000;

/**
 * Streaming validator for Azure OpenAI fine-tuning files (JSONL), shared by the CLI
 * (`npm run validate`), the TrainingFile provider's `check` and the emulator's file import, so
 * all three accept and reject the same files with the same messages. Over 400 lines because it
 * is one streaming pass over the file, kept together so each file-level check and its message
 * have one home.
 *
 * Decisions where Azure's documentation is silent or vague:
 * - A UTF-8 byte-order mark at the start of the file is accepted (Azure's docs ask for one) but
 *   not required; a BOM at the start of any later line is an error (files glued together).
 * - Blank lines (empty or whitespace only) are errors wherever they are; a final "\n" at the end
 *   of the file is a line terminator, not a blank line. "\r\n" line endings are accepted.
 * - Byte-identical lines are duplicates (a warning); JSON that differs only in spacing is not.
 * - Without a model, examples are checked against the largest per-example limit of any
 *   fine-tunable model (65,536 tokens); pass the model to check its own limit (gpt-4.1-nano: 32,768).
 * - Token counts are the OpenAI cookbook's chat-format estimate of what the service bills per
 *   epoch (see rules.ts); images and the exact rendering of tool definitions are not billed
 *   the same way, so they are estimates, while each text's count is exact o200k_base.
 * - Without `epochs`, Azure picks the epoch count itself ("auto", reported after the job
 *   starts); the report then estimates it with `autoEpochs` (lib/cost.ts), the rule the emulator
 *   trains with, so the estimate and the emulated job's trained tokens agree.
 */
import { createHash } from "node:crypto";
import { promises as fs } from "node:fs";
import { autoEpochs } from "../cost";
import { formatBytes } from "../format";
import {
  findModel,
  FINE_TUNABLE_MODEL_IDS,
  FINE_TUNABLE_MODELS,
  MODEL_CATALOG,
  modelsWithMethod,
} from "../models";
import { LineHashTable } from "./hashTable";
import { analyzeBytes, analyzeText, LineResult, MAX_LINE_BYTES } from "./lineAnalysis";
import { forEachBufferLine, forEachStreamLine, LineLimits } from "./lines";
import { LONGEST_TOKEN_BYTES } from "./longLines";
import { analyzeStreamReused, validationThreads } from "./parallel";
import { cacheDir, hashFile, readCached, writeCached } from "./resultCache";
import { TrainingFormat } from "./rules";

export { MAX_LINE_BYTES };

/** Largest training file the Files API accepts: 512 MB (MiB, as Azure's quota pages use it). */
export const MAX_FILE_BYTES = 512 * 1024 * 1024;
/** Fewest examples a fine-tuning job accepts. */
export const MIN_EXAMPLES = 10;
/** Most tokens one job may train: tokens in the file × epochs. */
export const MAX_JOB_TOKENS = 2_000_000_000;
/** Errors kept verbatim in a report; the rest are only counted. */
export const MAX_REPORTED_ERRORS = 20;
/** Files from this size on are validated on worker threads (smaller ones finish before a worker starts). */
const PARALLEL_MIN_BYTES = 4 * 1024 * 1024;
/**
 * The largest per-example token limit of any model in the catalog: the limit applied without a
 * model (or for one the catalog does not know), and the one the pre-scan of long lines refuses
 * against, so it never refuses a line some model would accept.
 */
const LARGEST_TOKEN_LIMIT = Math.max(
  ...FINE_TUNABLE_MODEL_IDS.map((id) => FINE_TUNABLE_MODELS[id].maxExampleTokens),
  ...Object.values(MODEL_CATALOG).map((m) => m.maxExampleTokens ?? 0),
);
/**
 * Where the line splitters stop buffering. A line is pre-scanned (longLines.ts) from the size
 * at which its text could hold more tokens than any model accepts, so a long line over the limit
 * is refused without holding it in memory.
 */
export const LINE_LIMITS: LineLimits = {
  maxLineBytes: MAX_LINE_BYTES,
  scanLineBytes: LARGEST_TOKEN_LIMIT * LONGEST_TOKEN_BYTES,
  tokenLimit: LARGEST_TOKEN_LIMIT,
};
/** Examples above this share of the model's limit get a warning. */
const NEAR_LIMIT_SHARE = 0.95;

/** Result of validating one training file. */
export interface ValidationReport {
  /** True when the file has no errors (warnings do not make it invalid). */
  valid: boolean;
  /** Name used in messages: the path given, or `displayName`. */
  file: string;
  /** Format of the examples: chat (supervised) or preference (DPO). */
  format: TrainingFormat;
  /** Full id of the base model whose limits were applied, or null when none was given. */
  model: string | null;
  /** Non-blank lines, valid or not. */
  examples: number;
  /** Sum of the examples' estimated billed tokens (one epoch). */
  totalTokens: number;
  /**
   * False when the model's own tokenizer is not o200k_base (the open models, or a model the
   * catalog does not know): the counts come from the closest available one and are estimates.
   */
  tokenCountExact: boolean;
  /** How the tokens were counted: "o200k_base", or "o200k_base (estimate; <model> uses …)". */
  tokenizer: string;
  /** Tokens of the longest example (for preference data: input plus the longer output). */
  maxExampleTokens: number;
  /** Per-example token limit applied. */
  tokenLimit: number;
  /** totalTokens × epochs. */
  estimatedBilledTokens: number;
  /** Epochs used for the estimate. */
  epochs: number;
  /** True when no epoch count was given, so Azure chooses it and `epochs` is `autoEpochs`' estimate. */
  epochsAuto: boolean;
  /** Size of the content in bytes. */
  bytes: number;
  /** The first errors, each "file:line: reason" (or "file: reason" for the whole file). */
  errors: string[];
  /** Number of errors found, including those not kept in `errors`. */
  errorCount: number;
  /** Problems that do not stop a job but usually hurt it or cost money. */
  warnings: string[];
  /** sha256 of the file's bytes, hashed while validating (validateTrainingFile only). */
  sha256?: string;
}

/** Options shared by the validate functions. */
export interface ValidateOptions {
  /** Base model to check against: full id, short alias (`gpt-4o`) or a fine-tuned id (`<base>.ft-…`). */
  model?: string;
  /** Planned epochs (`n_epochs`); leave unset when the job uses "auto". */
  epochs?: number;
  /** Name to show in messages instead of the path (e.g. the uploaded file's name). */
  displayName?: string;
}

/** A problem with the call itself (no model id, bad epochs, unreadable path), not with the file's content. */
export class ValidationUsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ValidationUsageError";
  }
}

interface Limits {
  model: string | null;
  /** False when `model` is given but not in the catalog: its methods and limit are unknown. */
  known: boolean;
  tokenLimit: number;
  tokenCountExact: boolean;
  tokenizer: string;
  epochs: number;
  epochsAuto: boolean;
}

function resolveLimits(opts: ValidateOptions): Limits {
  const largest = LARGEST_TOKEN_LIMIT;
  let limits = { model: null as string | null, known: true, tokenLimit: largest };
  let tokenizer = { tokenCountExact: true, tokenizer: "o200k_base" };
  if (opts.model !== undefined) {
    if (typeof opts.model !== "string" || opts.model === "") {
      throw new ValidationUsageError(
        `\`model\` ${JSON.stringify(opts.model)} is not a model id; use e.g. ${FINE_TUNABLE_MODEL_IDS[0]}`,
      );
    }
    const found = findModel(opts.model);
    // A model the catalog does not know is checked like the largest one, and counted as an
    // estimate: Azure may know models this catalog does not yet (see unknownModelWarning).
    limits = found
      ? { model: found.id, known: true, tokenLimit: found.model.maxExampleTokens ?? largest }
      : { model: opts.model, known: false, tokenLimit: largest };
    const own = found ? found.model.tokenizer : { exact: false, actual: "an unknown tokenizer" };
    if (!own.exact) {
      tokenizer = {
        tokenCountExact: false,
        tokenizer: `o200k_base (estimate; ${limits.model} uses ${own.actual ?? "another tokenizer"})`,
      };
    }
  }
  if (opts.epochs !== undefined && !(Number.isInteger(opts.epochs) && opts.epochs >= 1)) {
    throw new ValidationUsageError(
      `\`epochs\` ${JSON.stringify(opts.epochs)} is not valid; use a whole number of at least 1, or leave it unset for "auto"`,
    );
  }
  return {
    ...limits,
    ...tokenizer,
    epochs: opts.epochs ?? 1,
    epochsAuto: opts.epochs === undefined,
  };
}

const NUMBER = new Intl.NumberFormat("en-US");
const fmt = (n: number): string => NUMBER.format(n);

/** Accumulates line results into a report; one instance per file. */
class ReportBuilder {
  private readonly lineErrors: string[] = [];
  private lineErrorCount = 0;
  private line = 0;
  private examples = 0;
  private totalTokens = 0;
  private maxExampleTokens = 0;
  private format: TrainingFormat | undefined;
  private formatLine = 0;
  private readonly duplicates = new LineHashTable();
  private duplicateCount = 0;
  private firstDuplicate: [number, number] | undefined;
  private readonly systemPrompts = new LineHashTable(16);
  private withoutSystemPrompt = 0;
  private nearLimit = 0;
  private largestNearLimit: [number, number] | undefined;
  private readonly flagged = { legacy: [0, 0], consecutive: [0, 0], untrained: [0, 0] };
  private readonly unknownKeys = new Map<string, number>();
  private unknownKeyLines = 0;

  constructor(
    private readonly file: string,
    private readonly limits: Limits,
  ) {}

  /** True until the first line is added. */
  get atFirstLine(): boolean {
    return this.line === 0;
  }

  private error(reason: string): void {
    this.lineErrorCount++;
    if (this.lineErrors.length < MAX_REPORTED_ERRORS) {
      this.lineErrors.push(`${this.file}:${this.line}: ${reason}`);
    }
  }

  private flag(kind: keyof ReportBuilder["flagged"]): void {
    const f = this.flagged[kind];
    if (f[0]++ === 0) f[1] = this.line;
  }

  /** Adds the next line's analysis (lineAnalysis.ts), in file order; keeps nothing of `r`. */
  add(r: LineResult): void {
    this.line++;
    if (r.kind === "blank") {
      for (const reason of r.errors) this.error(reason);
      return;
    }
    this.examples++;
    if (r.kind !== "example") {
      for (const reason of r.errors) this.error(reason);
      return;
    }
    const firstDuplicateOf = this.duplicates.addHash(r.hashHi, r.hashLo, this.line);
    if (firstDuplicateOf !== 0 && this.duplicateCount++ === 0) {
      this.firstDuplicate = [this.line, firstDuplicateOf];
    }
    if (r.format !== undefined) {
      if (this.format === undefined) {
        this.format = r.format;
        this.formatLine = this.line;
      } else if (r.format !== this.format) {
        this.error(
          `is a ${r.format} example, but line ${this.formatLine} is a ${this.format} example; a file holds one format`,
        );
      }
    }
    for (const reason of r.errors) this.error(reason);

    this.totalTokens += r.tokens;
    if (r.contextTokens > this.maxExampleTokens) this.maxExampleTokens = r.contextTokens;
    const limit = this.limits.tokenLimit;
    if (r.contextTokens > limit) {
      this.error(
        `has ${fmt(r.contextTokens)} tokens; ${this.limits.model ?? "the largest fine-tunable model"} accepts at most ${fmt(limit)} per example ` +
          "(shorten it or split the conversation)",
      );
    } else if (r.contextTokens > limit * NEAR_LIMIT_SHARE) {
      if (this.nearLimit++ === 0 || r.contextTokens > this.largestNearLimit![1]) {
        this.largestNearLimit = [this.line, r.contextTokens];
      }
    }
    if (r.clean) {
      if (r.systemPrompt === undefined) this.withoutSystemPrompt++;
      else this.systemPrompts.addHash(r.systemPrompt[0], r.systemPrompt[1], this.line);
    }
    if (r.legacyFunctions) this.flag("legacy");
    if (r.consecutiveAssistant) this.flag("consecutive");
    if (r.untrained) this.flag("untrained");
    if (r.unknownKeys.length > 0) {
      this.unknownKeyLines++;
      for (const key of r.unknownKeys) {
        if (!this.unknownKeys.has(key)) this.unknownKeys.set(key, this.line);
      }
    }
  }

  /** Builds the report; `unread` when the content was refused before reading (too large). */
  finish(bytes: number, unread = false): ValidationReport {
    const { model, known, tokenLimit, epochsAuto, tokenCountExact, tokenizer } = this.limits;
    const epochs = epochsAuto ? autoEpochs(this.examples) : this.limits.epochs;
    const format = this.format ?? "chat";
    const head: string[] = [];
    if (bytes > MAX_FILE_BYTES) head.push(tooLargeError(this.file, bytes));
    if (model !== null && known && this.format !== undefined) {
      const method = format === "chat" ? "supervised" : "dpo";
      if (!findModel(model)!.model.methods.includes(method)) {
        const able = modelsWithMethod(method);
        const what = format === "chat" ? "chat (supervised)" : "preference (DPO)";
        head.push(
          `${this.file}: ${model} cannot be fine-tuned on ${what} data; ${method === "dpo" ? "DPO" : "supervised fine-tuning"} works with: ${able.join(", ")}`,
        );
      }
    }
    if (this.examples < MIN_EXAMPLES && !unread) {
      head.push(
        `${this.file}: has ${this.examples} example${this.examples === 1 ? "" : "s"}; Azure needs at least ${MIN_EXAMPLES} (hundreds to thousands train better)`,
      );
    }
    const estimatedBilledTokens = this.totalTokens * epochs;
    if (estimatedBilledTokens > MAX_JOB_TOKENS) {
      head.push(
        `${this.file}: holds ${fmt(this.totalTokens)} tokens × ${fmt(epochs)} epoch${epochs === 1 ? "" : "s"} = ${fmt(estimatedBilledTokens)}; ` +
          `a job may train at most ${fmt(MAX_JOB_TOKENS)} (tokens in the file × epochs), so use fewer epochs or a smaller file`,
      );
    }
    const errorCount = head.length + this.lineErrorCount;
    return {
      valid: errorCount === 0,
      file: this.file,
      format,
      model,
      examples: this.examples,
      totalTokens: this.totalTokens,
      tokenCountExact,
      tokenizer,
      maxExampleTokens: this.maxExampleTokens,
      tokenLimit,
      estimatedBilledTokens,
      epochs,
      epochsAuto,
      bytes,
      errors: [...head, ...this.lineErrors].slice(0, MAX_REPORTED_ERRORS),
      errorCount,
      warnings: this.warnings(),
    };
  }

  private warnings(): string[] {
    const warnings: string[] = [];
    if (!this.limits.known) {
      warnings.push(
        `${this.limits.model} is not in the model catalog: examples were checked against the largest ` +
          `known limit (${fmt(this.limits.tokenLimit)} tokens) and counted with ${this.limits.tokenizer}; Azure decides`,
      );
    }
    if (this.duplicateCount > 0) {
      const [line, original] = this.firstDuplicate!;
      warnings.push(
        `${this.duplicateCount} example${this.duplicateCount === 1 ? " repeats" : "s repeat"} an earlier line exactly (first: line ${line} repeats line ${original}); ` +
          "duplicates cost tokens and overweight those examples",
      );
    }
    const prompts =
      this.systemPrompts.size +
      (this.withoutSystemPrompt > 0 && this.systemPrompts.size > 0 ? 1 : 0);
    if (prompts > 1) {
      const none =
        this.withoutSystemPrompt > 0
          ? ` (counting the ${fmt(this.withoutSystemPrompt)} without one as one)`
          : "";
      warnings.push(
        `examples use ${fmt(prompts)} different system prompts${none}; the tuned model follows best the one system prompt it was trained with, so use the one you will send at inference`,
      );
    }
    if (this.nearLimit > 0) {
      const [line, tokens] = this.largestNearLimit!;
      warnings.push(
        `${this.nearLimit} example${this.nearLimit === 1 ? " is" : "s are"} within 5% of the ${fmt(this.limits.tokenLimit)}-token limit ` +
          `(largest: line ${line}, ${fmt(tokens)} tokens); the count is an estimate, so leave some room`,
      );
    }
    const { legacy, consecutive, untrained } = this.flagged;
    if (legacy[0] > 0) {
      warnings.push(
        `${legacy[0]} example${legacy[0] === 1 ? " uses" : "s use"} the deprecated "functions" / "function_call" / "function" role form (first: line ${legacy[1]}); ` +
          'use "tools", assistant "tool_calls" and "tool" messages instead',
      );
    }
    if (consecutive[0] > 0) {
      warnings.push(
        `${consecutive[0]} example${consecutive[0] === 1 ? " has" : "s have"} two assistant messages in a row (first: line ${consecutive[1]}); ` +
          'Azure has rejected such files with "invalid schema", so merge them or put the tool/user message between',
      );
    }
    if (untrained[0] > 0) {
      warnings.push(
        `${untrained[0]} example${untrained[0] === 1 ? " has" : "s have"} weight 0 on every assistant message (first: line ${untrained[1]}), so ${untrained[0] === 1 ? "it teaches" : "they teach"} nothing`,
      );
    }
    if (this.unknownKeyLines > 0) {
      const keys = [...this.unknownKeys].map(([key, line]) => `"${key}" (line ${line})`).join(", ");
      warnings.push(
        `${this.unknownKeyLines} example${this.unknownKeyLines === 1 ? " has" : "s have"} top-level keys the format does not define: ${keys}; Azure may reject or ignore them`,
      );
    }
    return warnings;
  }
}

function tooLargeError(file: string, bytes: number): string {
  return `${file}: is ${(bytes / 1024 / 1024).toFixed(1)} MB; Azure accepts at most ${MAX_FILE_BYTES / 1024 / 1024} MB per training file, so split it`;
}

function ioError(path: string, error: NodeJS.ErrnoException): ValidationUsageError {
  switch (error.code) {
    case "ENOENT":
      return new ValidationUsageError(
        `training file ${path} does not exist (relative paths start at ${process.cwd()}); check the path`,
      );
    case "EISDIR":
      return new ValidationUsageError(
        `training file ${path} is a directory; pass the path of a .jsonl file`,
      );
    case "EACCES":
    case "EPERM":
      return new ValidationUsageError(
        `training file ${path} cannot be read (${error.code}); check its permissions`,
      );
    default:
      return new ValidationUsageError(`training file ${path} cannot be read: ${error.message}`);
  }
}

/**
 * Reads `path` in 256 KiB pieces into one reused buffer, so reading makes no garbage: on a file
 * of long lines, which allocates little else, a stream's discarded chunks stayed in RSS until a
 * late GC (+50 MB on a 60 MB line). Each piece is only valid until the next is asked for.
 */
async function* readPieces(path: string): AsyncGenerator<Buffer> {
  const handle = await fs.open(path, "r");
  try {
    const buffer = Buffer.allocUnsafeSlow(256 * 1024);
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, null);
      if (bytesRead === 0) return;
      yield buffer.subarray(0, bytesRead);
    }
  } finally {
    await handle.close();
  }
}

/**
 * Validates a JSONL training file on disk, streaming it (memory stays flat whatever its size).
 * Throws {@link ValidationUsageError} for a malformed model id, invalid epochs or an unreadable path;
 * problems in the content are returned in the report.
 */
export async function validateTrainingFile(
  path: string,
  opts: ValidateOptions = {},
): Promise<ValidationReport> {
  const limits = resolveLimits(opts);
  const file = opts.displayName ?? path;
  let size: number;
  try {
    const stat = await fs.stat(path);
    if (stat.isDirectory()) throw Object.assign(new Error("is a directory"), { code: "EISDIR" });
    size = stat.size;
  } catch (e) {
    throw ioError(path, e as NodeJS.ErrnoException);
  }
  const builder = new ReportBuilder(file, limits);
  if (size > MAX_FILE_BYTES) {
    // Checked before reading: the upload would be refused whatever the content.
    return builder.finish(size, true);
  }
  // A repeat preview of unchanged content costs one hash pass (resultCache.ts).
  const cacheKey = { file, model: limits.model, epochs: opts.epochs ?? null };
  let contentHash: string | undefined;
  if (cacheDir() !== undefined) {
    try {
      contentHash = await hashFile(path);
    } catch (e) {
      throw ioError(path, e as NodeJS.ErrnoException);
    }
    const cached = await readCached<ValidationReport>(contentHash, cacheKey);
    if (cached !== undefined) return cached;
  }
  // Hashing the same chunks saves callers that content-address the file a second read.
  const hash = createHash("sha256");
  async function* hashed(chunks: AsyncIterable<Buffer>): AsyncIterable<Buffer> {
    for await (const chunk of chunks) {
      hash.update(chunk);
      yield chunk;
    }
  }
  const chunks = hashed(readPieces(path));
  const threads = size >= PARALLEL_MIN_BYTES ? validationThreads() : 0;
  try {
    if (threads > 0) {
      await analyzeStreamReused(chunks, threads, LINE_LIMITS, (r) => builder.add(r));
    } else {
      await forEachStreamLine(chunks, LINE_LIMITS, (bytes, start, end, refusal, scanned) =>
        builder.add(
          analyzeBytes(bytes.subarray(start, end), refusal, builder.atFirstLine, scanned),
        ),
      );
    }
  } catch (e) {
    if (typeof (e as NodeJS.ErrnoException).code === "string")
      throw ioError(path, e as NodeJS.ErrnoException);
    throw e;
  }
  const report = { ...builder.finish(size), sha256: hash.digest("hex") };
  // Only when the content did not change between the two reads.
  if (contentHash === report.sha256) await writeCached(contentHash, cacheKey, report);
  return report;
}

/** Validates JSONL content already in memory (e.g. an uploaded file), with the same rules and messages. */
export function validateTrainingBuffer(
  content: Buffer,
  opts: ValidateOptions = {},
): ValidationReport {
  const limits = resolveLimits(opts);
  const builder = new ReportBuilder(opts.displayName ?? "training data", limits);
  if (content.length > MAX_FILE_BYTES) {
    return builder.finish(content.length, true);
  }
  forEachBufferLine(content, LINE_LIMITS, (bytes, start, end, refusal, scanned) =>
    builder.add(analyzeBytes(bytes.subarray(start, end), refusal, builder.atFirstLine, scanned)),
  );
  return builder.finish(content.length);
}

/**
 * Validates JSONL content given as lines (one example per string, without "\n").
 * `bytes` in the report counts each line's UTF-8 bytes plus one for its newline.
 */
export async function validateTrainingLines(
  lines: AsyncIterable<string> | Iterable<string>,
  opts: ValidateOptions = {},
): Promise<ValidationReport> {
  const limits = resolveLimits(opts);
  const builder = new ReportBuilder(opts.displayName ?? "training data", limits);
  let bytes = 0;
  for await (const line of lines) {
    bytes += Buffer.byteLength(line) + 1;
    builder.add(analyzeText(line, builder.atFirstLine));
  }
  return builder.finish(bytes);
}

/** Human-readable summary of a report: the same lines in the CLI, the provider's check failures and the emulator. */
export function formatReport(report: ValidationReport): string {
  const lines: string[] = [];
  const kind = report.format === "chat" ? "chat" : "preference (DPO)";
  const against = report.model !== null ? ` for ${report.model}` : "";
  if (report.valid) {
    lines.push(`${report.file}: valid ${kind} training file${against}`);
  } else {
    lines.push(
      `${report.file}: invalid ${kind} training file${against} (${report.errorCount} error${report.errorCount === 1 ? "" : "s"})`,
    );
    lines.push(...report.errors.map((e) => `  ${e}`));
    if (report.errorCount > report.errors.length) {
      lines.push(`  … and ${report.errorCount - report.errors.length} more`);
    }
  }
  lines.push(
    `  ${fmt(report.examples)} example${report.examples === 1 ? "" : "s"}, ${formatBytes(report.bytes)}`,
  );
  const limitNote =
    report.model !== null ? "" : " of the largest model; pass the model to check its own";
  // "~" marks counts from another model's tokenizer (tokenCountExact false).
  const about = report.tokenCountExact ? "" : "~";
  const counted = report.tokenCountExact ? "" : `; counted with ${report.tokenizer}`;
  lines.push(
    `  ${about}${fmt(report.totalTokens)} tokens; longest example ${about}${fmt(report.maxExampleTokens)} (limit ${fmt(report.tokenLimit)}${limitNote})${counted}`,
  );
  const epochsNote = report.epochsAuto
    ? `${report.epochs} epochs, the likely "auto" count`
    : `${report.epochs} epoch${report.epochs === 1 ? "" : "s"}`;
  lines.push(
    `  estimated billed tokens: ${about}${fmt(report.estimatedBilledTokens)} (${about}${fmt(report.totalTokens)} × ${epochsNote})`,
  );
  for (const warning of report.warnings) {
    lines.push(`  warning: ${warning}`);
  }
  return lines.join("\n");
}

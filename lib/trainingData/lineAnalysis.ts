/**
 * What one JSONL line contributes to a validation report, computed without any file-level
 * state, so worker threads can analyse lines in any order and the report is assembled in file
 * order afterwards (validate.ts). Results travel between threads packed into an Int32Array.
 */
import { isUtf8 } from "node:buffer";
import { firstInvalidUtf8, lineDigest, ScannedLine } from "./lines";
import { BOM_LINE_REASON, invalidUtf8Reason } from "./longLines";
import { checkExample, TrainingFormat } from "./rules";

/** Lines longer than this are reported without being buffered (no valid example comes close). */
export const MAX_LINE_BYTES = 64 * 1024 * 1024;

/** How a line was classified before (or instead of) its rules were checked. */
export type LineKind = "example" | "tooLong" | "invalidUtf8" | "blank";
// "tooLong" stands for every line refused unread: over MAX_LINE_BYTES, or over the token limit
// by the pre-scan of long lines (longLines.ts).

/** One line's findings; errors are reasons without the `file:line:` prefix. */
export interface LineResult {
  kind: LineKind;
  /** Reasons the line is invalid that need no file-level state. */
  errors: string[];
  format: TrainingFormat | undefined;
  tokens: number;
  contextTokens: number;
  /** 64-bit content hash (two uint32) for duplicate detection; examples only. */
  hashHi: number;
  hashLo: number;
  /** Hash of the joined system prompt, when the example is valid and has one. */
  systemPrompt: [number, number] | undefined;
  /** Format detected and no rule errors (the example counts towards the system-prompt warning). */
  clean: boolean;
  legacyFunctions: boolean;
  consecutiveAssistant: boolean;
  untrained: boolean;
  unknownKeys: string[];
}

function describeJsonError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  // V8 quotes the start of the input ("xyz" is not valid JSON); training text stays out of messages.
  const token = /^Unexpected token '(.+?)', ".*"(?:\.\.\.)? is not valid JSON$/s.exec(message);
  if (token) return `unexpected character '${token[1]}'`;
  const positioned = /^(.*?)(?: in JSON)? at position (\d+)(?: \(line \d+ column \d+\))?$/s.exec(
    message,
  );
  if (positioned) return `${positioned[1]} at column ${Number(positioned[2]) + 1}`;
  if (message === "Unexpected end of JSON input")
    return "the line ends before the JSON object does";
  return "unparseable";
}

function result(kind: LineKind, errors: string[] = []): LineResult {
  return {
    kind,
    errors,
    format: undefined,
    tokens: 0,
    contextTokens: 0,
    hashHi: 0,
    hashLo: 0,
    systemPrompt: undefined,
    clean: false,
    legacyFunctions: false,
    consecutiveAssistant: false,
    untrained: false,
    unknownKeys: [],
  };
}

/**
 * Analyses one line given as raw bytes (without "\n"); `first` for the file's first line.
 * `refusal` is the reason when the splitter refused the line unread (lines.ts); `scanned` comes
 * with a pre-scanned line, given compacted: its scan's error stands for the UTF-8, byte-order
 * mark and JSON checks (whose positions would be off in the compacted bytes), and its digest
 * for the compacted bytes' own.
 */
export function analyzeBytes(
  bytes: Buffer,
  refusal: string | undefined,
  first: boolean,
  scanned?: ScannedLine,
): LineResult {
  if (refusal !== undefined) return result("tooLong", [refusal]);
  let start = 0;
  let end = bytes.length;
  if (end > 0 && bytes[end - 1] === 0x0d) end--;
  if (first && end >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) start = 3;
  const content = bytes.subarray(start, end);
  if (scanned?.invalidUtf8) return result("invalidUtf8", [scanned.error!]);
  // isUtf8 (simdutf) is ~20x faster than the byte loop that finds where the error is.
  const invalidAt = scanned !== undefined || isUtf8(content) ? -1 : firstInvalidUtf8(content);
  if (invalidAt >= 0) {
    return result("invalidUtf8", [invalidUtf8Reason(content[invalidAt], invalidAt)]);
  }
  return analyzeDecoded(content.toString("utf8"), content, scanned);
}

/** Analyses one line given as text (no trailing newline). */
export function analyzeText(text: string, first: boolean): LineResult {
  let content = text.endsWith("\r") ? text.slice(0, -1) : text;
  if (first && content.startsWith("\uFEFF")) content = content.slice(1);
  return analyzeDecoded(content, content);
}

function analyzeDecoded(
  text: string,
  hashSource: string | Buffer,
  scanned?: ScannedLine,
): LineResult {
  if (text.trim().length === 0) {
    return result("blank", ["is blank; remove empty lines, every line must hold one JSON example"]);
  }
  const r = result("example");
  if (scanned === undefined) [r.hashHi, r.hashLo] = lineDigest(hashSource);
  else [r.hashHi, r.hashLo] = [scanned.hashHi, scanned.hashLo];
  if (scanned?.error !== undefined) {
    r.errors.push(scanned.error);
    return r;
  }
  if (text.charCodeAt(0) === 0xfeff) {
    r.errors.push(BOM_LINE_REASON);
    return r;
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    r.errors.push(
      `is not valid JSON (${describeJsonError(e)}); each line must hold one complete JSON object`,
    );
    return r;
  }
  const facts = checkExample(value);
  r.errors = facts.errors;
  r.format = facts.format;
  r.tokens = facts.tokens;
  r.contextTokens = facts.contextTokens;
  r.clean = facts.format !== undefined && facts.errors.length === 0;
  if (r.clean && facts.systemPrompt !== undefined) r.systemPrompt = lineDigest(facts.systemPrompt);
  r.legacyFunctions = facts.legacyFunctions;
  r.consecutiveAssistant = facts.consecutiveAssistant;
  r.untrained = facts.untrained;
  r.unknownKeys = facts.unknownKeys;
  return r;
}

// Packed form: SLOTS int32 per line; strings (errors, unknown keys) go in a side list.
const SLOTS = 7;
const KINDS: LineKind[] = ["example", "tooLong", "invalidUtf8", "blank"];
const FORMATS: (TrainingFormat | undefined)[] = [undefined, "chat", "preference"];
const F_CLEAN = 1 << 4;
const F_LEGACY = 1 << 5;
const F_CONSECUTIVE = 1 << 6;
const F_UNTRAINED = 1 << 7;
const F_SYSTEM = 1 << 8;

/** Results of a batch of lines in transferable form. */
export interface PackedResults {
  readonly numbers: Int32Array;
  /** [index in batch, errors, unknown keys] for the lines that have any. */
  readonly strings: [number, string[], string[]][];
}

/** Packs results for postMessage (the Int32Array's buffer can be transferred). */
export function packResults(results: LineResult[]): PackedResults {
  const numbers = new Int32Array(results.length * SLOTS);
  const strings: [number, string[], string[]][] = [];
  results.forEach((r, i) => {
    const at = i * SLOTS;
    numbers[at] =
      KINDS.indexOf(r.kind) |
      (FORMATS.indexOf(r.format) << 2) |
      (r.clean ? F_CLEAN : 0) |
      (r.legacyFunctions ? F_LEGACY : 0) |
      (r.consecutiveAssistant ? F_CONSECUTIVE : 0) |
      (r.untrained ? F_UNTRAINED : 0) |
      (r.systemPrompt ? F_SYSTEM : 0);
    numbers[at + 1] = r.tokens;
    numbers[at + 2] = r.contextTokens;
    numbers[at + 3] = r.hashHi;
    numbers[at + 4] = r.hashLo;
    numbers[at + 5] = r.systemPrompt?.[0] ?? 0;
    numbers[at + 6] = r.systemPrompt?.[1] ?? 0;
    if (r.errors.length > 0 || r.unknownKeys.length > 0) strings.push([i, r.errors, r.unknownKeys]);
  });
  return { numbers, strings };
}

/** Unpacks {@link packResults}' output, calling `each` with a new result per line, in line order. */
export function unpackResults(packed: PackedResults, each: (r: LineResult) => void): void {
  forEachPacked(packed, () => result("example"), each);
}

/**
 * Like {@link unpackResults}, but overwrites one scratch result (and its system-prompt pair)
 * for every line, so `each` must not keep it. A fresh object per line kept the reading thread's
 * young generation busy enough to cost ~70 MB of peak RSS on large files.
 */
export function forEachPackedResult(packed: PackedResults, each: (r: LineResult) => void): void {
  const scratch = result("example");
  const pair: [number, number] = [0, 0];
  const none: string[] = [];
  forEachPacked(
    packed,
    () => {
      scratch.systemPrompt = pair;
      scratch.errors = none;
      scratch.unknownKeys = none;
      return scratch;
    },
    each,
  );
}

function forEachPacked(
  packed: PackedResults,
  target: () => LineResult,
  each: (r: LineResult) => void,
): void {
  const { numbers, strings } = packed;
  let next = 0;
  for (let i = 0; i * SLOTS < numbers.length; i++) {
    const at = i * SLOTS;
    const flags = numbers[at];
    const r = target();
    r.kind = KINDS[flags & 3];
    r.format = FORMATS[(flags >> 2) & 3];
    r.clean = (flags & F_CLEAN) !== 0;
    r.legacyFunctions = (flags & F_LEGACY) !== 0;
    r.consecutiveAssistant = (flags & F_CONSECUTIVE) !== 0;
    r.untrained = (flags & F_UNTRAINED) !== 0;
    r.tokens = numbers[at + 1];
    r.contextTokens = numbers[at + 2];
    r.hashHi = numbers[at + 3] >>> 0;
    r.hashLo = numbers[at + 4] >>> 0;
    if ((flags & F_SYSTEM) === 0) r.systemPrompt = undefined;
    else {
      r.systemPrompt ??= [0, 0];
      r.systemPrompt[0] = numbers[at + 5] >>> 0;
      r.systemPrompt[1] = numbers[at + 6] >>> 0;
    }
    if (next < strings.length && strings[next][0] === i) {
      r.errors = strings[next][1];
      r.unknownKeys = strings[next][2];
      next++;
    }
    each(r);
  }
}

/**
 * What the emulator reads out of an uploaded training file: the project validator's verdict
 * (standing in for Azure's asynchronous import validation) and the examples the chat stand-in
 * answers from.
 */
import { isUtf8 } from "node:buffer";
import { validateTrainingBuffer, validateTrainingLines } from "../../lib/trainingData/validate";
import type { TrainingExample } from "../state";

/** Outcome of validating one uploaded `fine-tune` file. */
export interface ContentVerdict {
  /** True when the file may be used for training. */
  readonly valid: boolean;
  /** Message for the file's `status_details` when invalid. */
  readonly statusDetails: string | null;
  readonly examples: number;
  readonly totalTokens: number;
}

/** How many validator errors `status_details` repeats. */
const DETAIL_ERRORS = 5;

/** Characters validated between two yields to the event loop. */
const YIELD_EVERY_CHARS = 1 << 18;

/**
 * Lines of file content without decoding it whole (a 512 MB file is near V8's string limit):
 * a leading BOM is dropped (https://learn.microsoft.com/azure/ai-foundry/openai/how-to/fine-tuning), "\r\n" is accepted, a final "\n" ends the last line.
 */
export function* contentLines(content: Buffer): Generator<string> {
  let start = content[0] === 0xef && content[1] === 0xbb && content[2] === 0xbf ? 3 : 0;
  while (start < content.length) {
    const newline = content.indexOf(0x0a, start);
    const end = newline < 0 ? content.length : newline;
    yield content.toString("utf8", start, end > start && content[end - 1] === 0x0d ? end - 1 : end);
    start = end + 1;
  }
}

/**
 * Lines that hand the event loop back now and then: validation is CPU-bound (about 20 MB/s), and
 * Azure keeps answering status polls while it imports a file.
 */
async function* yieldingLines(content: Buffer): AsyncGenerator<string> {
  let since = 0;
  for (const line of contentLines(content)) {
    yield line;
    since += line.length;
    if (since >= YIELD_EVERY_CHARS) {
      since = 0;
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
}

/**
 * Validates an uploaded training file with the project validator. Azure reports import failures in
 * `status_details` as one string (legacy observed prefix "Validation of jsonl file failed: ",
 * MicrosoftDocs/azure-docs#107548); the emulator appends the validator's first errors.
 */
export async function validateContent(content: Buffer, filename: string): Promise<ContentVerdict> {
  let report;
  try {
    report = isUtf8(content)
      ? await validateTrainingLines(yieldingLines(content), { displayName: filename })
      : // Decoding would hide bad bytes behind U+FFFD; the buffer form names their line.
        validateTrainingBuffer(content, { displayName: filename });
  } catch (err) {
    return {
      valid: false,
      statusDetails: `Validation of jsonl file failed: ${(err as Error).message}`,
      examples: 0,
      totalTokens: 0,
    };
  }
  if (report.valid) {
    return {
      valid: true,
      statusDetails: null,
      examples: report.examples,
      totalTokens: report.totalTokens,
    };
  }
  const shown = report.errors.slice(0, DETAIL_ERRORS).join("; ");
  const more =
    report.errorCount > DETAIL_ERRORS ? ` (and ${report.errorCount - DETAIL_ERRORS} more)` : "";
  return {
    valid: false,
    statusDetails: `Validation of jsonl file failed: ${report.errorCount} error(s): ${shown}${more}`,
    examples: report.examples,
    totalTokens: report.totalTokens,
  };
}

/** Text of a message `content` (a string, or an array of `{type:"text", text}` parts). */
export function messageText(content: unknown): string {
  if (typeof content === "string") {
    return content;
  }
  if (Array.isArray(content)) {
    return content
      .map((part) =>
        part && typeof part === "object" && typeof (part as { text?: unknown }).text === "string"
          ? (part as { text: string }).text
          : "",
      )
      .filter((text) => text !== "")
      .join(" ");
  }
  return "";
}

interface Message {
  readonly role?: unknown;
  readonly content?: unknown;
}

function asMessages(value: unknown): Message[] {
  return Array.isArray(value)
    ? value.filter((m): m is Message => !!m && typeof m === "object")
    : [];
}

/**
 * Extracts (prompt, reply) pairs from a validated training file: chat lines
 * (`messages`) and preference lines (`input.messages` + `preferred_output`, https://learn.microsoft.com/azure/ai-foundry/openai/how-to/fine-tuning-direct-preference-optimization).
 * Lines that do not parse are skipped; the file was validated before this runs.
 */
export function extractExamples(content: Buffer): TrainingExample[] {
  const examples: TrainingExample[] = [];
  for (const line of contentLines(content)) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      continue;
    }
    if (!parsed || typeof parsed !== "object") {
      continue;
    }
    const record = parsed as {
      messages?: unknown;
      input?: { messages?: unknown };
      preferred_output?: unknown;
    };
    const conversation = asMessages(record.messages ?? record.input?.messages);
    const answers = record.messages ? conversation : asMessages(record.preferred_output);
    const prompt = conversation
      .filter((m) => m.role === "user")
      .map((m) => messageText(m.content))
      .join("\n");
    const reply = answers
      .filter((m) => m.role === "assistant")
      .map((m) => messageText(m.content))
      .filter((text) => text !== "")
      .pop();
    if (reply !== undefined) {
      examples.push({ prompt, reply });
    }
  }
  return examples;
}

/**
 * The questions `npm run compare` asks: a `{ system?, prompts }` JSON file such as
 * data/compare-prompts.json, or a chat-format JSONL file (training data), whose examples are asked
 * without their final assistant reply.
 */
import { readFile } from "node:fs/promises";
import { usageError } from "./errors";

/** A chat message as sent to the deployments. */
export interface PromptMessage {
  readonly role: "system" | "user" | "assistant";
  readonly content: string;
}

/** One question, asked of both deployments. */
export interface PromptCase {
  /** Messages sent, in order; the last one is from the user. */
  readonly messages: readonly PromptMessage[];
  /** The last user message, the label in progress lines and reports. */
  readonly prompt: string;
  /** Where the question came from: `file#index` (JSON, 1-based) or `file:line` (JSONL). */
  readonly source: string;
}

/**
 * Reads the prompts file; `.jsonl` files are read as chat examples, anything else as
 * `{ "system"?: string, "prompts": string[] }`.
 * @throws CompareError (exit 2) naming the file, the line or field, and the fix.
 */
export async function loadPrompts(file: string): Promise<PromptCase[]> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (err) {
    const code = (err as { code?: string }).code;
    throw usageError(
      code === "ENOENT"
        ? `\`--prompts\` file ${file} not found; pass an existing file or omit --prompts for data/compare-prompts.json`
        : `\`--prompts\` file ${file} cannot be read (${code ?? String(err)}); check the path and its permissions`,
    );
  }
  text = text.replace(/^\uFEFF/, "");
  return file.toLowerCase().endsWith(".jsonl")
    ? parsePromptsJsonl(text, file)
    : parsePromptsJson(text, file);
}

/**
 * Parses a `{ "system"?: string, "prompts": string[] }` document.
 * @param file Named in errors and in each case's `source`.
 */
export function parsePromptsJson(text: string, file: string): PromptCase[] {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw usageError(
      `${file}: not valid JSON (${(err as Error).message}); expected {"system": "...", "prompts": ["..."]}`,
    );
  }
  if (typeof doc !== "object" || doc === null || Array.isArray(doc)) {
    throw usageError(`${file}: expected an object {"system": "...", "prompts": ["..."]}`);
  }
  const { system, prompts } = doc as { system?: unknown; prompts?: unknown };
  if (system !== undefined && (typeof system !== "string" || system.trim() === "")) {
    throw usageError(
      `${file}: \`system\` must be a non-empty string when present; remove it or give the system message`,
    );
  }
  if (!Array.isArray(prompts) || prompts.length === 0) {
    throw usageError(`${file}: \`prompts\` must be a non-empty array of questions`);
  }
  return prompts.map((prompt, i) => {
    if (typeof prompt !== "string" || prompt.trim() === "") {
      throw usageError(`${file}: \`prompts[${i}]\` must be a non-empty string`);
    }
    const messages: PromptMessage[] =
      system === undefined ? [] : [{ role: "system", content: system }];
    messages.push({ role: "user", content: prompt });
    return { messages, prompt, source: `${file}#${i + 1}` };
  });
}

/**
 * Parses chat examples, one JSON object per line: `{"messages": [...]}` or the preference format's
 * `{"input": {"messages": [...]}, ...}`. Each example is asked with the messages before its final
 * assistant reply (the answer the fine-tune learned), so a single-turn example sends its system and
 * user messages.
 * @param file Named in errors and in each case's `source`.
 */
export function parsePromptsJsonl(text: string, file: string): PromptCase[] {
  const cases: PromptCase[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    if (line.trim() === "") {
      return;
    }
    const where = `${file}:${i + 1}`;
    let example: unknown;
    try {
      example = JSON.parse(line);
    } catch (err) {
      throw usageError(
        `${where}: not valid JSON (${(err as Error).message}); each line must be one chat example`,
      );
    }
    const e = (example ?? {}) as { messages?: unknown; input?: { messages?: unknown } };
    const raw = e.messages ?? e.input?.messages;
    if (!Array.isArray(raw) || raw.length === 0) {
      throw usageError(
        `${where}: expected {"messages": [...]} (or {"input": {"messages": [...]}}) with at least one message`,
      );
    }
    let messages = raw.map((m, j) => toPromptMessage(m, `${where}: messages[${j}]`));
    const lastAssistant = messages.map((m) => m.role).lastIndexOf("assistant");
    if (lastAssistant >= 0) {
      messages = messages.slice(0, lastAssistant);
    }
    const last = messages[messages.length - 1];
    if (last === undefined || last.role !== "user") {
      throw usageError(
        `${where}: no user message before the final assistant reply; the example has nothing to ask`,
      );
    }
    cases.push({ messages, prompt: last.content, source: where });
  });
  if (cases.length === 0) {
    throw usageError(`${file}: no examples; add one chat example per line`);
  }
  return cases;
}

function toPromptMessage(value: unknown, where: string): PromptMessage {
  const m = (value ?? {}) as { role?: unknown; content?: unknown };
  if (m.role !== "system" && m.role !== "user" && m.role !== "assistant") {
    throw usageError(
      `${where}: role ${JSON.stringify(m.role)} is not supported; compare asks system, user and assistant text messages only`,
    );
  }
  const content = textOf(m.content);
  if (content === undefined) {
    throw usageError(`${where}: \`content\` must be text (a string or text parts)`);
  }
  return { role: m.role, content };
}

/** Text of a message content: a string, or an array of `{type: "text", text}` parts. */
function textOf(content: unknown): string | undefined {
  if (typeof content === "string") {
    return content;
  }
  if (!Array.isArray(content)) {
    return undefined;
  }
  const texts = content.map((part) =>
    part && typeof part === "object" && (part as { type?: unknown }).type === "text"
      ? (part as { text?: unknown }).text
      : undefined,
  );
  return texts.every((t): t is string => typeof t === "string") ? texts.join("") : undefined;
}

/**
 * Validation of a chat completions request body the way Azure's inference endpoint refuses it:
 * OpenAI's error shape and wording, which Azure passes through from the model service
 * (examples quoted per check), and Azure's limit of 2048 messages per request
 * (https://learn.microsoft.com/azure/ai-foundry/openai/quotas-limits: "Max number of messages
 * per chat completions request: 2048").
 */
import { AzureError } from "../errors";

/** Roles Azure's chat endpoint accepts (run-llama/llama_index#17748 quotes the list). */
export const CHAT_ROLES: readonly string[] = ["system", "assistant", "user", "function", "tool"];

/** Azure's limit on messages per chat completions request. */
export const MAX_CHAT_MESSAGES = 2048;

/** Largest `n` OpenAI's API accepts. */
const MAX_N = 128;

/** One request message, as far as the emulator reads it. */
export interface ChatMessage {
  readonly role: string;
  readonly content: unknown;
}

/** A validated chat completions request. */
export interface ChatRequest {
  readonly messages: readonly ChatMessage[];
  /** Completion token cap (`max_completion_tokens`, else `max_tokens`), if any. */
  readonly maxTokens: number | undefined;
  /** Number of choices. */
  readonly n: number;
}

function invalid(message: string, param: string | null, code = ""): AzureError {
  return new AzureError(400, code, message, param, "inference");
}

/** Roles quoted as OpenAI lists them: 'a', 'b', and 'c'. */
function quotedList(values: readonly string[]): string {
  const quoted = values.map((v) => `'${v}'`);
  return `${quoted.slice(0, -1).join(", ")}, and ${quoted[quoted.length - 1]}`;
}

function checkMessage(m: unknown, i: number): ChatMessage {
  if (!m || typeof m !== "object") {
    throw invalid(`Invalid type for 'messages[${i}]': expected an object.`, `messages[${i}]`);
  }
  const { role, content } = m as { role?: unknown; content?: unknown };
  if (typeof role !== "string" || !CHAT_ROLES.includes(role)) {
    // Observed body: openinterpreter/openinterpreter#1570.
    throw invalid(
      `Invalid value: '${String(role)}'. Supported values are: ${quotedList(CHAT_ROLES)}.`,
      `messages[${i}].role`,
      "invalid_value",
    );
  }
  const toolCall = "tool_calls" in m || "function_call" in m;
  if ((content === null || content === undefined) && !(role === "assistant" && toolCall)) {
    // Only an assistant message that calls a tool may have no content (inference spec,
    // chatCompletionRequestAssistantMessage); wording as OpenAI answers a null content.
    throw invalid(
      "Invalid value for 'content': expected a string, got null.",
      `messages.[${i}].content`,
    );
  }
  return { role, content };
}

/** Reads an optional integer parameter within bounds (OpenAI's integer_below/above wording). */
function integerParam(body: Record<string, unknown>, name: string, min: number, max?: number) {
  const value = body[name];
  if (value === undefined || value === null) {
    return undefined;
  }
  if (typeof value !== "number" || !Number.isInteger(value)) {
    throw invalid(
      `Invalid type for '${name}': expected an integer, but got ${typeof value} instead.`,
      name,
      "invalid_type",
    );
  }
  if (value < min) {
    throw invalid(
      `Invalid '${name}': integer below minimum value. Expected a value >= ${min}, but got ${value} instead.`,
      name,
      "integer_below_min_value",
    );
  }
  if (max !== undefined && value > max) {
    throw invalid(
      `Invalid '${name}': integer above maximum value. Expected a value <= ${max}, but got ${value} instead.`,
      name,
      "integer_above_max_value",
    );
  }
  return value;
}

/** Validates a chat completions body; throws the 400 Azure would answer with. */
export function parseChatRequest(body: unknown): ChatRequest {
  const b = (body && typeof body === "object" ? body : {}) as Record<string, unknown>;
  const messages = b.messages;
  if (!Array.isArray(messages) || messages.length === 0) {
    throw invalid("'messages' is a required property and must be a non-empty array.", "messages");
  }
  if (messages.length > MAX_CHAT_MESSAGES) {
    // OpenAI's wording for array limits (openai/openai-dotnet#317).
    throw invalid(
      `Invalid 'messages': array too long. Expected an array with maximum length ${MAX_CHAT_MESSAGES}, but got an array with length ${messages.length} instead.`,
      "messages",
      "array_above_max_length",
    );
  }
  if (b.stream === true) {
    throw invalid("The emulator does not stream; send `stream: false`.", "stream");
  }
  return {
    messages: messages.map(checkMessage),
    maxTokens: integerParam(b, "max_completion_tokens", 1) ?? integerParam(b, "max_tokens", 1),
    n: integerParam(b, "n", 1, MAX_N) ?? 1,
  };
}

/**
 * Azure OpenAI training-example rules for one JSONL line, as pure functions over the parsed
 * value. Over 400 lines because it is one rule set, kept together so each rule and its message
 * have one home. Sources (Microsoft Learn):
 * - https://learn.microsoft.com/azure/ai-foundry/openai/how-to/fine-tuning (conversational
 *   format, multi-turn `weight`)
 * - https://learn.microsoft.com/azure/ai-foundry/openai/how-to/fine-tuning-functions
 * - https://learn.microsoft.com/azure/ai-foundry/openai/how-to/fine-tuning-vision
 * - https://learn.microsoft.com/azure/ai-foundry/openai/how-to/fine-tuning-direct-preference-optimization
 */
import { countRepeatedText, countTokens } from "./tokens";

/** Shape of a training file: chat-completions examples (SFT) or preference pairs (DPO). */
export type TrainingFormat = "chat" | "preference";

/** What one line contributes to the report. */
export interface ExampleFacts {
  /** Format the line is written in; undefined when it is neither. */
  readonly format: TrainingFormat | undefined;
  /** Reasons the line is invalid, without the `file:line:` prefix. */
  readonly errors: string[];
  /** Estimated billed tokens of the example (0 when it could not be counted). */
  readonly tokens: number;
  /** Tokens of the longest sequence the model sees at once; the per-example limit applies to it. */
  readonly contextTokens: number;
  /** All system messages of the example joined with "\n", or undefined when it has none. */
  readonly systemPrompt: string | undefined;
  /** Uses the deprecated `functions` / `function_call` / `function` role form. */
  readonly legacyFunctions: boolean;
  /** Has an assistant message directly after another assistant message. */
  readonly consecutiveAssistant: boolean;
  /** Every assistant message has weight 0, so the example teaches nothing. */
  readonly untrained: boolean;
  /** Top-level keys the format does not define. */
  readonly unknownKeys: string[];
}

/** Roles a training message may have; `function` is the deprecated predecessor of `tool`. */
export const ROLES = ["system", "user", "assistant", "tool"] as const;

const MESSAGE_KEYS = [
  "role",
  "content",
  "name",
  "weight",
  "tool_calls",
  "tool_call_id",
  "function_call",
];
/**
 * Top-level keys of each format. Only these keys' values are ever read (checkChat,
 * checkPreference); checkExample tests other keys for presence only, and every other key is
 * listed by name in `unknownKeys`. longLines.ts relies on this to drop the other values of long lines.
 */
export const CHAT_KEYS: ReadonlySet<string> = new Set([
  "messages",
  "tools",
  "functions",
  "parallel_tool_calls",
]);
export const PREFERENCE_KEYS: ReadonlySet<string> = new Set([
  "input",
  "preferred_output",
  "non_preferred_output",
]);
/** Keys of a preference example's `input`; checkPreference reads only `messages` and `tools`. */
export const PREFERENCE_INPUT_KEYS: ReadonlySet<string> = new Set([
  "messages",
  "tools",
  "parallel_tool_calls",
]);
const IMAGE_DETAILS = ["low", "high", "auto"];

// OpenAI cookbook "How to count tokens with tiktoken" (chat format): every message costs 3
// tokens of framing (<|start|>role…<|message|>…<|end|>), a `name` one more, and every reply is
// primed with 3 (<|start|>assistant<|message|>).
const TOKENS_PER_MESSAGE = 3;
const TOKENS_PER_NAME = 1;
const TOKENS_REPLY_PRIMING = 3;

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  switch (typeof value) {
    case "string":
      return "a string";
    case "number":
      return `the number ${value}`;
    case "boolean":
      return `${value}`;
    default:
      return "an object";
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isNonEmptyString(value: unknown): value is string {
  return typeof value === "string" && value.length > 0;
}

interface MessageContext {
  readonly errors: string[];
  /** Tool call ids issued so far in this example, for `tool_call_id` matching. */
  readonly callIds: Set<string>;
  /** Function names declared in `tools` (undefined when the example declares none). */
  readonly declaredTools: Set<string> | undefined;
  legacy: boolean;
}

interface MessageSummary {
  role: string | undefined;
  tokens: number;
  weight: number | undefined;
  systemText: string | undefined;
}

function checkContent(path: string, role: string, content: unknown, ctx: MessageContext): number {
  if (typeof content === "string") {
    if (content.length === 0) {
      ctx.errors.push(`${path} is empty; give the ${role} message some text`);
      return 0;
    }
    return role === "system" ? countRepeatedText(content) : countTokens(content);
  }
  if (!Array.isArray(content)) {
    ctx.errors.push(
      `${path} must be a string or an array of content parts, got ${describe(content)}`,
    );
    return 0;
  }
  if (content.length === 0) {
    ctx.errors.push(`${path} is an empty array; add a {"type": "text", "text": "..."} part`);
    return 0;
  }
  let tokens = 0;
  content.forEach((part, j) => {
    const partPath = `${path}[${j}]`;
    if (!isObject(part)) {
      ctx.errors.push(
        `${partPath} must be an object like {"type": "text", "text": "..."}, got ${describe(part)}`,
      );
      return;
    }
    if (part.type === "text") {
      if (!isNonEmptyString(part.text)) {
        ctx.errors.push(`${partPath}.text must be a non-empty string`);
        return;
      }
      tokens += countTokens(part.text);
    } else if (part.type === "image_url") {
      if (role === "assistant") {
        ctx.errors.push(
          `${partPath} is an image; images may appear in user messages, never in assistant messages`,
        );
        return;
      }
      // Image tokens depend on the image's size and `detail`; they are not estimated here.
      const image = part.image_url;
      if (!isObject(image) || !isNonEmptyString(image.url)) {
        ctx.errors.push(
          `${partPath}.image_url must be an object with a "url" string (https URL or data: URL)`,
        );
      } else if (image.detail !== undefined && !IMAGE_DETAILS.includes(image.detail as string)) {
        ctx.errors.push(
          `${partPath}.image_url.detail ${JSON.stringify(image.detail)} is not supported; use one of: ${IMAGE_DETAILS.join(", ")}`,
        );
      }
    } else {
      ctx.errors.push(
        `${partPath}.type ${JSON.stringify(part.type)} is not supported; use "text" or "image_url"`,
      );
    }
  });
  return tokens;
}

function checkToolCalls(path: string, calls: unknown, ctx: MessageContext): number {
  if (!Array.isArray(calls) || calls.length === 0) {
    ctx.errors.push(`${path} must be a non-empty array of tool calls`);
    return 0;
  }
  let tokens = 0;
  calls.forEach((call, j) => {
    const callPath = `${path}[${j}]`;
    if (!isObject(call)) {
      ctx.errors.push(
        `${callPath} must be an object like {"id", "type": "function", "function": {"name", "arguments"}}, got ${describe(call)}`,
      );
      return;
    }
    if (!isNonEmptyString(call.id)) {
      ctx.errors.push(
        `${callPath}.id must be a non-empty string (the tool message's "tool_call_id" refers to it)`,
      );
    } else {
      ctx.callIds.add(call.id);
    }
    if (call.type !== "function") {
      const got = typeof call.type === "string" ? JSON.stringify(call.type) : describe(call.type);
      ctx.errors.push(`${callPath}.type must be "function", got ${got}`);
    }
    const fn = call.function;
    if (!isObject(fn)) {
      ctx.errors.push(`${callPath}.function must be an object with "name" and "arguments"`);
      return;
    }
    tokens += checkFunctionCall(`${callPath}.function`, fn, ctx);
    if (
      isNonEmptyString(fn.name) &&
      ctx.declaredTools !== undefined &&
      !ctx.declaredTools.has(fn.name)
    ) {
      ctx.errors.push(
        `${callPath} calls ${JSON.stringify(fn.name)}, which "tools" does not declare`,
      );
    }
  });
  return tokens;
}

/** Checks `{name, arguments}` of a tool call or a legacy `function_call`; returns its tokens. */
function checkFunctionCall(path: string, fn: Record<string, unknown>, ctx: MessageContext): number {
  let tokens = 0;
  if (!isNonEmptyString(fn.name)) {
    ctx.errors.push(`${path}.name must be a non-empty string`);
  } else {
    tokens += countTokens(fn.name);
  }
  if (typeof fn.arguments !== "string") {
    ctx.errors.push(
      `${path}.arguments must be a string holding JSON, e.g. "{\\"city\\": \\"Lisbon\\"}", got ${describe(fn.arguments)}`,
    );
  } else {
    try {
      JSON.parse(fn.arguments);
    } catch {
      ctx.errors.push(
        `${path}.arguments is not valid JSON; encode the arguments object with JSON.stringify`,
      );
    }
    tokens += countTokens(fn.arguments);
  }
  return tokens;
}

/** Checks that `message` is an object with an allowed role; returns the role, or undefined. */
function checkRole(
  path: string,
  message: unknown,
  ctx: MessageContext,
  allowedRoles: readonly string[],
): string | undefined {
  if (!isObject(message)) {
    ctx.errors.push(
      `${path} must be an object like {"role": "user", "content": "..."}, got ${describe(message)}`,
    );
    return undefined;
  }
  const role = message.role;
  if (role === undefined) {
    ctx.errors.push(`${path} has no "role"; use one of: ${allowedRoles.join(", ")}`);
    return undefined;
  }
  if (role === "function" && allowedRoles.includes("tool")) {
    ctx.legacy = true;
  } else if (typeof role !== "string" || !allowedRoles.includes(role)) {
    ctx.errors.push(
      `${path}.role ${JSON.stringify(role)} is not supported here; use one of: ${allowedRoles.join(", ")}`,
    );
    return undefined;
  }
  return role;
}

function checkMessageKeys(
  path: string,
  message: Record<string, unknown>,
  ctx: MessageContext,
): void {
  for (const key of Object.keys(message)) {
    if (!MESSAGE_KEYS.includes(key)) {
      ctx.errors.push(
        `${path} has unknown key ${JSON.stringify(key)}; allowed keys: ${MESSAGE_KEYS.join(", ")}`,
      );
    }
  }
}

/** Checks `content` (optional on a tool-calling assistant turn); returns its tokens. */
function checkMessageContent(
  path: string,
  role: string,
  message: Record<string, unknown>,
  ctx: MessageContext,
  summary: MessageSummary,
): number {
  const callsTool =
    role === "assistant" &&
    (message.tool_calls !== undefined || message.function_call !== undefined);
  // A tool-calling turn often carries `"content": null` or "" next to its tool_calls.
  if (
    message.content === undefined ||
    (callsTool && (message.content === null || message.content === ""))
  ) {
    if (!callsTool) {
      ctx.errors.push(`${path} (${role}) has no "content"`);
    }
    return 0;
  }
  if (role === "system" && typeof message.content === "string") {
    summary.systemText = message.content;
  }
  return checkContent(`${path}.content`, role, message.content, ctx);
}

/** Checks `name` and `weight`; returns the tokens of the name. */
function checkNameAndWeight(
  path: string,
  role: string,
  message: Record<string, unknown>,
  ctx: MessageContext,
  summary: MessageSummary,
): number {
  let tokens = 0;
  if (message.name !== undefined) {
    if (!isNonEmptyString(message.name)) {
      ctx.errors.push(`${path}.name must be a non-empty string, got ${describe(message.name)}`);
    } else {
      tokens += countTokens(message.name) + TOKENS_PER_NAME;
    }
  }
  if (message.weight !== undefined) {
    if (role !== "assistant") {
      ctx.errors.push(`${path} (${role}) has "weight"; only assistant messages take a weight`);
    } else if (message.weight !== 0 && message.weight !== 1) {
      ctx.errors.push(
        `${path}.weight is ${JSON.stringify(message.weight)}; use 0 (skip this turn) or 1 (train on it)`,
      );
    } else {
      summary.weight = message.weight;
    }
  }
  return tokens;
}

/** Checks `tool_calls` and the legacy `function_call`; returns their tokens. */
function checkMessageCalls(
  path: string,
  role: string,
  message: Record<string, unknown>,
  ctx: MessageContext,
): number {
  const isAssistant = role === "assistant";
  let tokens = 0;
  if (message.tool_calls !== undefined) {
    if (!isAssistant) {
      ctx.errors.push(`${path} (${role}) has "tool_calls"; only assistant messages call tools`);
    } else {
      tokens += checkToolCalls(`${path}.tool_calls`, message.tool_calls, ctx);
    }
  }
  if (message.function_call !== undefined) {
    ctx.legacy = true;
    if (!isAssistant) {
      ctx.errors.push(
        `${path} (${role}) has "function_call"; only assistant messages call functions`,
      );
    } else if (!isObject(message.function_call)) {
      ctx.errors.push(`${path}.function_call must be an object with "name" and "arguments"`);
    } else {
      tokens += checkFunctionCall(`${path}.function_call`, message.function_call, ctx);
    }
  }
  return tokens;
}

/** Checks `tool_call_id` (required on tool messages, forbidden elsewhere); returns its tokens. */
function checkToolCallId(
  path: string,
  role: string,
  message: Record<string, unknown>,
  ctx: MessageContext,
): number {
  if (role !== "tool") {
    if (message.tool_call_id !== undefined) {
      ctx.errors.push(
        `${path} (${role}) has "tool_call_id"; only tool messages answer a tool call`,
      );
    }
    return 0;
  }
  if (!isNonEmptyString(message.tool_call_id)) {
    ctx.errors.push(
      `${path} (tool) needs "tool_call_id" set to the id of the assistant tool call it answers`,
    );
    return 0;
  }
  if (!ctx.callIds.has(message.tool_call_id)) {
    ctx.errors.push(
      `${path}.tool_call_id ${JSON.stringify(message.tool_call_id)} matches no earlier assistant tool call in this example`,
    );
  }
  return countTokens(message.tool_call_id);
}

function checkMessage(
  path: string,
  message: unknown,
  ctx: MessageContext,
  allowedRoles: readonly string[],
): MessageSummary {
  const summary: MessageSummary = {
    role: undefined,
    tokens: 0,
    weight: undefined,
    systemText: undefined,
  };
  const role = checkRole(path, message, ctx, allowedRoles);
  if (role === undefined || !isObject(message)) {
    return summary;
  }
  summary.role = role;
  checkMessageKeys(path, message, ctx);
  summary.tokens =
    TOKENS_PER_MESSAGE +
    countTokens(role) +
    checkMessageContent(path, role, message, ctx, summary) +
    checkNameAndWeight(path, role, message, ctx, summary) +
    checkMessageCalls(path, role, message, ctx) +
    checkToolCallId(path, role, message, ctx);
  return summary;
}

interface ConversationSummary {
  tokens: number;
  roles: Set<string>;
  weights: number[];
  systemTexts: string[];
  consecutiveAssistant: boolean;
}

function checkMessages(
  path: string,
  messages: unknown,
  ctx: MessageContext,
  allowedRoles: readonly string[],
): ConversationSummary | undefined {
  if (!Array.isArray(messages)) {
    ctx.errors.push(`"${path}" must be an array of messages, got ${describe(messages)}`);
    return undefined;
  }
  if (messages.length === 0) {
    ctx.errors.push(`"${path}" is empty; add the conversation's messages`);
    return undefined;
  }
  const summary: ConversationSummary = {
    tokens: 0,
    roles: new Set(),
    weights: [],
    systemTexts: [],
    consecutiveAssistant: false,
  };
  let previousRole: string | undefined;
  messages.forEach((message, i) => {
    const m = checkMessage(`${path}[${i}]`, message, ctx, allowedRoles);
    summary.tokens += m.tokens;
    if (m.role !== undefined) {
      summary.roles.add(m.role);
      if (m.role === "assistant" && previousRole === "assistant") {
        summary.consecutiveAssistant = true;
      }
      if (m.role === "assistant") {
        summary.weights.push(m.weight ?? 1);
      }
    }
    if (m.systemText !== undefined) {
      summary.systemTexts.push(m.systemText);
    }
    previousRole = m.role;
  });
  return summary;
}

/** Checks `tools` (or legacy `functions`); returns the declared names and their tokens. */
function checkTools(
  key: "tools" | "functions",
  value: unknown,
  errors: string[],
): { names: Set<string>; tokens: number } {
  const names = new Set<string>();
  if (!Array.isArray(value) || value.length === 0) {
    errors.push(
      `"${key}" must be a non-empty array of ${key === "tools" ? 'tool definitions {"type": "function", "function": {...}}' : "function definitions"}`,
    );
    return { names, tokens: 0 };
  }
  value.forEach((tool, i) => {
    const path = `${key}[${i}]`;
    let fn: unknown = tool;
    if (key === "tools") {
      if (!isObject(tool) || tool.type !== "function") {
        errors.push(`${path}.type must be "function"`);
        return;
      }
      fn = tool.function;
      if (!isObject(fn)) {
        errors.push(
          `${path}.function must be an object with "name", "description" and "parameters"`,
        );
        return;
      }
    } else if (!isObject(fn)) {
      errors.push(`${path} must be an object with "name", "description" and "parameters"`);
      return;
    }
    const prefix = key === "tools" ? `${path}.function` : path;
    if (!isNonEmptyString(fn.name)) {
      errors.push(`${prefix}.name must be a non-empty string`);
    } else {
      names.add(fn.name);
    }
    if (fn.parameters !== undefined && !isObject(fn.parameters)) {
      errors.push(
        `${prefix}.parameters must be a JSON Schema object, got ${describe(fn.parameters)}`,
      );
    }
  });
  // Tool definitions are rendered into the prompt; their JSON is the closest cheap estimate, and
  // identical definitions repeat on every line, so the count is cached.
  return { names, tokens: countRepeatedText(JSON.stringify(value)) };
}

function facts(partial: Partial<ExampleFacts> & { errors: string[] }): ExampleFacts {
  return {
    format: undefined,
    tokens: 0,
    contextTokens: 0,
    systemPrompt: undefined,
    legacyFunctions: false,
    consecutiveAssistant: false,
    untrained: false,
    unknownKeys: [],
    ...partial,
  };
}

function checkChat(example: Record<string, unknown>): ExampleFacts {
  const errors: string[] = [];
  let legacy = false;
  let toolTokens = 0;
  let declaredTools: Set<string> | undefined;
  if (example.tools !== undefined) {
    const tools = checkTools("tools", example.tools, errors);
    declaredTools = tools.names;
    toolTokens += tools.tokens;
  }
  if (example.functions !== undefined) {
    legacy = true;
    toolTokens += checkTools("functions", example.functions, errors).tokens;
  }
  if (
    example.parallel_tool_calls !== undefined &&
    typeof example.parallel_tool_calls !== "boolean"
  ) {
    errors.push(
      `"parallel_tool_calls" must be true or false, got ${describe(example.parallel_tool_calls)}`,
    );
  }
  const ctx: MessageContext = { errors, callIds: new Set(), declaredTools, legacy };
  const conversation = checkMessages("messages", example.messages, ctx, [...ROLES]);
  const unknownKeys = Object.keys(example).filter((k) => !CHAT_KEYS.has(k));
  if (conversation === undefined) {
    return facts({ format: "chat", errors, legacyFunctions: ctx.legacy, unknownKeys });
  }
  if (!conversation.roles.has("user")) {
    errors.push(
      "has no user message; each example needs at least one user and one assistant message",
    );
  }
  if (!conversation.roles.has("assistant")) {
    errors.push(
      "has no assistant message; each example needs at least one user and one assistant message",
    );
  }
  const tokens = conversation.tokens + toolTokens + TOKENS_REPLY_PRIMING;
  return facts({
    format: "chat",
    errors,
    tokens,
    contextTokens: tokens,
    systemPrompt:
      conversation.systemTexts.length > 0 ? conversation.systemTexts.join("\n") : undefined,
    legacyFunctions: ctx.legacy,
    consecutiveAssistant: conversation.consecutiveAssistant,
    untrained: conversation.weights.length > 0 && conversation.weights.every((w) => w === 0),
    unknownKeys,
  });
}

function checkPreference(example: Record<string, unknown>): ExampleFacts {
  const errors: string[] = [];
  const unknownKeys = Object.keys(example).filter((k) => !PREFERENCE_KEYS.has(k));
  const missing = ["input", "preferred_output", "non_preferred_output"].filter(
    (k) => example[k] === undefined,
  );
  if (missing.length > 0) {
    errors.push(
      `has no ${missing.map((k) => `"${k}"`).join(" or ")}; preference (DPO) examples need "input", "preferred_output" and "non_preferred_output"`,
    );
    return facts({ format: "preference", errors, unknownKeys });
  }
  const input = example.input;
  if (!isObject(input)) {
    errors.push(`"input" must be an object like {"messages": [...]}, got ${describe(input)}`);
    return facts({ format: "preference", errors, unknownKeys });
  }
  unknownKeys.push(
    ...Object.keys(input)
      .filter((k) => !PREFERENCE_INPUT_KEYS.has(k))
      .map((k) => `input.${k}`),
  );
  let toolTokens = 0;
  let declaredTools: Set<string> | undefined;
  if (input.tools !== undefined) {
    const tools = checkTools("tools", input.tools, errors);
    declaredTools = tools.names;
    toolTokens = tools.tokens;
  }
  const inputCtx: MessageContext = { errors, callIds: new Set(), declaredTools, legacy: false };
  const prompt = checkMessages("input.messages", input.messages, inputCtx, [
    "system",
    "user",
    "assistant",
    "tool",
  ]);
  if (prompt !== undefined && !prompt.roles.has("user")) {
    errors.push(
      `"input.messages" has no user message; the prompt of a preference example needs one`,
    );
  }
  const outputTokens: number[] = [];
  let consecutiveAssistant = false;
  for (const key of ["preferred_output", "non_preferred_output"] as const) {
    // Outputs may answer tool calls made in the input, but not each other's.
    const ctx: MessageContext = {
      errors,
      callIds: new Set(inputCtx.callIds),
      declaredTools,
      legacy: false,
    };
    const output = checkMessages(key, example[key], ctx, ["assistant", "tool"]);
    if (output === undefined) continue;
    if (!output.roles.has("assistant")) {
      errors.push(`"${key}" has no assistant message; each output needs at least one`);
    }
    consecutiveAssistant ||= output.consecutiveAssistant;
    outputTokens.push(output.tokens);
  }
  if (prompt === undefined || outputTokens.length < 2) {
    return facts({ format: "preference", errors, unknownKeys });
  }
  const inputTokens = prompt.tokens + toolTokens + TOKENS_REPLY_PRIMING;
  return facts({
    format: "preference",
    errors,
    tokens: inputTokens + outputTokens[0] + outputTokens[1],
    contextTokens: inputTokens + Math.max(outputTokens[0], outputTokens[1]),
    systemPrompt: prompt.systemTexts.length > 0 ? prompt.systemTexts.join("\n") : undefined,
    legacyFunctions: inputCtx.legacy,
    consecutiveAssistant: consecutiveAssistant || prompt.consecutiveAssistant,
    unknownKeys,
  });
}

/**
 * Checks one parsed JSONL line against Azure's training-data rules and counts its tokens.
 * Token counts follow the OpenAI cookbook's chat-format estimate (3 per message, the tokens of
 * each string field, 1 per `name`, 3 to prime the reply); for preference examples `tokens`
 * covers the input and both outputs, `contextTokens` the input plus the longer output.
 */
export function checkExample(example: unknown): ExampleFacts {
  if (!isObject(example)) {
    return facts({
      errors: [`must be a JSON object like {"messages": [...]}, got ${describe(example)}`],
    });
  }
  if (example.messages !== undefined) {
    return checkChat(example);
  }
  if (
    example.input !== undefined ||
    example.preferred_output !== undefined ||
    example.non_preferred_output !== undefined
  ) {
    return checkPreference(example);
  }
  if (example.prompt !== undefined || example.completion !== undefined) {
    return facts({
      errors: [
        'uses the legacy prompt/completion format; Azure fine-tunes chat models on {"messages": [{"role": "user", ...}, {"role": "assistant", ...}]}',
      ],
    });
  }
  return facts({
    errors: [
      'has no "messages" array; each line needs {"messages": [...]} (or "input", "preferred_output" and "non_preferred_output" for DPO)',
    ],
  });
}

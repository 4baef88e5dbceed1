import { expect } from "chai";
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  formatReport,
  validateTrainingBuffer,
  validateTrainingFile,
  validateTrainingLines,
  ValidationReport,
  ValidationUsageError,
} from "../../../lib/trainingData/validate";
import { checkExample } from "../../../lib/trainingData/rules";

const FIXTURES = join(__dirname, "..", "..", "fixtures", "trainingData");
const fixture = (name: string): string => join(FIXTURES, name);
const fixtureLines = (name: string): string[] =>
  readFileSync(fixture(name), "utf8")
    .split("\n")
    .filter((l) => l !== "");

const CHAT = fixtureLines("valid-chat.jsonl").slice(0, 10);
const PREFERENCE = fixtureLines("valid-preference.jsonl");
const FILE = "catalog.jsonl";

const user = (content: unknown, extra: object = {}): object => ({
  role: "user",
  content,
  ...extra,
});
const assistant = (content: unknown, extra: object = {}): object => ({
  role: "assistant",
  content,
  ...extra,
});
const chat = (...messages: unknown[]): string => JSON.stringify({ messages });
/** The system prompt of the chat fixture, so warning tests see one prompt throughout. */
const SYSTEM = {
  role: "system",
  content: "You are Compass, a concise travel assistant. Answer in two sentences at most.",
};
const QUESTION = user("Which Lisbon tram goes to the castle?");
const ANSWER = assistant("Tram 28 stops close to São Jorge Castle.");
const WEATHER_TOOL = {
  type: "function",
  function: {
    name: "get_weather",
    description: "Forecast for a city",
    parameters: { type: "object", properties: { city: { type: "string" } } },
  },
};
const toolCall = (fn: object, id = "call_1"): object => ({
  role: "assistant",
  tool_calls: [{ id, type: "function", ...fn }],
});
const weatherCall = (args: unknown = '{"city": "Lisbon"}'): object =>
  toolCall({ function: { name: "get_weather", arguments: args } });
const withTools = (messages: unknown[], tools: unknown = [WEATHER_TOOL]): string =>
  JSON.stringify({ messages, tools });
const preference = (input: unknown, preferred: unknown, nonPreferred: unknown): string =>
  JSON.stringify({ input, preferred_output: preferred, non_preferred_output: nonPreferred });

/** A malformed line inserted as line 3 before 8 more valid examples, and the exact reasons reported for it. */
interface CatalogCase {
  readonly name: string;
  readonly line: string;
  readonly reasons: readonly string[];
  readonly base?: "chat" | "preference";
  readonly model?: string;
}

const NO_USER =
  "has no user message; each example needs at least one user and one assistant message";
const NOT_JSON = (why: string): string =>
  `is not valid JSON (${why}); each line must hold one complete JSON object`;

const CATALOG: readonly CatalogCase[] = [
  {
    name: "a line cut off mid-object",
    line: '{"messages": [{"role": "user"',
    reasons: [NOT_JSON("Expected ',' or '}' after property value at column 30")],
  },
  {
    name: "a line that ends inside an array",
    line: '{"messages": [',
    reasons: [NOT_JSON("the line ends before the JSON object does")],
  },
  {
    name: "an unterminated string",
    line: '{"messages": [{"role": "user", "content": "Hi',
    reasons: [NOT_JSON("Unterminated string at column 46")],
  },
  {
    name: "text after the JSON object",
    line: '{"messages": []} x',
    reasons: [NOT_JSON("Unexpected non-whitespace character after JSON at column 18")],
  },
  {
    name: "single-quoted keys",
    line: "{'messages': []}",
    reasons: [NOT_JSON("Expected property name or '}' at column 2")],
  },
  {
    name: "plain text instead of JSON",
    line: "Where should I go in May?",
    reasons: [NOT_JSON("unexpected character 'W'")],
  },
  {
    name: "a raw tab inside a string",
    line: '{"messages": [{"role": "user", "content": "Rome\tParis"}]}',
    reasons: [NOT_JSON("Bad control character in string literal at column 48")],
  },
  {
    name: "a JSON array instead of an object",
    line: '[{"role": "user"}]',
    reasons: ['must be a JSON object like {"messages": [...]}, got an array'],
  },
  {
    name: "an empty line",
    line: "",
    reasons: ["is blank; remove empty lines, every line must hold one JSON example"],
  },
  {
    name: "a whitespace-only line",
    line: " \t ",
    reasons: ["is blank; remove empty lines, every line must hold one JSON example"],
  },
  {
    name: "the legacy prompt/completion format",
    line: '{"prompt": "Best time for Kyoto?", "completion": "Spring or autumn."}',
    reasons: [
      'uses the legacy prompt/completion format; Azure fine-tunes chat models on {"messages": [{"role": "user", ...}, {"role": "assistant", ...}]}',
    ],
  },
  {
    name: "no messages key",
    line: JSON.stringify({ conversation: [QUESTION, ANSWER] }),
    reasons: [
      'has no "messages" array; each line needs {"messages": [...]} (or "input", "preferred_output" and "non_preferred_output" for DPO)',
    ],
  },
  {
    name: "messages as a string",
    line: '{"messages": "Plan my trip to Oslo"}',
    reasons: ['"messages" must be an array of messages, got a string'],
  },
  {
    name: "an empty messages array",
    line: '{"messages": []}',
    reasons: ['"messages" is empty; add the conversation\'s messages'],
  },
  {
    name: "a message that is a string",
    line: chat("Where can I eat in Lyon?", ANSWER),
    reasons: [
      'messages[0] must be an object like {"role": "user", "content": "..."}, got a string',
      NO_USER,
    ],
  },
  {
    name: "a message without a role",
    line: chat({ content: "Hi" }, ANSWER),
    reasons: ['messages[0] has no "role"; use one of: system, user, assistant, tool', NO_USER],
  },
  {
    name: "an unknown role",
    line: chat({ role: "traveller", content: "Hi" }, ANSWER),
    reasons: [
      'messages[0].role "traveller" is not supported here; use one of: system, user, assistant, tool',
      NO_USER,
    ],
  },
  {
    name: "no assistant message",
    line: chat({ role: "system", content: "You are Compass." }, QUESTION),
    reasons: [
      "has no assistant message; each example needs at least one user and one assistant message",
    ],
  },
  {
    name: "no user message",
    line: chat({ role: "system", content: "You are Compass." }, ANSWER),
    reasons: [NO_USER],
  },
  {
    name: "a user message without content",
    line: chat({ role: "user" }, ANSWER),
    reasons: ['messages[0] (user) has no "content"'],
  },
  {
    name: "content that is a number",
    line: chat(user(42), ANSWER),
    reasons: [
      "messages[0].content must be a string or an array of content parts, got the number 42",
    ],
  },
  {
    name: "empty content",
    line: chat(user(""), ANSWER),
    reasons: ["messages[0].content is empty; give the user message some text"],
  },
  {
    name: "null assistant content without a tool call",
    line: chat(QUESTION, assistant(null)),
    reasons: ["messages[1].content must be a string or an array of content parts, got null"],
  },
  {
    name: "a misspelled content key",
    line: chat({ role: "user", contents: "Hi" }, ANSWER),
    reasons: [
      'messages[0] has unknown key "contents"; allowed keys: role, content, name, weight, tool_calls, tool_call_id, function_call',
      'messages[0] (user) has no "content"',
    ],
  },
  {
    name: "weight on a user message",
    line: chat(user("Hi", { weight: 1 }), ANSWER),
    reasons: ['messages[0] (user) has "weight"; only assistant messages take a weight'],
  },
  {
    name: "a fractional weight",
    line: chat(QUESTION, assistant("Tram 28.", { weight: 0.5 })),
    reasons: ["messages[1].weight is 0.5; use 0 (skip this turn) or 1 (train on it)"],
  },
  {
    name: "a weight given as a string",
    line: chat(QUESTION, assistant("Tram 28.", { weight: "1" })),
    reasons: ['messages[1].weight is "1"; use 0 (skip this turn) or 1 (train on it)'],
  },
  {
    name: "a numeric name",
    line: chat(user("Hi", { name: 7 }), ANSWER),
    reasons: ["messages[0].name must be a non-empty string, got the number 7"],
  },
  {
    name: "an empty content-part array",
    line: chat(user([]), ANSWER),
    reasons: ['messages[0].content is an empty array; add a {"type": "text", "text": "..."} part'],
  },
  {
    name: "an unknown content-part type",
    line: chat(user([{ type: "audio", audio: "..." }]), ANSWER),
    reasons: ['messages[0].content[0].type "audio" is not supported; use "text" or "image_url"'],
  },
  {
    name: "a text part without text",
    line: chat(user([{ type: "text" }]), ANSWER),
    reasons: ["messages[0].content[0].text must be a non-empty string"],
  },
  {
    name: "an image in an assistant message",
    line: chat(
      QUESTION,
      assistant([{ type: "image_url", image_url: { url: "https://example.com/map.png" } }]),
    ),
    reasons: [
      "messages[1].content[0] is an image; images may appear in user messages, never in assistant messages",
    ],
  },
  {
    name: "an image part without a url",
    line: chat(
      user([
        { type: "text", text: "What is this?" },
        { type: "image_url", image_url: {} },
      ]),
      ANSWER,
    ),
    reasons: [
      'messages[0].content[1].image_url must be an object with a "url" string (https URL or data: URL)',
    ],
  },
  {
    name: "an unknown image detail",
    line: chat(
      user([
        { type: "text", text: "Where is this?" },
        { type: "image_url", image_url: { url: "https://example.com/a.jpg", detail: "ultra" } },
      ]),
      ANSWER,
    ),
    reasons: [
      'messages[0].content[1].image_url.detail "ultra" is not supported; use one of: low, high, auto',
    ],
  },
  {
    name: "tool calls on a user message",
    line: chat(user("Hi", { tool_calls: [] }), ANSWER),
    reasons: ['messages[0] (user) has "tool_calls"; only assistant messages call tools'],
  },
  {
    name: "an empty tool_calls array",
    line: chat(QUESTION, { role: "assistant", tool_calls: [] }),
    reasons: ["messages[1].tool_calls must be a non-empty array of tool calls"],
  },
  {
    name: "tool-call arguments as an object",
    line: withTools([QUESTION, weatherCall({ city: "Lisbon" })]),
    reasons: [
      'messages[1].tool_calls[0].function.arguments must be a string holding JSON, e.g. "{\\"city\\": \\"Lisbon\\"}", got an object',
    ],
  },
  {
    name: "tool-call arguments that are not JSON",
    line: withTools([QUESTION, weatherCall("city=Lisbon")]),
    reasons: [
      "messages[1].tool_calls[0].function.arguments is not valid JSON; encode the arguments object with JSON.stringify",
    ],
  },
  {
    name: "a tool call of another type",
    line: chat(QUESTION, {
      role: "assistant",
      tool_calls: [
        { id: "call_1", type: "retrieval", function: { name: "search", arguments: "{}" } },
      ],
    }),
    reasons: ['messages[1].tool_calls[0].type must be "function", got "retrieval"'],
  },
  {
    name: "a tool call without an id",
    line: chat(QUESTION, {
      role: "assistant",
      tool_calls: [{ type: "function", function: { name: "search", arguments: "{}" } }],
    }),
    reasons: [
      'messages[1].tool_calls[0].id must be a non-empty string (the tool message\'s "tool_call_id" refers to it)',
    ],
  },
  {
    name: "a tool result without tool_call_id",
    line: withTools([QUESTION, weatherCall(), { role: "tool", content: '{"high_c": 24}' }, ANSWER]),
    reasons: [
      'messages[2] (tool) needs "tool_call_id" set to the id of the assistant tool call it answers',
    ],
  },
  {
    name: "a tool result answering an unknown call",
    line: withTools([
      QUESTION,
      weatherCall(),
      { role: "tool", tool_call_id: "call_2", content: '{"high_c": 24}' },
      ANSWER,
    ]),
    reasons: [
      'messages[2].tool_call_id "call_2" matches no earlier assistant tool call in this example',
    ],
  },
  {
    name: "tool_call_id on a user message",
    line: chat(user("Hi", { tool_call_id: "call_1" }), ANSWER),
    reasons: ['messages[0] (user) has "tool_call_id"; only tool messages answer a tool call'],
  },
  {
    name: "a call to a tool that tools does not declare",
    line: withTools([QUESTION, toolCall({ function: { name: "book_hotel", arguments: "{}" } })]),
    reasons: ['messages[1].tool_calls[0] calls "book_hotel", which "tools" does not declare'],
  },
  {
    name: "tools as an object",
    line: withTools([QUESTION, ANSWER], WEATHER_TOOL),
    reasons: [
      '"tools" must be a non-empty array of tool definitions {"type": "function", "function": {...}}',
    ],
  },
  {
    name: "a tool definition of another type",
    line: withTools([QUESTION, ANSWER], [{ type: "code_interpreter" }]),
    reasons: ['tools[0].type must be "function"'],
  },
  {
    name: "tool parameters that are not a schema object",
    line: withTools(
      [QUESTION, ANSWER],
      [{ type: "function", function: { name: "get_weather", parameters: "city" } }],
    ),
    reasons: ["tools[0].function.parameters must be a JSON Schema object, got a string"],
  },
  {
    name: "a byte-order mark at the start of a later line",
    line: `\uFEFF${chat(QUESTION, ANSWER)}`,
    reasons: [
      "starts with a byte-order mark; only the first line of a file may have one (were files concatenated?)",
    ],
  },
  {
    name: "an example over the model's token limit",
    line: chat(user(" hello".repeat(32800)), assistant("Noted.")),
    model: "gpt-4.1-nano",
    reasons: [
      "has 32,814 tokens; gpt-4.1-nano-2025-04-14 accepts at most 32,768 per example (shorten it or split the conversation)",
    ],
  },
  {
    name: "a preference line in a chat file",
    line: PREFERENCE[0],
    reasons: ["is a preference example, but line 1 is a chat example; a file holds one format"],
  },
  {
    name: "a chat line in a preference file",
    base: "preference",
    line: CHAT[0],
    reasons: ["is a chat example, but line 1 is a preference example; a file holds one format"],
  },
  {
    name: "a preference example without non_preferred_output",
    base: "preference",
    line: JSON.stringify({ input: { messages: [QUESTION] }, preferred_output: [ANSWER] }),
    reasons: [
      'has no "non_preferred_output"; preference (DPO) examples need "input", "preferred_output" and "non_preferred_output"',
    ],
  },
  {
    name: "a user message in preferred_output",
    base: "preference",
    line: preference({ messages: [QUESTION] }, [QUESTION], [ANSWER]),
    reasons: [
      'preferred_output[0].role "user" is not supported here; use one of: assistant, tool',
      '"preferred_output" has no assistant message; each output needs at least one',
    ],
  },
  {
    name: "a preference input without a user message",
    base: "preference",
    line: preference(
      { messages: [{ role: "system", content: "You are Compass." }] },
      [ANSWER],
      [assistant("No idea.")],
    ),
    reasons: ['"input.messages" has no user message; the prompt of a preference example needs one'],
  },
  {
    name: "a preference input that is a list",
    base: "preference",
    line: preference([QUESTION], [ANSWER], [assistant("No idea.")]),
    reasons: ['"input" must be an object like {"messages": [...]}, got an array'],
  },
];

async function report(
  lines: Iterable<string> | AsyncIterable<string>,
  opts: { model?: string; epochs?: number } = {},
): Promise<ValidationReport> {
  return validateTrainingLines(lines, { displayName: FILE, ...opts });
}

describe("validateTrainingLines", () => {
  describe("rejects malformed examples with one exact message each", () => {
    it("has at least 25 cases in the catalog", () => {
      expect(CATALOG.length).to.be.at.least(25);
    });
    for (const c of CATALOG) {
      it(`rejects ${c.name}`, async () => {
        const lines = [...(c.base === "preference" ? PREFERENCE : CHAT)];
        lines.splice(2, 0, c.line);
        const r = await report(lines, { model: c.model });
        expect(r.errors).to.deep.equal(c.reasons.map((reason) => `${FILE}:3: ${reason}`));
        expect(r.errorCount).to.equal(c.reasons.length);
        expect(r.valid).to.equal(false);
      });
    }
  });

  it("accepts the chat fixture and counts its tokens exactly", async () => {
    const r = await report(fixtureLines("valid-chat.jsonl"));
    // Totals verified with tiktoken 1.0.22 (o200k_base, encode_ordinary) and the same cookbook formula.
    expect(r).to.deep.equal({
      valid: true,
      file: FILE,
      format: "chat",
      model: null,
      examples: 12,
      totalTokens: 781,
      tokenCountExact: true,
      tokenizer: "o200k_base",
      maxExampleTokens: 77,
      tokenLimit: 65536,
      estimatedBilledTokens: 781 * 8,
      epochs: 8, // autoEpochs(12): floor(100 / 12)
      epochsAuto: true,
      bytes: 4244,
      errors: [],
      errorCount: 0,
      warnings: [],
    });
  });

  it("accepts tool-calling examples with tools, tool_calls and tool results", async () => {
    const r = await report(fixtureLines("valid-tools.jsonl"), { model: "gpt-4.1" });
    expect([r.valid, r.errors, r.warnings, r.format, r.model]).to.deep.equal([
      true,
      [],
      [],
      "chat",
      "gpt-4.1-2025-04-14",
    ]);
    // Tool definitions are counted as their JSON; verified with tiktoken.
    expect([r.totalTokens, r.maxExampleTokens]).to.deep.equal([2074, 222]);
  });

  it("accepts preference (DPO) examples and reports the format", async () => {
    const r = await report(PREFERENCE, { model: "gpt-4o", epochs: 2 });
    expect([r.valid, r.errors, r.warnings, r.format]).to.deep.equal([true, [], [], "preference"]);
    expect([r.totalTokens, r.maxExampleTokens, r.estimatedBilledTokens]).to.deep.equal([
      563, 55, 1126,
    ]);
  });

  it("accepts multi-turn examples with weight 0 and 1 on assistant messages", async () => {
    const r = await report(fixtureLines("multi-turn-weights.jsonl"));
    expect([r.valid, r.errors, r.warnings, r.totalTokens, r.maxExampleTokens]).to.deep.equal([
      true,
      [],
      [],
      699,
      76,
    ]);
  });

  it("accepts a tool-calling turn whose content is null or empty", async () => {
    const call = { ...weatherCall(), content: null };
    const emptyCall = { ...weatherCall(), content: "" };
    const lines = [...CHAT];
    lines[0] = withTools([
      QUESTION,
      call,
      { role: "tool", tool_call_id: "call_1", content: "24°C" },
      ANSWER,
    ]);
    lines[1] = withTools([QUESTION, emptyCall]);
    const r = await report(lines);
    expect([r.valid, r.errors]).to.deep.equal([true, []]);
  });

  it("strips a byte-order mark on the first line and a trailing \\r", async () => {
    const lines = CHAT.map((l) => `${l}\r`);
    lines[0] = `\uFEFF${lines[0]}`;
    const r = await report(lines);
    expect([r.valid, r.errors, r.totalTokens]).to.deep.equal([
      true,
      [],
      (await report(CHAT)).totalTokens,
    ]);
  });

  it("reads async iterables the same as arrays", async () => {
    async function* gen(): AsyncGenerator<string> {
      yield* CHAT;
    }
    expect(await report(gen())).to.deep.equal(await report(CHAT));
  });

  it("reports files with fewer than 10 examples", async () => {
    const r = await report(CHAT.slice(0, 9));
    expect(r.errors).to.deep.equal([
      `${FILE}: has 9 examples; Azure needs at least 10 (hundreds to thousands train better)`,
    ]);
  });

  it("reports an empty file as having 0 examples", async () => {
    const r = await report([]);
    expect([r.valid, r.examples, r.errors]).to.deep.equal([
      false,
      0,
      [`${FILE}: has 0 examples; Azure needs at least 10 (hundreds to thousands train better)`],
    ]);
  });

  it("rejects preference data for a model without DPO", async () => {
    const r = await report(PREFERENCE, { model: "gpt-4o-mini" });
    expect(r.errors).to.deep.equal([
      `${FILE}: gpt-4o-mini-2024-07-18 cannot be fine-tuned on preference (DPO) data; DPO works with: gpt-4o-2024-08-06, gpt-4.1-2025-04-14, gpt-4.1-mini-2025-04-14, gpt-4.1-nano-2025-04-14`,
    ]);
  });

  it("rejects chat data for a reinforcement-only model", async () => {
    const r = await report(CHAT, { model: "o4-mini" });
    expect(r.errors).to.deep.equal([
      `${FILE}: o4-mini-2025-04-16 cannot be fine-tuned on chat (supervised) data; supervised fine-tuning works with: ` +
        "gpt-4o-2024-08-06, gpt-4o-mini-2024-07-18, gpt-4.1-2025-04-14, gpt-4.1-mini-2025-04-14, gpt-4.1-nano-2025-04-14, " +
        "Ministral-3B, Qwen-32B, Llama-3.3-70B-Instruct, gpt-oss-20b",
    ]);
  });

  it("rejects a job whose tokens × epochs exceed 2 billion", async () => {
    const r = await report(fixtureLines("valid-chat.jsonl"), { epochs: 3_000_000 });
    expect(r.errors).to.deep.equal([
      `${FILE}: holds 781 tokens × 3,000,000 epochs = 2,343,000,000; a job may train at most 2,000,000,000 (tokens in the file × epochs), so use fewer epochs or a smaller file`,
    ]);
  });

  it("keeps the first 20 errors, counts all of them and puts file-level errors first", async () => {
    const lines = Array.from({ length: 25 }, () => '{"messages": []}');
    const r = await report(lines, { model: "o4-mini" });
    expect(r.errorCount).to.equal(26);
    expect(r.errors.length).to.equal(20);
    expect(r.errors[0]).to.match(/^catalog\.jsonl: o4-mini-2025-04-16 cannot be fine-tuned/);
    expect(r.errors[1]).to.equal(`${FILE}:1: "messages" is empty; add the conversation's messages`);
    expect(r.errors[19]).to.equal(
      `${FILE}:19: "messages" is empty; add the conversation's messages`,
    );
  });

  it("resolves model aliases and fine-tuned ids to the base model's limit", async () => {
    expect((await report(CHAT, { model: "gpt-4o" })).model).to.equal("gpt-4o-2024-08-06");
    const tuned = await report(CHAT, { model: "gpt-4.1-nano-2025-04-14.ft-0123456789abcdef" });
    expect([tuned.model, tuned.tokenLimit]).to.deep.equal(["gpt-4.1-nano-2025-04-14", 32768]);
  });

  it("checks a model the catalog does not know against the largest limit, with a warning and estimated counts", async () => {
    const r = await report(CHAT, { model: "gpt-7-2027-01-01" });
    expect([r.valid, r.model, r.tokenLimit, r.tokenCountExact, r.tokenizer]).to.deep.equal([
      true,
      "gpt-7-2027-01-01",
      65536,
      false,
      "o200k_base (estimate; gpt-7-2027-01-01 uses an unknown tokenizer)",
    ]);
    expect(r.warnings).to.deep.equal([
      "gpt-7-2027-01-01 is not in the model catalog: examples were checked against the largest known limit " +
        "(65,536 tokens) and counted with o200k_base (estimate; gpt-7-2027-01-01 uses an unknown tokenizer); Azure decides",
    ]);
  });

  it("labels counts for a model with another tokenizer as estimates (gpt-oss: o200k_harmony)", async () => {
    const exact = await report(CHAT, { model: "gpt-4.1-mini" });
    const oss = await report(CHAT, { model: "gpt-oss-20b" });
    const n = (x: number) => x.toLocaleString("en-US");
    expect([exact.tokenCountExact, exact.tokenizer]).to.deep.equal([true, "o200k_base"]);
    expect([oss.tokenCountExact, oss.tokenizer, oss.totalTokens]).to.deep.equal([
      false,
      "o200k_base (estimate; gpt-oss-20b uses o200k_harmony)",
      exact.totalTokens,
    ]);
    expect(formatReport(oss).split("\n").slice(2, 4)).to.deep.equal([
      `  ~${n(oss.totalTokens)} tokens; longest example ~${n(oss.maxExampleTokens)} (limit 65,536); counted with o200k_base (estimate; gpt-oss-20b uses o200k_harmony)`,
      `  estimated billed tokens: ~${n(oss.estimatedBilledTokens)} (~${n(oss.totalTokens)} × ${oss.epochs} epochs, the likely "auto" count)`,
    ]);
  });

  it("throws a usage error for a model that is not an id", async () => {
    let caught: unknown;
    await report(CHAT, { model: "" }).catch((e: unknown) => (caught = e));
    expect(caught).to.be.instanceOf(ValidationUsageError);
    expect((caught as Error).message).to.equal(
      '`model` "" is not a model id; use e.g. gpt-4o-2024-08-06',
    );
  });

  for (const epochs of [0, 1.5, -2]) {
    it(`throws a usage error for epochs ${epochs}`, async () => {
      let caught: unknown;
      await report(CHAT, { epochs }).catch((e: unknown) => (caught = e));
      expect((caught as Error).message).to.equal(
        `\`epochs\` ${epochs} is not valid; use a whole number of at least 1, or leave it unset for "auto"`,
      );
    });
  }

  describe("warnings", () => {
    it("counts exact duplicate lines and names the first", async () => {
      const lines = [...CHAT];
      lines[4] = lines[1];
      lines[8] = lines[1];
      expect((await report(lines)).warnings).to.deep.equal([
        "2 examples repeat an earlier line exactly (first: line 5 repeats line 2); duplicates cost tokens and overweight those examples",
      ]);
    });

    it("says how many different system prompts the examples use", async () => {
      const lines = [...CHAT];
      lines[3] = chat({ role: "system", content: "You are a pirate." }, QUESTION, ANSWER);
      lines[6] = chat(QUESTION, ANSWER);
      const r = await report(lines);
      expect([r.valid, r.warnings]).to.deep.equal([
        true,
        [
          "examples use 3 different system prompts (counting the 1 without one as one); the tuned model follows best the one system prompt it was trained with, so use the one you will send at inference",
        ],
      ]);
    });

    it("flags examples within 5% of the model's token limit", async () => {
      const lines = [...CHAT];
      lines[2] = chat(SYSTEM, user(" hello".repeat(31200)), assistant("Noted."));
      const r = await report(lines, { model: "gpt-4.1-nano" });
      // 31,200 × " hello" (1 token each) + the framing: verified with tiktoken.
      expect([r.valid, r.maxExampleTokens, r.warnings]).to.deep.equal([
        true,
        31234,
        [
          "1 example is within 5% of the 32,768-token limit (largest: line 3, 31,234 tokens); the count is an estimate, so leave some room",
        ],
      ]);
    });

    it("flags the deprecated functions form without rejecting it", async () => {
      const lines = [...CHAT];
      lines[5] = JSON.stringify({
        functions: [{ name: "get_weather", parameters: { type: "object", properties: {} } }],
        messages: [
          SYSTEM,
          QUESTION,
          {
            role: "assistant",
            function_call: { name: "get_weather", arguments: '{"city": "Lisbon"}' },
          },
          { role: "function", name: "get_weather", content: "24°C" },
          ANSWER,
        ],
      });
      const r = await report(lines);
      expect([r.valid, r.warnings]).to.deep.equal([
        true,
        [
          '1 example uses the deprecated "functions" / "function_call" / "function" role form (first: line 6); use "tools", assistant "tool_calls" and "tool" messages instead',
        ],
      ]);
    });

    it("flags two assistant messages in a row, untrained examples and unknown top-level keys", async () => {
      const lines = [...CHAT];
      lines[1] = chat(SYSTEM, QUESTION, ANSWER, assistant("Anything else?"));
      lines[2] = chat(SYSTEM, QUESTION, assistant("Tram 28.", { weight: 0 }));
      lines[3] = JSON.stringify({ id: "ex-4", messages: [SYSTEM, QUESTION, ANSWER] });
      const r = await report(lines);
      expect([r.valid, r.warnings]).to.deep.equal([
        true,
        [
          '1 example has two assistant messages in a row (first: line 2); Azure has rejected such files with "invalid schema", so merge them or put the tool/user message between',
          "1 example has weight 0 on every assistant message (first: line 3), so it teaches nothing",
          '1 example has top-level keys the format does not define: "id" (line 4); Azure may reject or ignore them',
        ],
      ]);
    });
  });
});

describe("validateTrainingBuffer", () => {
  const good = Buffer.from(`${CHAT.join("\n")}\n`);

  it("accepts a BOM, CRLF line endings and a final newline", () => {
    const content = Buffer.concat([
      Buffer.from([0xef, 0xbb, 0xbf]),
      Buffer.from(`${CHAT.join("\r\n")}\r\n`),
    ]);
    const r = validateTrainingBuffer(content);
    expect([r.valid, r.errors, r.examples, r.bytes]).to.deep.equal([true, [], 10, content.length]);
  });

  it("treats an extra newline at the end as a blank line", () => {
    const r = validateTrainingBuffer(Buffer.concat([good, Buffer.from("\n")]), {
      displayName: FILE,
    });
    expect(r.errors).to.deep.equal([
      `${FILE}:11: is blank; remove empty lines, every line must hold one JSON example`,
    ]);
  });

  it("names the line and byte of invalid UTF-8", () => {
    const bad = Buffer.concat([
      Buffer.from(`${CHAT[0]}\n${CHAT[1]}\n{"messages": "caf`),
      Buffer.from([0xe9]),
      Buffer.from(`"}\n${CHAT.slice(3).join("\n")}`),
    ]);
    const r = validateTrainingBuffer(bad, { displayName: FILE });
    expect(r.errors).to.deep.equal([
      `${FILE}:3: is not valid UTF-8 (byte 0xe9 at byte 18 of the line); save the file as UTF-8`,
    ]);
  });

  it("rejects UTF-8-encoded surrogates (CESU-8) too", () => {
    const bad = Buffer.concat([
      Buffer.from(`${CHAT.slice(0, 9).join("\n")}\n{"x": "`),
      Buffer.from([0xed, 0xa0, 0x80]),
      Buffer.from('"}'),
    ]);
    const r = validateTrainingBuffer(bad, { displayName: FILE });
    expect(r.errors).to.deep.equal([
      `${FILE}:10: is not valid UTF-8 (byte 0xed at byte 8 of the line); save the file as UTF-8`,
    ]);
  });

  it("gives the same report as the line-based validator", async () => {
    expect(validateTrainingBuffer(good, { displayName: FILE })).to.deep.equal(await report(CHAT));
  });
});

/**
 * Writes `lines` to `path` and validates it streamed on the calling thread, on 2 workers and in
 * memory; checks that the three reports agree and returns it (without the file's sha256).
 */
async function reportEverywhere(
  path: string,
  lines: string[],
): Promise<Omit<ValidationReport, "sha256">> {
  writeFileSync(path, `${lines.join("\n")}\n`);
  const run = async (threads: string): Promise<Omit<ValidationReport, "sha256">> => {
    const { sha256, ...r } = await validateOnThreads(path, threads, FILE);
    expect(sha256).to.have.length(64);
    return r;
  };
  const [one, workers] = [await run("0"), await run("2")];
  const inMemory = validateTrainingBuffer(readFileSync(path), { displayName: FILE });
  expect([workers, inMemory]).to.deep.equal([one, one]);
  return one;
}

/** validateTrainingFile on `threads` worker threads ("0": the calling thread), without the result cache. */
async function validateOnThreads(
  path: string,
  threads: string,
  displayName: string,
): Promise<ValidationReport> {
  const keys = ["AOIFT_VALIDATE_THREADS", "AOIFT_CACHE_DIR"];
  const saved = keys.map((key) => process.env[key]);
  [process.env.AOIFT_VALIDATE_THREADS, process.env.AOIFT_CACHE_DIR] = [threads, "off"];
  try {
    return await validateTrainingFile(path, { displayName });
  } finally {
    keys.forEach((key, i) => {
      if (saved[i] === undefined) delete process.env[key];
      else process.env[key] = saved[i];
    });
  }
}

describe("validateTrainingFile", () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), "validate-spec-"));
  });
  after(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it("hashes the bytes it reads, so callers need no second pass", async () => {
    const path = fixture("valid-chat.jsonl");
    const r = await validateTrainingFile(path);
    expect(r.sha256).to.equal(createHash("sha256").update(readFileSync(path)).digest("hex"));
  });

  it("streams a file and reports the path as given", async () => {
    const path = fixture("valid-chat.jsonl");
    const r = await validateTrainingFile(path, { model: "gpt-4o-mini", epochs: 3 });
    expect([
      r.valid,
      r.file,
      r.examples,
      r.totalTokens,
      r.estimatedBilledTokens,
      r.bytes,
    ]).to.deep.equal([true, path, 12, 781, 2343, 4244]);
  });

  it("names the example without an assistant message", async () => {
    const r = await validateTrainingFile(fixture("missing-assistant.jsonl"), {
      displayName: "missing-assistant.jsonl",
    });
    expect(r.errors).to.deep.equal([
      "missing-assistant.jsonl:4: has no assistant message; each example needs at least one user and one assistant message",
    ]);
  });

  it("rejects a file over 512 MB without reading it", async () => {
    const path = join(dir, "big.jsonl");
    writeFileSync(path, "");
    truncateSync(path, 513 * 1024 * 1024); // sparse: no disk space used
    const r = await validateTrainingFile(path, { displayName: "big.jsonl" });
    expect([r.valid, r.examples, r.errors]).to.deep.equal([
      false,
      0,
      ["big.jsonl: is 513.0 MB; Azure accepts at most 512 MB per training file, so split it"],
    ]);
  });

  it("throws a usage error for a missing file", async () => {
    const path = join(dir, "nope.jsonl");
    let caught: unknown;
    await validateTrainingFile(path).catch((e: unknown) => (caught = e));
    expect(caught).to.be.instanceOf(ValidationUsageError);
    expect((caught as Error).message).to.equal(
      `training file ${path} does not exist (relative paths start at ${process.cwd()}); check the path`,
    );
  });

  it("gives the same report on worker threads as on one thread, for a 5 MB file with errors and warnings", async function () {
    this.timeout(120_000);
    const lines: string[] = [];
    for (let i = 1; lines.length < 6_000; i++) {
      const text = ["Bonjour à tous ", "你好，世界", "สวัสดีครับ ", "Привет, мир "][i % 4].repeat(
        20 + (i % 30),
      );
      const system = { role: "system", content: `prompt ${i % 3}` };
      if (i % 997 === 0) lines.push("not json");
      else if (i % 1499 === 0) lines.push("");
      else if (i % 701 === 0)
        lines.push(lines[lines.length - 1]); // duplicate
      else if (i % 503 === 0)
        lines.push(PREFERENCE[0]); // the other format
      else if (i % 307 === 0) lines.push(chat(user(text), assistant("a"), assistant("b")));
      else if (i % 211 === 0)
        lines.push(JSON.stringify({ messages: [user(text), assistant(text)], x: 1 }));
      else if (i % 101 === 0) lines.push(chat(user(text), assistant(text, { weight: 0 })));
      else
        lines.push(chat(...(i % 5 === 0 ? [] : [system]), user(`${i}: ${text}`), assistant(text)));
    }
    const path = join(dir, "mixed.jsonl");
    writeFileSync(path, `${lines.join("\n")}\n`);
    const one = await validateOnThreads(path, "0", "mixed.jsonl");
    expect(await validateOnThreads(path, "2", "mixed.jsonl")).to.deep.equal(one);
    expect([
      one.bytes > 4 * 1024 * 1024,
      one.examples,
      one.errorCount,
      one.warnings.length,
    ]).to.deep.equal([true, 5_996, 21, 5]);
  });

  it("gives padded long lines (kept compacted) the same report streamed, on workers and in memory", async function () {
    this.timeout(120_000);
    // Over 65,536 × 128 bytes: pre-scanned, and kept without the padding (lib/trainingData/lines.ts).
    const padding = (n: number): string => " ".repeat(9 * 1024 * 1024 + n);
    const padded = (line: string, n = 0): string => `{${padding(n)}${line.slice(1)}`;
    const invalid = `{"messages": [${padding(0)}}`;
    const lines = [
      ...CHAT.slice(0, 7),
      padded(CHAT[0]),
      padded(CHAT[0]),
      padded(CHAT[0], 1),
      invalid,
    ];
    const one = await reportEverywhere(join(dir, "padded.jsonl"), lines);
    const unpadded = await report([...CHAT.slice(0, 7), CHAT[0], CHAT[0], CHAT[0]]);
    // Same tokens as unpadded; only the byte-identical padded lines (8 and 9) are duplicates.
    expect([
      one.examples,
      one.totalTokens,
      one.maxExampleTokens,
      one.errors,
      one.warnings,
    ]).to.deep.equal([
      11,
      unpadded.totalTokens,
      unpadded.maxExampleTokens,
      [
        `${FILE}:11: is not valid JSON (unexpected character '}' at byte 9437199); each line must hold one complete JSON object`,
      ],
      [
        "1 example repeats an earlier line exactly (first: line 9 repeats line 8); duplicates cost tokens and overweight those examples",
      ],
    ]);
    expect([invalid.length, unpadded.totalTokens]).to.deep.equal([9437199, 677]);
  });

  it("gives long lines with a large unknown key (kept as 0) the same report streamed, on workers and in memory", async function () {
    this.timeout(120_000);
    // Over 65,536 × 128 bytes: pre-scanned, and kept with 0 for the value (lib/trainingData/lines.ts).
    const big = JSON.stringify(`é "q" \\ ${"m".repeat(9 * 1024 * 1024)}`);
    const withKey = (line: string, value = big): string =>
      `{"metadata": ${value}, ${line.slice(1)}`;
    const invalid = `{"metadata": ${big}, "messages": [}`;
    const lines = [
      ...CHAT.slice(0, 7),
      withKey(CHAT[0]),
      withKey(CHAT[0]),
      withKey(CHAT[1], `{"a": [${big}, 1, null]}`),
      invalid,
    ];
    const one = await reportEverywhere(join(dir, "unknown-key.jsonl"), lines);
    const plain = await report([...CHAT.slice(0, 7), CHAT[0], CHAT[0], CHAT[1]]);
    // The tokens of the same lines without the key; the key is still named in the warning.
    expect([one.examples, one.totalTokens, one.maxExampleTokens]).to.deep.equal([
      11,
      plain.totalTokens,
      plain.maxExampleTokens,
    ]);
    expect(one.errors).to.deep.equal([
      `${FILE}:11: is not valid JSON (unexpected character '}' at byte ${Buffer.byteLength(invalid)}); each line must hold one complete JSON object`,
    ]);
    expect(one.warnings).to.deep.equal([
      "1 example repeats an earlier line exactly (first: line 9 repeats line 8); duplicates cost tokens and overweight those examples",
      '3 examples have top-level keys the format does not define: "metadata" (line 8); Azure may reject or ignore them',
    ]);
    expect([plain.totalTokens, plain.warnings.length]).to.deep.equal([660, 1]);
  });

  it("refuses long lines whose tool definitions alone are over the limit, streamed, on workers and in memory", async function () {
    this.timeout(120_000);
    // Keys and strings besides the description: type 4, function 8, function 8, name 4,
    // get_weather 11, description 11, parameters 10, type 4, object 6, properties 10, city 4,
    // type 4, string 6 = 90 bytes (70 for a legacy function, without type and function).
    const tool = (description: string): typeof WEATHER_TOOL => ({
      ...WEATHER_TOOL,
      function: { ...WEATHER_TOOL.function, description },
    });
    const words = (n: number): string => "weather in any city ".repeat(n); // 20 bytes each
    const over = words(471_860); // 9,437,200 bytes: 2 + ⌈9,437,290 / 128⌉ = 73,731 tokens at least
    const under = words(419_000); // 8,380,000 bytes: 2 + ⌈8,380,090 / 128⌉ = 65,473, under 65,536
    const padding = " ".repeat(16 * 1024); // makes the line longer than 8 MiB: pre-scanned
    const lines = [
      ...CHAT.slice(0, 7),
      withTools([QUESTION, ANSWER], [tool(over)]),
      JSON.stringify({ functions: [tool(over).function], messages: [QUESTION, ANSWER] }),
      `{${padding}${withTools([QUESTION, ANSWER], [tool(under)]).slice(1)}`,
      withTools([QUESTION, ANSWER], over),
    ];
    const one = await reportEverywhere(join(dir, "tools.jsonl"), lines);
    const exact = checkExample(JSON.parse(lines[9])).contextTokens; // the whole line's count
    const atLeast =
      "has at least 73,731 tokens (counted from its text's size, not further), more than any model accepts per example (65,536); shorten it or split the conversation";
    expect([one.examples, one.errors]).to.deep.equal([
      11,
      [
        `${FILE}:8: ${atLeast}`,
        `${FILE}:9: ${atLeast}`,
        `${FILE}:10: has ${exact.toLocaleString("en-US")} tokens; the largest fine-tunable model accepts at most 65,536 per example (shorten it or split the conversation)`,
        `${FILE}:11: "tools" must be a non-empty array of tool definitions {"type": "function", "function": {...}}`,
      ],
    ]);
    expect(exact).to.equal(1_676_062);

    const input = { messages: [QUESTION], tools: [tool(over)] };
    const dpo = await reportEverywhere(join(dir, "tools-dpo.jsonl"), [
      ...PREFERENCE,
      preference(input, [ANSWER], [assistant("No idea.")]),
    ]);
    expect(dpo.errors).to.deep.equal([`${FILE}:${PREFERENCE.length + 1}: ${atLeast}`]);
  });

  it("throws a usage error for a directory", async () => {
    let caught: unknown;
    await validateTrainingFile(dir).catch((e: unknown) => (caught = e));
    expect((caught as Error).message).to.equal(
      `training file ${dir} is a directory; pass the path of a .jsonl file`,
    );
  });
});

describe("formatReport", () => {
  it("summarises a valid file", async () => {
    const r = await validateTrainingFile(fixture("valid-chat.jsonl"), {
      displayName: "valid-chat.jsonl",
      model: "gpt-4o",
      epochs: 3,
    });
    expect(formatReport(r)).to.equal(
      [
        "valid-chat.jsonl: valid chat training file for gpt-4o-2024-08-06",
        "  12 examples, 4.1 KB",
        "  781 tokens; longest example 77 (limit 65,536)",
        "  estimated billed tokens: 2,343 (781 × 3 epochs)",
      ].join("\n"),
    );
  });

  it("lists errors, how many were left out, and warnings", async () => {
    const lines = Array.from({ length: 22 }, () => chat(QUESTION));
    lines[21] = lines[0];
    const r = await report(lines);
    const text = formatReport(r).split("\n");
    expect(text.slice(0, 2)).to.deep.equal([
      "catalog.jsonl: invalid chat training file (22 errors)",
      "  catalog.jsonl:1: has no assistant message; each example needs at least one user and one assistant message",
    ]);
    expect(text.slice(21)).to.deep.equal([
      "  … and 2 more",
      // 22 lines of 80 bytes + "\n"; each 3 + (3 + 1 "user" + 8 question tokens) = 15 tokens.
      "  22 examples, 1.7 KB",
      "  330 tokens; longest example 15 (limit 65,536 of the largest model; pass the model to check its own)",
      '  estimated billed tokens: 1,320 (330 × 4 epochs, the likely "auto" count)',
      "  warning: 21 examples repeat an earlier line exactly (first: line 2 repeats line 1); duplicates cost tokens and overweight those examples",
    ]);
  });
});

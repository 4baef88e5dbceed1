import { expect } from "chai";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { CompareError } from "../../../lib/compare/errors";
import { loadPrompts, parsePromptsJson, parsePromptsJsonl } from "../../../lib/compare/prompts";

function rejection(fn: () => unknown): [number, string] {
  try {
    fn();
  } catch (err) {
    expect(err).to.be.instanceOf(CompareError);
    return [(err as CompareError).exitCode, (err as CompareError).message];
  }
  throw new Error("expected a CompareError");
}

const line = (messages: object[]): string => JSON.stringify({ messages });

describe("compare prompts", () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), "compare-prompts-"));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("asks each JSON prompt with the shared system message", () => {
    expect(
      parsePromptsJson(
        JSON.stringify({
          system: "Be brief.",
          prompts: ["Visa for Chile?", "Best café in Ghent?"],
        }),
        "p.json",
      ),
    ).to.deep.equal([
      {
        messages: [
          { role: "system", content: "Be brief." },
          { role: "user", content: "Visa for Chile?" },
        ],
        prompt: "Visa for Chile?",
        source: "p.json#1",
      },
      {
        messages: [
          { role: "system", content: "Be brief." },
          { role: "user", content: "Best café in Ghent?" },
        ],
        prompt: "Best café in Ghent?",
        source: "p.json#2",
      },
    ]);
  });

  it("sends only the user message when the JSON file has no system message", () => {
    expect(parsePromptsJson('{"prompts": ["Ferry to Naxos?"]}', "p.json")).to.deep.equal([
      {
        messages: [{ role: "user", content: "Ferry to Naxos?" }],
        prompt: "Ferry to Naxos?",
        source: "p.json#1",
      },
    ]);
  });

  it("rejects an empty prompts array", () => {
    expect(rejection(() => parsePromptsJson('{"prompts": []}', "p.json"))).to.deep.equal([
      2,
      "p.json: `prompts` must be a non-empty array of questions",
    ]);
  });

  it("rejects a prompt that is not a string", () => {
    expect(rejection(() => parsePromptsJson('{"prompts": ["ok", 3]}', "p.json"))).to.deep.equal([
      2,
      "p.json: `prompts[1]` must be a non-empty string",
    ]);
  });

  it("rejects JSON that does not parse", () => {
    const [code, message] = rejection(() => parsePromptsJson("{prompts", "p.json"));
    expect([code, message.startsWith("p.json: not valid JSON (")]).to.deep.equal([2, true]);
  });

  it("asks a JSONL example without its final assistant reply", () => {
    const text = [
      line([
        { role: "system", content: "Be brief." },
        { role: "user", content: "Rail pass for Japan?" },
        { role: "assistant", content: "Only for long trips." },
      ]),
      "",
      line([
        { role: "user", content: [{ type: "text", text: "Hello" }] },
        { role: "assistant", content: "Hi, where to?" },
        { role: "user", content: "Lyon" },
        { role: "assistant", content: "Try the traboules." },
      ]),
    ].join("\n");
    expect(parsePromptsJsonl(text, "t.jsonl")).to.deep.equal([
      {
        messages: [
          { role: "system", content: "Be brief." },
          { role: "user", content: "Rail pass for Japan?" },
        ],
        prompt: "Rail pass for Japan?",
        source: "t.jsonl:1",
      },
      {
        messages: [
          { role: "user", content: "Hello" },
          { role: "assistant", content: "Hi, where to?" },
          { role: "user", content: "Lyon" },
        ],
        prompt: "Lyon",
        source: "t.jsonl:3",
      },
    ]);
  });

  it("reads the input messages of a preference example", () => {
    const text = JSON.stringify({
      input: { messages: [{ role: "user", content: "Quiet beach near Faro?" }] },
      preferred_output: [{ role: "assistant", content: "Praia da Ilha Deserta." }],
      non_preferred_output: [{ role: "assistant", content: "Any." }],
    });
    expect(parsePromptsJsonl(text, "d.jsonl")).to.deep.equal([
      {
        messages: [{ role: "user", content: "Quiet beach near Faro?" }],
        prompt: "Quiet beach near Faro?",
        source: "d.jsonl:1",
      },
    ]);
  });

  it("rejects a tool message with its line", () => {
    const text = line([
      { role: "user", content: "Weather?" },
      { role: "tool", content: "{}" },
      { role: "assistant", content: "Sunny." },
    ]);
    expect(rejection(() => parsePromptsJsonl(text, "t.jsonl"))).to.deep.equal([
      2,
      't.jsonl:1: messages[1]: role "tool" is not supported; compare asks system, user and assistant text messages only',
    ]);
  });

  it("rejects an example with nothing to ask", () => {
    const text = `${line([
      { role: "user", content: "a" },
      { role: "assistant", content: "b" },
    ])}\n${line([
      { role: "system", content: "s" },
      { role: "assistant", content: "b" },
    ])}`;
    expect(rejection(() => parsePromptsJsonl(text, "t.jsonl"))).to.deep.equal([
      2,
      "t.jsonl:2: no user message before the final assistant reply; the example has nothing to ask",
    ]);
  });

  it("picks the parser by extension when loading", async () => {
    const jsonl = path.join(dir, "x.JSONL");
    writeFileSync(
      jsonl,
      `\uFEFF${line([
        { role: "user", content: "Ski pass?" },
        { role: "assistant", content: "Buy online." },
      ])}\n`,
    );
    expect(await loadPrompts(jsonl)).to.deep.equal([
      {
        messages: [{ role: "user", content: "Ski pass?" }],
        prompt: "Ski pass?",
        source: `${jsonl}:1`,
      },
    ]);
  });

  it("names a missing prompts file and the default", async () => {
    const missing = path.join(dir, "nope.json");
    const err = await loadPrompts(missing).then(
      () => undefined,
      (e: CompareError) => e,
    );
    expect([err?.exitCode, err?.message]).to.deep.equal([
      2,
      `\`--prompts\` file ${missing} not found; pass an existing file or omit --prompts for data/compare-prompts.json`,
    ]);
  });

  it("parses the repository's data/compare-prompts.json", async () => {
    const cases = await loadPrompts("data/compare-prompts.json");
    expect(cases.map((c) => [c.messages.length, c.messages[0].role, c.source])).to.deep.equal(
      [1, 2, 3, 4, 5].map((i) => [2, "system", `data/compare-prompts.json#${i}`]),
    );
  });
});

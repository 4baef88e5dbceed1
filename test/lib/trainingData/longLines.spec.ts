import { expect } from "chai";
import { readFileSync } from "node:fs";
import { analyzeBytes } from "../../../lib/trainingData/lineAnalysis";
import {
  BOM_LINE_REASON,
  LONGEST_TOKEN_BYTES,
  LongLineScanner,
  LongLineVerdict,
  whitespaceEnd,
} from "../../../lib/trainingData/longLines";
import { checkExample } from "../../../lib/trainingData/rules";

/** Scans `line` in pieces of `size` bytes; returns the verdict and whether it crossed `limit`. */
function scan(
  line: string | Buffer,
  size = 1 << 20,
  limit = 1000,
  first = false,
): LongLineVerdict & { crossed: boolean } {
  const bytes = Buffer.from(line);
  const scanner = new LongLineScanner(limit, first);
  for (let at = 0; at < bytes.length; at += size) scanner.push(bytes.subarray(at, at + size));
  const verdict = scanner.finish();
  return { ...verdict, crossed: scanner.crossed };
}

const chat = (...messages: unknown[]): string => JSON.stringify({ messages });

describe("LongLineScanner", () => {
  it("uses the longest o200k_base token's length in bytes (128)", () => {
    const file = readFileSync(require.resolve("gpt-tokenizer/data/o200k_base.tiktoken"), "latin1");
    let longest = 0;
    for (const line of file.split("\n")) {
      if (line.length > 0)
        longest = Math.max(longest, Buffer.from(line.split(" ")[0], "base64").length);
    }
    expect([longest, LONGEST_TOKEN_BYTES]).to.deep.equal([128, 128]);
  });

  it("bounds a chat example's tokens by each counted text's UTF-8 bytes ÷ 128, rounded up", () => {
    const line = chat(
      { role: "system", content: "s".repeat(129) },
      {
        role: "user",
        content: [
          { type: "text", text: "é".repeat(64) },
          { text: "x", type: "text" },
        ],
      },
      { role: "assistant", content: "a\\n\u00e9\ud83d\ude00" },
    );
    // 129 → 2; 128 bytes → 1; 1 → 1; the escaped text decodes to 1 + 1 + 2 + 4 bytes → 1.
    expect(scan(line)).to.deep.equal({
      error: undefined,
      invalidUtf8: false,
      tokens: 5,
      crossed: false,
    });
  });

  it("counts decoded bytes of escapes: \\n as 1, \\u00e9 as 2, a surrogate pair as 4", () => {
    const raw = `{"messages":[{"role":"user","content":"${"\\u00e9".repeat(64)}${"\\ud83d\\ude00".repeat(32)}\\n"}]}`;
    expect(JSON.parse(raw).messages[0].content.length).to.equal(64 + 64 + 1);
    expect(scan(raw).tokens).to.equal(3); // 128 + 128 + 1 bytes
  });

  it("does not count text the rules do not count", () => {
    const line = chat(
      { role: "narrator", content: "n".repeat(1000) },
      {
        role: "user",
        content: [
          { type: "image_url", text: "i".repeat(1000), image_url: { url: "u".repeat(1000) } },
        ],
      },
      { role: "assistant", content: "ok", name: "n".repeat(1000) },
    );
    expect(scan(line).tokens).to.equal(1);
  });

  it("counts an assistant's tool-call arguments (current and legacy form), not a user's", () => {
    const call = (args: string): unknown => ({
      id: "c1",
      type: "function",
      function: { name: "f", arguments: args },
    });
    const line = chat(
      { role: "user", content: "hi", tool_calls: [call("u".repeat(1000))] },
      { role: "assistant", tool_calls: [call("a".repeat(256)), call("b")] },
      {
        role: "assistant",
        content: null,
        function_call: { name: "f", arguments: "c".repeat(129) },
      },
    );
    expect(scan(line).tokens).to.equal(1 + 2 + 1 + 2);
    expect(checkExample(JSON.parse(line)).contextTokens).to.be.at.least(6);
  });

  it("bounds a preference example by the input and the longer output", () => {
    const line = JSON.stringify({
      input: { messages: [{ role: "user", content: "u".repeat(256) }] },
      preferred_output: [{ role: "assistant", content: "p".repeat(384) }],
      non_preferred_output: [{ role: "assistant", content: "n".repeat(128) }],
    });
    expect(scan(line).tokens).to.equal(2 + 3);
  });

  describe("tool definitions", () => {
    // Keys and strings of a tool: type 4, function 8, function 8, name 4, f 1, description 11,
    // parameters 10, type 4, object 6 = 56 bytes besides the description.
    const tool = (description: string): object => ({
      type: "function",
      function: { name: "f", description, parameters: { type: "object" } },
    });
    // A legacy function: name 4, f 1, description 11, parameters 10, type 4, object 6 = 36 bytes.
    const fn = (description: string): object => ({
      name: "f",
      description,
      parameters: { type: "object" },
    });
    const messages = [
      { role: "user", content: "hi" },
      { role: "assistant", content: "ok" },
    ];
    const preference = (input: object, extra: object = {}): string =>
      JSON.stringify({
        input,
        preferred_output: [{ role: "assistant", content: "p".repeat(384) }],
        non_preferred_output: [{ role: "assistant", content: "n" }],
        ...extra,
      });
    // 'é"\n' decodes to 2 + 1 + 1 bytes: 1,000 bytes with 996 more.
    const d1000 = `é"\n${"d".repeat(996)}`;

    it("counts the decoded bytes of every key and string of tools, functions and input.tools ÷ 128", () => {
      const lines = [
        JSON.stringify({ messages, tools: [tool(d1000)] }), // 2 + ⌈1,056 / 128⌉
        JSON.stringify({ functions: [fn(d1000)], messages }), // 2 + ⌈1,036 / 128⌉
        JSON.stringify({ messages, tools: [tool(d1000), "x"], functions: [fn("")] }), // 2 + ⌈1,057 / 128⌉ + ⌈36 / 128⌉
        preference({ tools: [tool(d1000)], messages: [{ role: "user", content: "u" }] }), // 1 + 3 + ⌈1,056 / 128⌉
      ];
      expect(lines.map((line) => scan(line).tokens)).to.deep.equal([11, 11, 12, 13]);
      for (const line of lines) {
        expect(checkExample(JSON.parse(line)).contextTokens).to.be.at.least(scan(line).tokens);
      }
    });

    it("adds nothing for a value that is not a non-empty array, or under the other format's key", () => {
      const lines = [
        JSON.stringify({ messages, tools: "d".repeat(1000) }),
        JSON.stringify({ messages, tools: [] }),
        JSON.stringify({ messages, functions: { f: fn("d".repeat(1000)) } }),
        JSON.stringify({ messages, input: { tools: [tool("d".repeat(1000))] } }),
        preference(
          { messages: [{ role: "user", content: "u" }] },
          { tools: [tool("d".repeat(1000))] },
        ),
      ];
      expect(lines.map((line) => scan(line).tokens)).to.deep.equal([2, 2, 2, 2, 4]);
    });

    it("keeps only the last value of a repeated key, as JSON.parse does", () => {
      const big = "d".repeat(1280);
      const lines = [
        // One member "description":"y" left: 12 bytes.
        `{"messages":${JSON.stringify(messages)},"tools":[{"description":"${big}","description":"y"}]}`,
        `{"messages":${JSON.stringify(messages)},"tools":[{"a":"${big}"}],"tools":[{"a":"b"}]}`,
        `{"messages":${JSON.stringify(messages)},"tools":[{"a":"${big}"}],"tools":"x"}`,
        // Different keys all count: 1 + 1,280 + 1 + 1,280 bytes.
        `{"messages":${JSON.stringify(messages)},"tools":[{"a":"${big}","b":"${big}"}]}`,
      ];
      expect(lines.map((line) => scan(line).tokens)).to.deep.equal([3, 3, 2, 23]);
      expect(JSON.stringify(JSON.parse(lines[0]).tools)).to.equal('[{"description":"y"}]');
    });

    it("counts them also when the messages are invalid (the exact path reports those)", () => {
      const line = JSON.stringify({ messages: [], tools: [tool(d1000)] });
      expect(scan(line).tokens).to.equal(9);
      expect(checkExample(JSON.parse(line)).errors).to.deep.equal([
        '"messages" is empty; add the conversation\'s messages',
      ]);
    });

    it("refuses a line over the limit with its bound whatever the pieces, and keeps one at it", () => {
      const over = [
        JSON.stringify({ messages, tools: [tool("é".repeat(700))] }), // 2 + ⌈1,456 / 128⌉
        JSON.stringify({ functions: [fn("é".repeat(710))], messages }), // 2 + ⌈1,456 / 128⌉
        preference({ messages: [{ role: "user", content: "u" }], tools: [tool("é".repeat(700))] }), // 1 + 3 + 12
      ];
      const reason = (n: number, limit: number): string =>
        `has at least ${n} tokens (counted from its text's size, not further), more than any model accepts per example (${limit}); shorten it or split the conversation`;
      for (const size of [1, 7, 4096, 1 << 20]) {
        const got = over.map((line) => {
          const scanner = new LongLineScanner(10, false);
          const bytes = Buffer.from(line);
          for (let at = 0; at < bytes.length; at += size)
            scanner.push(bytes.subarray(at, at + size));
          const verdict = scanner.finish();
          return [scanner.crossed, scanner.refusal(verdict)];
        });
        expect(got, `pieces of ${size}`).to.deep.equal([
          [true, reason(14, 10)],
          [true, reason(14, 10)],
          [true, reason(16, 10)],
        ]);
        expect(over.map((line) => scan(line, size, 14).crossed)).to.deep.equal([
          false,
          false,
          true,
        ]);
      }
    });
  });

  it("counts nothing when JSON.parse would drop text (a repeated key)", () => {
    const big = "x".repeat(1280);
    const top = `{"messages":[{"role":"user","content":"${big}"}],"messages":[{"role":"user","content":"hi"}]}`;
    const inMessage = `{"messages":[{"role":"user","content":"${big}","content":"hi"}]}`;
    expect([scan(top).tokens, scan(inMessage).tokens]).to.deep.equal([0, 0]);
  });

  it("never exceeds the exact count, on text of every kind", () => {
    const texts = [
      " ".repeat(1000),
      "ab".repeat(700),
      "你好世界".repeat(200),
      "\u0000\t\n".repeat(300),
      "🙂".repeat(300),
      "x",
    ];
    for (const text of texts) {
      const line = chat({ role: "user", content: text }, { role: "assistant", content: text });
      const exact = checkExample(JSON.parse(line)).contextTokens;
      expect(scan(line).tokens, JSON.stringify(text.slice(0, 10))).to.be.within(1, exact);
    }
  });

  it("gives the same verdict whatever the pieces, and crosses the limit only on counted text", () => {
    const over = chat(
      { role: "user", content: "é".repeat(700) },
      { role: "assistant", content: "ok" },
    );
    const dropped = chat({ role: "narrator", content: "é".repeat(700) });
    for (const size of [1, 2, 3, 5, 64, 1 << 20]) {
      expect([scan(over, size, 10), scan(dropped, size, 10)]).to.deep.equal([
        { error: undefined, invalidUtf8: false, tokens: 12, crossed: true },
        { error: undefined, invalidUtf8: false, tokens: 0, crossed: true },
      ]);
    }
    expect(scan(over, 7, 12).crossed).to.equal(false);
  });

  it("reports invalid UTF-8 as the full analysis does", () => {
    const line = Buffer.concat([
      Buffer.from('{"messages":[{"role":"user","content":"ab'),
      Buffer.from([0xe4, 0xbd, 0x41]),
      Buffer.from('"}]}'),
    ]);
    const expected = analyzeBytes(line, undefined, false).errors;
    for (const size of [1, 3, 1 << 20]) {
      const { error, invalidUtf8 } = scan(line, size);
      expect([error, invalidUtf8]).to.deep.equal([...expected, true]);
    }
    expect(expected).to.deep.equal([
      "is not valid UTF-8 (byte 0xe4 at byte 42 of the line); save the file as UTF-8",
    ]);
  });

  it("reports JSON syntax errors with the byte where they are", () => {
    const suffix = "; each line must hold one complete JSON object";
    const cases: [string, string][] = [
      ['{"messages": [1,]}', "unexpected character ']' at byte 17"],
      ['{"messages": [', "the line ends before the JSON object does"],
      ['{"a": 01}', "unexpected character '1' at byte 8"],
      ['{"a": -}', "the number before byte 8 is incomplete"],
      ['{"a": 1e5, "b": [true, false, null, -0.5E-3]} x', "unexpected character 'x' at byte 47"],
      ['{"a": "\t"}', "control character 0x09 in a string at byte 8"],
      ['{"a": "\\x"}', "unexpected character 'x' at byte 9"],
      ['{"a": tru}', "unexpected character '}' at byte 10"],
      ['{"a"  1}', "unexpected character '1' at byte 7"],
    ];
    for (const [line, reason] of cases) {
      expect(scan(line, 2).error, line).to.equal(`is not valid JSON (${reason})${suffix}`);
    }
    expect(scan('{"a": [1, {"b": "c"}], "d": 2.5e+1}').error).to.equal(undefined);
  });

  it("skips a byte-order mark on the first line and refuses one on any other", () => {
    const line = `\uFEFF${chat({ role: "user", content: "x".repeat(300) })}`;
    expect([scan(line, 1, 1000, true), scan(line, 1, 1000, false).error]).to.deep.equal([
      { error: undefined, invalidUtf8: false, tokens: 3, crossed: false },
      BOM_LINE_REASON,
    ]);
  });
});

describe("LongLineScanner.unreadValues", () => {
  const unread = (line: string, size: number, first = false): number[] => {
    const bytes = Buffer.from(line);
    const scanner = new LongLineScanner(1000, first);
    const found: number[] = [];
    for (let at = 0; at < bytes.length; at += size) {
      scanner.push(bytes.subarray(at, at + size));
      found.push(...scanner.unreadValues.splice(0));
    }
    scanner.finish();
    return found;
  };

  it("marks where each value of a top-level or input key rules.ts does not read starts and ends", () => {
    const line =
      '{"n": 12, "messages": [], "x": {"messages": [1]}, "tools": 1, "x": "é\\"", "t": true}';
    const spans = ["12", '{"messages": [1]}', '"é\\""', "true"].map((value) => {
      const start = Buffer.from(line.slice(0, line.indexOf(value))).length;
      return [start, start + Buffer.byteLength(value)];
    });
    for (const size of [1, 2, 3, 7, 64]) {
      expect(unread(line, size), `pieces of ${size}`).to.deep.equal(spans.flat());
    }
    // Offsets count a first line's byte-order mark; values below the top level are never marked.
    expect(unread(`\uFEFF${line}`, 1, true)).to.deep.equal(spans.flat().map((at) => at + 3));
    expect(unread('[{"x": 1}, {"y": [2]}]', 1)).to.deep.equal([]);
    // And a preference example's input keys other than messages, tools and parallel_tool_calls.
    const input = '{"input": {"tools": 1, "x": [1], "messages": {"y": 2}}, "x": 3}';
    expect(unread(input, 1)).to.deep.equal([28, 31, 61, 62]);
  });
});

describe("whitespaceEnd", () => {
  it("finds the end of a run of spaces, tabs, CR and LF, however long", () => {
    const run = `${" ".repeat(40_000)}\t${" ".repeat(20_000)}\r\n `;
    const bytes = Buffer.from(`{${run}x${run}`);
    expect([
      whitespaceEnd(bytes, 1),
      whitespaceEnd(bytes, 0),
      whitespaceEnd(bytes, run.length + 2),
    ]).to.deep.equal([run.length + 1, 0, bytes.length]);
  });
});

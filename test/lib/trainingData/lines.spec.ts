import { expect } from "chai";
import {
  firstInvalidUtf8,
  forEachBufferLine,
  forEachStreamLine,
  JsonCompactor,
  LineLimits,
} from "../../../lib/trainingData/lines";
import { LongLineScanner } from "../../../lib/trainingData/longLines";

async function* chunks(content: Buffer, size: number): AsyncGenerator<Buffer> {
  for (let i = 0; i < content.length; i += size) yield content.subarray(i, i + size);
}

const limitsOf = (max: number): LineLimits => ({
  maxLineBytes: max,
  scanLineBytes: max,
  tokenLimit: 1000,
});
const show = (bytes: Buffer, refusal: string | undefined): string =>
  refusal === undefined
    ? bytes.toString()
    : refusal.startsWith("is longer than")
      ? "<too long>"
      : refusal;

async function streamLines(
  content: string | Buffer,
  chunkSize: number,
  limits: number | LineLimits = 1024,
): Promise<string[]> {
  const out: string[] = [];
  const l = typeof limits === "number" ? limitsOf(limits) : limits;
  await forEachStreamLine(
    chunks(Buffer.from(content), chunkSize),
    l,
    (bytes, start, end, refusal) => out.push(show(bytes.subarray(start, end), refusal)),
  );
  return out;
}

function bufferLines(content: string | Buffer, limits: number | LineLimits = 1024): string[] {
  const out: string[] = [];
  const l = typeof limits === "number" ? limitsOf(limits) : limits;
  forEachBufferLine(Buffer.from(content), l, (bytes, start, end, refusal) =>
    out.push(show(bytes.subarray(start, end), refusal)),
  );
  return out;
}

describe("forEachStreamLine / forEachBufferLine", () => {
  const text = '{"a": 1}\n\n{"b": "Zürich"}\r\n{"c": 3}';
  const expected = ['{"a": 1}', "", '{"b": "Zürich"}\r', '{"c": 3}'];

  for (const size of [1, 2, 3, 7, 64]) {
    it(`gives the same lines whatever the chunk size (${size} bytes)`, async () => {
      expect(await streamLines(text, size)).to.deep.equal(expected);
    });
  }

  it("splits in-memory content the same way", () => {
    expect(bufferLines(text)).to.deep.equal(expected);
  });

  it("treats a final newline as a terminator and a lone newline as one empty line", async () => {
    expect([
      await streamLines("a\nb\n", 2),
      await streamLines("\n", 1),
      await streamLines("", 1),
    ]).to.deep.equal([["a", "b"], [""], []]);
    expect([bufferLines("a\nb\n"), bufferLines("\n"), bufferLines("")]).to.deep.equal([
      ["a", "b"],
      [""],
      [],
    ]);
  });

  it("reports a line over the limit once, without its bytes, and goes on", async () => {
    const content = `short\n${"x".repeat(40)}\nafter\n${"y".repeat(40)}`;
    const expectedLines = ["short", "<too long>", "after", "<too long>"];
    expect(await streamLines(content, 4, 16)).to.deep.equal(expectedLines);
    expect(bufferLines(content, 16)).to.deep.equal(expectedLines);
  });
});

describe("forEachStreamLine / forEachBufferLine on long lines (pre-scan)", () => {
  const limits: LineLimits = { maxLineBytes: 4096, scanLineBytes: 256, tokenLimit: 2 };
  const message = (content: string, role = "user"): string =>
    JSON.stringify({ messages: [{ role, content }] });
  const both = async (content: string): Promise<string[][]> => {
    const results = [bufferLines(content, limits)];
    for (const size of [1, 7, 64, 4096]) results.push(await streamLines(content, size, limits));
    return results;
  };

  it("refuses a line whose text alone is over the token limit, without its bytes", async () => {
    const short = message("hi");
    const content = `${short}\n${message("é".repeat(400))}\n${short}`;
    const expected = [
      short,
      "has at least 7 tokens (counted from its text's size, not further), more than any model accepts per example (2); shorten it or split the conversation",
      short,
    ];
    expect(await both(content)).to.deep.equal(Array(5).fill(expected));
  });

  it("refuses a line whose tool definitions alone are over the token limit, and keeps tools that are not an array", async () => {
    const description = "é".repeat(400);
    const tools = [{ type: "function", function: { name: "f", description } }];
    const over = JSON.stringify({ tools, messages: [{ role: "user", content: "hi" }] });
    const notArray = JSON.stringify({
      tools: tools[0],
      messages: [{ role: "user", content: "hi" }],
    });
    // "hi" 1 + ⌈(type 4 + function 8 + function 8 + name 4 + f 1 + description 11 + 800) / 128⌉ = 8.
    expect(await both(`${over}\n${notArray}`)).to.deep.equal(
      Array(5).fill([
        "has at least 8 tokens (counted from its text's size, not further), more than any model accepts per example (2); shorten it or split the conversation",
        notArray,
      ]),
    );
  });

  it("hands over a long line under the bound compacted: no whitespace outside strings", async () => {
    const padded = `{"messages": [${" \t\r".repeat(334)}{"role": "user", "content": " \\\" ${"x".repeat(200)}"}]}`;
    expect(await both(padded)).to.deep.equal(
      Array(5).fill([`{"messages":[{"role":"user","content":" \\\" ${"x".repeat(200)}"}]}`]),
    );
  });

  it("names the JSON or UTF-8 problem of a refused line, found by the pre-scan", async () => {
    const broken = `${message("x".repeat(600)).slice(0, -2)}}`;
    const latin1 = Buffer.concat([Buffer.from(message("x".repeat(600))), Buffer.from([0xe9])]);
    expect(await both(broken)).to.deep.equal(
      Array(5).fill([
        "is not valid JSON (unexpected character '}' at byte 642); each line must hold one complete JSON object",
      ]),
    );
    expect(bufferLines(latin1, limits)).to.deep.equal([
      "is not valid UTF-8 (byte 0xe9 at byte 644 of the line); save the file as UTF-8",
    ]);
  });

  it("says why when the text that looked countable turns out not to count", async () => {
    expect(await both(message("x".repeat(600), "narrator"))).to.deep.equal(
      Array(5).fill([
        "holds more message and tool text than any model accepts per example (2 tokens), but a repeated key, an invalid role or a misplaced key keeps part of it from counting; remove repeated keys, fix the roles and keys and shorten it",
      ]),
    );
  });
});

describe("JsonCompactor", () => {
  const json = '{ "a" :\t"x \\" y\\\\" ,\r\n "b": [ 1 , "\\u0020 " ] }';
  const compacted = '{"a":"x \\" y\\\\","b":[1,"\\u0020 "]}';

  it("drops whitespace outside strings only, whatever the pieces", () => {
    for (const size of [1, 2, 3, json.length]) {
      const source = Buffer.from(json);
      const target = Buffer.alloc(source.length);
      const compactor = new JsonCompactor();
      let at = 0;
      for (let i = 0; i < source.length; i += size) {
        at = compactor.compact(source.subarray(i, i + size), target, at);
      }
      expect(target.toString("utf8", 0, at), `pieces of ${size}`).to.equal(compacted);
    }
    expect(JSON.parse(compacted)).to.deep.equal(JSON.parse(json));
  });

  it("writes 0 for each value marked dropped, its end marked while or after it is compacted", () => {
    const json = '{"x" : [ "]\\"" , {} ] , "m":1, "y":-2.5}';
    for (const size of [1, 2, 3, json.length]) {
      const source = Buffer.from(json);
      const compactor = new JsonCompactor();
      const scanner = new LongLineScanner(1000, false);
      let at = 0;
      for (let i = 0; i < source.length; i += size) {
        // As lines.ts does: the pre-scan marks values up to the end of the piece (a number's
        // end only once the byte after it is scanned), then the piece is compacted in place.
        const piece = source.subarray(i, i + size);
        scanner.push(piece);
        for (const offset of scanner.unreadValues.splice(0)) compactor.drop(offset);
        at = compactor.compact(piece, source, at);
      }
      expect(source.toString("utf8", 0, at), `pieces of ${size}`).to.equal('{"x":0,"m":0,"y":0}');
    }
  });

  it("compacts in place", () => {
    const bytes = Buffer.from(json);
    const end = new JsonCompactor().compact(bytes, bytes, 0);
    expect(bytes.toString("utf8", 0, end)).to.equal(compacted);
  });
});

describe("firstInvalidUtf8", () => {
  const cases: [string, number[], number][] = [
    ["ASCII", [0x61, 0x62], -1],
    ["2-, 3- and 4-byte sequences", [0xc3, 0xa9, 0xe2, 0x82, 0xac, 0xf0, 0x9f, 0x99, 0x82], -1],
    ["a stray continuation byte", [0x61, 0x80], 1],
    ["a truncated 3-byte sequence", [0x61, 0xe2, 0x82], 1],
    ["an overlong encoding of '/'", [0xc0, 0xaf], 0],
    ["an overlong 3-byte encoding", [0xe0, 0x80, 0xaf], 0],
    ["an encoded surrogate", [0x61, 0x62, 0xed, 0xa0, 0x80], 2],
    ["a code point above U+10FFFF", [0xf4, 0x90, 0x80, 0x80], 0],
    ["a Latin-1 byte", [0x63, 0x61, 0x66, 0xe9], 3],
  ];
  for (const [name, bytes, offset] of cases) {
    it(`returns ${offset} for ${name}`, () => {
      expect(firstInvalidUtf8(Buffer.from(bytes))).to.equal(offset);
    });
  }
});

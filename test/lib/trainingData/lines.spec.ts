import { expect } from "chai";
import {
  firstInvalidUtf8,
  forEachBufferLine,
  forEachStreamLine,
} from "../../../lib/trainingData/lines";

async function* chunks(content: Buffer, size: number): AsyncGenerator<Buffer> {
  for (let i = 0; i < content.length; i += size) yield content.subarray(i, i + size);
}

async function streamLines(content: string, chunkSize: number, max = 1024): Promise<string[]> {
  const out: string[] = [];
  await forEachStreamLine(chunks(Buffer.from(content), chunkSize), max, (bytes, tooLong) =>
    out.push(tooLong ? "<too long>" : bytes.toString()),
  );
  return out;
}

function bufferLines(content: string, max = 1024): string[] {
  const out: string[] = [];
  forEachBufferLine(Buffer.from(content), max, (bytes, tooLong) =>
    out.push(tooLong ? "<too long>" : bytes.toString()),
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

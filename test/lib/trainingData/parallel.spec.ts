import { expect } from "chai";
import { analyzeBytes, LineResult } from "../../../lib/trainingData/lineAnalysis";
import { forEachBufferLine } from "../../../lib/trainingData/lines";
import { LINE_LIMITS } from "../../../lib/trainingData/validate";

// Lines from 4 KiB on are pre-scanned against a limit of 50 tokens (the long line at 3000 is over).
const limits = { ...LINE_LIMITS, scanLineBytes: 4096, tokenLimit: 50 };
import { analyzeStream, validationThreads } from "../../../lib/trainingData/parallel";

/** ~3 MB of JSONL: valid chat lines in several scripts, with broken lines at known places. */
function content(): Buffer {
  const lines: string[] = [];
  for (let i = 1; i <= 6000; i++) {
    const text = ["Bonjour à tous", "你好，世界", "สวัสดีครับ", "Привет"][i % 4].repeat(1 + (i % 40));
    if (i === 2) lines.push("not json");
    else if (i === 4500) lines.push("");
    else if (i === 5999) lines.push('{"messages": []}');
    else if (i === 3000) {
      const content = "Bonjour à tous ".repeat(600); // 9,600 bytes: at least 75 tokens
      lines.push(JSON.stringify({ messages: [{ role: "user", content }] }));
    } else {
      lines.push(
        JSON.stringify({
          messages: [
            { role: "user", content: `${i}: ${text}` },
            { role: "assistant", content: text },
          ],
        }),
      );
    }
  }
  return Buffer.from(`\uFEFF${lines.join("\n")}\n`);
}

async function* chunked(data: Buffer, size: number): AsyncIterable<Buffer> {
  for (let at = 0; at < data.length; at += size) yield data.subarray(at, at + size);
}

describe("analyzeStream (worker threads)", () => {
  it("hands back every line's result in file order, identical to analysing on one thread", async function () {
    this.timeout(120_000);
    const data = content();
    const expected: LineResult[] = [];
    forEachBufferLine(data, limits, (bytes, start, end, refusal) =>
      expected.push(analyzeBytes(bytes.subarray(start, end), refusal, expected.length === 0)),
    );
    const actual: LineResult[] = [];
    await analyzeStream(chunked(data, 100_000), 2, limits, (r) => actual.push(r));
    expect(actual.length).to.equal(6000);
    expect(actual).to.deep.equal(expected);
    expect([
      actual[1].errors.length,
      actual[2999].errors,
      actual[4499].kind,
      actual[5998].errors,
    ]).to.deep.equal([
      1,
      [
        "has at least 75 tokens (counted from its text's size, not further), more than any model accepts per example (50); shorten it or split the conversation",
      ],
      "blank",
      ['"messages" is empty; add the conversation\'s messages'],
    ]);
  });

  it("analyses padded long lines, one still longer than a batch once compacted, as one thread does", async function () {
    this.timeout(120_000);
    const messages = [
      { role: "user", content: "Hi" },
      { role: "assistant", content: "Hello" },
    ];
    const spaced = JSON.stringify({ messages }, null, 2).replace(/\n/g, " ".repeat(500));
    const notes = "n".repeat(1536 * 1024); // over the 1 MiB batch, and counted nowhere
    const big = `{"notes": "${notes}",${" ".repeat(8192)}"messages": ${JSON.stringify(messages)}}`;
    expect(spaced.length).to.be.greaterThan(limits.scanLineBytes); // pre-scanned, so compacted
    const data = Buffer.from([spaced, big, spaced, "{]", spaced].join("\n"));
    const expected: LineResult[] = [];
    forEachBufferLine(data, limits, (bytes, start, end, refusal, scanned) =>
      expected.push(
        analyzeBytes(bytes.subarray(start, end), refusal, expected.length === 0, scanned),
      ),
    );
    for (const size of [4096, 1 << 20]) {
      const actual: LineResult[] = [];
      await analyzeStream(chunked(data, size), 2, limits, (r) => actual.push(r));
      expect(actual, `pieces of ${size}`).to.deep.equal(expected);
    }
    expect(expected.map((r) => [r.kind, r.tokens, r.errors.length])).to.deep.equal([
      ["example", expected[0].tokens, 0],
      ["example", expected[0].tokens, 0],
      ["example", expected[0].tokens, 0],
      ["example", 0, 1],
      ["example", expected[0].tokens, 0],
    ]);
    expect(expected[0].tokens).to.be.greaterThan(0);
  });

  it("uses AOIFT_VALIDATE_THREADS when set, else at most 2 threads", () => {
    const saved = process.env.AOIFT_VALIDATE_THREADS;
    try {
      process.env.AOIFT_VALIDATE_THREADS = "0";
      const zero = validationThreads();
      delete process.env.AOIFT_VALIDATE_THREADS;
      expect([zero, validationThreads() >= 1 && validationThreads() <= 2]).to.deep.equal([0, true]);
    } finally {
      if (saved === undefined) delete process.env.AOIFT_VALIDATE_THREADS;
      else process.env.AOIFT_VALIDATE_THREADS = saved;
    }
  });
});

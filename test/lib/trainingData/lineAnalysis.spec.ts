import { expect } from "chai";
import { analyzeBytes, LineResult } from "../../../lib/trainingData/lineAnalysis";
import {
  forEachBufferLine,
  forEachStreamLine,
  LineLimits,
  ScannedLine,
} from "../../../lib/trainingData/lines";

// Lines over 512 bytes are pre-scanned, so kept compacted; `whole` never pre-scans.
const scanned: LineLimits = { maxLineBytes: 1 << 20, scanLineBytes: 512, tokenLimit: 1000 };
const whole: LineLimits = { ...scanned, scanLineBytes: 1 << 20 };

async function* chunks(content: Buffer, size: number): AsyncGenerator<Buffer> {
  for (let i = 0; i < content.length; i += size) yield content.subarray(i, i + size);
}

/** Every line's analysis, as the single-thread validators produce it. */
function analyzeBuffer(content: string | Buffer, limits = scanned): LineResult[] {
  const out: LineResult[] = [];
  forEachBufferLine(Buffer.from(content), limits, (bytes, start, end, refusal, scan) =>
    out.push(analyzeBytes(bytes.subarray(start, end), refusal, out.length === 0, scan)),
  );
  return out;
}

async function analyzeChunks(content: string | Buffer, size: number): Promise<LineResult[]> {
  const out: LineResult[] = [];
  await forEachStreamLine(chunks(Buffer.from(content), size), scanned, (b, s, e, r, scan) =>
    out.push(analyzeBytes(b.subarray(s, e), r, out.length === 0, scan)),
  );
  return out;
}

/** The in-memory analysis, after checking that streaming in pieces of any size agrees. */
async function analyze(content: string | Buffer): Promise<LineResult[]> {
  const expected = analyzeBuffer(content);
  for (const size of [1, 2, 3, 5, 7, 64, 511, 513, 4096]) {
    expect(await analyzeChunks(content, size), `pieces of ${size}`).to.deep.equal(expected);
  }
  return expected;
}

const pad = (n: number): string => " \t\r".repeat(n);
const example = (padding: string): string =>
  `{"messages": [${padding}{"role": "user", "content": "Hi \\"there\\"  ${"é".repeat(20)}"},` +
  `${padding}{"role": "assistant",${padding}"content": "Hello"}]}${padding}`;

describe("analyzeBytes on pre-scanned (compacted) lines", () => {
  it("gives a padded long line the tokens and rule results of the same line unpadded", async () => {
    const [padded, plain] = await analyze(`${example(pad(200))}\n${example("")}`);
    expect(padded).to.deep.equal({ ...plain, hashHi: padded.hashHi, hashLo: padded.hashLo });
    expect([padded.kind, padded.errors, padded.format, padded.tokens]).to.deep.equal([
      "example",
      [],
      "chat",
      plain.tokens,
    ]);
    expect(plain.tokens).to.be.greaterThan(0);
  });

  it("gives the same result as analysing the whole line, digest included", async () => {
    const lines = [
      example(pad(200)),
      `\uFEFF${example(pad(200))}\r`,
      `{"messages": [${pad(200)}{"role": "narrator", "content": "x"}], "extra": 1}`,
    ];
    for (const [i, line] of lines.entries()) {
      const content = i === 1 ? line : `{}\n${line}`;
      expect(await analyze(content), line.slice(0, 20)).to.deep.equal(
        analyzeBuffer(content, whole),
      );
    }
  });

  it("finds two identical padded lines duplicates, and two differing only in padding not", async () => {
    const [a, b, c] = await analyze(
      `${example(pad(200))}\n${example(pad(200))}\n${example(pad(201))}`,
    );
    expect([a.hashHi, a.hashLo]).to.deep.equal([b.hashHi, b.hashLo]);
    expect([a.hashHi, a.hashLo]).to.not.deep.equal([c.hashHi, c.hashLo]);
  });

  it("refuses an invalid padded line with the pre-scan's reason, at its byte in the original line", async () => {
    const line = `{"messages": [${" ".repeat(600)}{"role": "user", "content": "x"},]}`;
    const [r] = await analyze(line);
    expect([r.kind, r.errors]).to.deep.equal([
      "example",
      [
        "is not valid JSON (unexpected character ']' at byte 648); each line must hold one complete JSON object",
      ],
    ]);
    expect(line[647]).to.equal("]");
    // The whole-line analysis words V8's message (here without a position); the verdict is the same.
    expect(analyzeBuffer(line, whole)[0].errors).to.deep.equal([
      "is not valid JSON (unparseable); each line must hold one complete JSON object",
    ]);
  });

  it("reports invalid UTF-8 and byte-order marks as the whole-line analysis does", async () => {
    const latin1 = Buffer.concat([
      Buffer.from(`{"messages": [${pad(200)}{"role": "user", "content": "caf`),
      Buffer.from([0xe9, 0x20]), // the space after 0xe9 is in the string: it stays
      Buffer.from('"}]}'),
    ]);
    // 0xc3 then a space outside a string: dropping the space must not make "é" of it.
    const cut = Buffer.concat([
      Buffer.from(`{"a": 1,${pad(200)}`),
      Buffer.from([0xc3, 0x20, 0xa9]),
    ]);
    const bom = `{}\n\uFEFF${example(pad(200))}`;
    for (const content of [latin1, cut, Buffer.from(bom)]) {
      expect(await analyze(content)).to.deep.equal(analyzeBuffer(content, whole));
    }
    expect(analyzeBuffer(cut)[0].errors).to.deep.equal([
      "is not valid UTF-8 (byte 0xc3 at byte 609 of the line); save the file as UTF-8",
    ]);
  });

  it("reports a long line of whitespace as blank", async () => {
    const content = `${" \t\f\v\u3000".repeat(200)}\n${example("")}`;
    const [r] = await analyze(content);
    expect([r.kind, r.errors]).to.deep.equal([
      "blank",
      ["is blank; remove empty lines, every line must hold one JSON example"],
    ]);
  });

  it("uses the scan's error and digest instead of checking the compacted bytes", () => {
    const scan: ScannedLine = {
      error: "is not valid JSON (x); each line must hold one complete JSON object",
      invalidUtf8: false,
      hashHi: 1,
      hashLo: 2,
    };
    const r = analyzeBytes(Buffer.from('{"messages":[]}'), undefined, false, scan);
    expect([r.kind, r.errors, r.hashHi, r.hashLo]).to.deep.equal(["example", [scan.error], 1, 2]);
  });

  describe("image URLs (kept as a short stand-in)", () => {
    const base64 = (n: number): string => "QUJD+/9=".repeat(Math.ceil(n / 8)).slice(0, n);
    const dataUrl = (n = 4000): string => `data:image/png;base64,${base64(n)}`;
    const image = (url: unknown, extra: object = {}): object => ({
      type: "image_url",
      image_url: { url, ...extra },
    });
    const line = (userContent: unknown, assistantContent: unknown = "A cat."): string =>
      JSON.stringify({
        messages: [
          { role: "user", content: userContent },
          { role: "assistant", content: assistantContent },
        ],
      });
    const text = { type: "text", text: "What is this?" };
    const cases: [string, string][] = [
      ["a data: URL", line([text, image(dataUrl()), image(dataUrl(5000))])],
      ["an image in an assistant message", line("Look", [image(dataUrl())])],
      ["an empty URL", line([text, image("", { note: " ".repeat(600) })])],
      ["a URL that is not a string", line([image(42, { note: dataUrl() })])],
      [
        "escapes before and after the kept start",
        line([image(`data:@${base64(900)}"q@`)]).replace(/@/g, "\\/\\u0041"),
      ],
      ["non-ASCII after the kept start", line([image(`${dataUrl(70)}é${base64(900)}`)])],
      ["an unsupported detail", line([image(dataUrl(), { detail: "huge" })])],
      ["image_url on a text part", line([{ ...text, image_url: { url: dataUrl() } }])],
      [
        "URLs of 63 to 65 bytes",
        line([image(base64(63)), image(base64(64)), image(base64(65)), text, image(dataUrl())]),
      ],
      [
        "a preference example",
        JSON.stringify({
          input: { messages: [{ role: "user", content: [text, image(dataUrl())] }] },
          preferred_output: [{ role: "assistant", content: "A cat." }],
          non_preferred_output: [{ role: "assistant", content: "A dog." }],
        }),
      ],
    ];
    for (const [name, example] of cases) {
      it(`gives the whole-line result for ${name}`, async () => {
        const content = `\uFEFF${example}\n${example.replace('"url"', '"u\\u0072l"')}`;
        expect(content.length).to.be.greaterThan(2 * scanned.scanLineBytes);
        expect(await analyze(content)).to.deep.equal(analyzeBuffer(content, whole));
      });
    }

    it("keeps a repeated url key's last value, as JSON.parse does", async () => {
      const example = line([text, image(dataUrl())]).replace('"url":', '"url":"","url":');
      const repeated = example.replace(/"url":"",("url":"[^"]*")/, '$1,"url":""');
      for (const content of [example, repeated]) {
        expect(await analyze(content)).to.deep.equal(analyzeBuffer(content, whole));
      }
      expect(analyzeBuffer(repeated)[0].errors).to.deep.equal([
        'messages[0].content[1].image_url must be an object with a "url" string (https URL or data: URL)',
      ]);
    });

    it("keeps the first 64 bytes of a URL and the rest of the line", () => {
      const example = line([image(dataUrl(100_000), { detail: "low" })]);
      const kept: string[] = [];
      forEachBufferLine(Buffer.from(example), scanned, (bytes, start, end) =>
        kept.push(bytes.toString("utf8", start, end)),
      );
      expect(kept).to.deep.equal([line([image(dataUrl(100_000).slice(0, 64), { detail: "low" })])]);
    });
  });

  describe("values of unknown top-level and input keys (kept as 0)", () => {
    const chat = [
      { role: "user", content: "Hi é" },
      { role: "assistant", content: "Hello" },
    ];
    // Escapes, brackets, quotes, non-ASCII and whitespace inside the dropped values.
    const text = `a "quoted" \\ back\\slash {[ ]} é漢😀 \u00e9 tab\t${"x".repeat(600)}`;
    const nested = { a: [1, -2.5e-3, true, false, null, { b: text }], 'c"}': [[], {}] };
    const line = (fields: object): string => JSON.stringify(fields);
    const cases: [string, string][] = [
      ["a long string after messages", line({ messages: chat, metadata: text })],
      ["a long string before messages", line({ metadata: text, messages: chat })],
      ["a nested object and array", line({ meta: nested, messages: chat, list: [nested, 7] })],
      [
        "numbers and literals",
        `{"n": -12.5e+3, "messages": ${JSON.stringify(chat)}, "t": true, "f": false, "z": null, "pad": ${JSON.stringify(text)}, "i": 0}`,
      ],
      [
        "a repeated unknown key",
        `{"x": ${JSON.stringify(text)}, "messages": ${JSON.stringify(chat)}, "x": [${JSON.stringify(text)}]}`,
      ],
      [
        "escaped and non-ASCII keys",
        `{"m\\u0065ssages": ${JSON.stringify(chat)}, "métadonnées": ${JSON.stringify(text)}, "\\u0074ools": 5, "__proto__": {"a": ${JSON.stringify(text)}}}`,
      ],
      [
        "padding around the values",
        `{ "meta" :  ${JSON.stringify(nested)}  , "messages" : ${JSON.stringify(chat)} ${pad(200)}}`,
      ],
      [
        "a preference example",
        line({
          note: nested,
          input: { messages: [chat[0]], extra: text },
          preferred_output: [chat[1]],
          non_preferred_output: [{ role: "assistant", content: "Bye" }],
          messages_: text,
        }),
      ],
      [
        "repeated input objects with unknown keys",
        `{"input": {"meta": ${JSON.stringify(nested)}, "messages": [${JSON.stringify(chat[0])}], "meta": 1}, "input": {"x": ${JSON.stringify(text)}, "tools": [], "messages": []}, "preferred_output": [${JSON.stringify(chat[1])}], "non_preferred_output": []}`,
      ],
      [
        "keys that decide the format only by being there",
        line({ prompt: text, completion: nested }),
      ],
      ["an unknown key without messages", line({ metadata: text })],
      ["an object in an array", line([{ messages: chat, metadata: text }])],
      [
        "rule errors next to the unknown key",
        line({ messages: [chat[0]], metadata: text, tools: "x" }),
      ],
    ];
    for (const [name, example] of cases) {
      it(`gives the whole-line result for ${name}`, async () => {
        const content = `\uFEFF${example}\n${example}`;
        expect(content.length).to.be.greaterThan(2 * scanned.scanLineBytes);
        expect(await analyze(content)).to.deep.equal(analyzeBuffer(content, whole));
      });
    }

    it("keeps each unknown key with 0 for its value, and the rest of the line", () => {
      const kept: string[] = [];
      forEachBufferLine(Buffer.from(cases[3][1]), scanned, (bytes, start, end) =>
        kept.push(bytes.toString("utf8", start, end)),
      );
      expect(kept).to.deep.equal([
        `{"n":0,"messages":${JSON.stringify(chat)},"t":0,"f":0,"z":0,"pad":0,"i":0}`,
      ]);
    });

    it("keeps each unknown key of a preference example's input with 0 for its value", () => {
      const kept: string[] = [];
      forEachBufferLine(Buffer.from(cases[7][1]), scanned, (bytes, start, end) =>
        kept.push(bytes.toString("utf8", start, end)),
      );
      expect(kept).to.deep.equal([
        `{"note":0,"input":{"messages":${JSON.stringify([chat[0]])},"extra":0},"preferred_output":${JSON.stringify([chat[1]])},"non_preferred_output":[{"role":"assistant","content":"Bye"}],"messages_":0}`,
      ]);
      expect(analyzeBuffer(cases[7][1])[0].unknownKeys).to.deep.equal([
        "note",
        "messages_",
        "input.extra",
      ]);
    });

    it("reports the tokens and the unknown keys of the example", () => {
      const [r] = analyzeBuffer(cases[2][1]);
      const [plain] = analyzeBuffer(line({ messages: chat }), whole);
      expect([r.tokens, r.contextTokens, r.errors, r.unknownKeys, r.clean]).to.deep.equal([
        plain.tokens,
        plain.contextTokens,
        [],
        ["meta", "list"],
        true,
      ]);
      expect(plain.tokens).to.equal(14);
    });

    it("reports a malformed unknown value with the pre-scan's error", async () => {
      const broken = `{"messages": ${JSON.stringify(chat)}, "meta": [${JSON.stringify(text)}, 1,]}`;
      const [r] = await analyze(broken);
      const [w] = analyzeBuffer(broken, whole);
      expect(r.errors).to.deep.equal([
        `is not valid JSON (unexpected character ']' at byte ${Buffer.byteLength(broken) - 1}); each line must hold one complete JSON object`,
      ]);
      expect({ ...r, errors: [] }).to.deep.equal({ ...w, errors: [] });
      const latin1 = Buffer.concat([
        Buffer.from(`{"messages": ${JSON.stringify(chat)}, "meta": "${"x".repeat(600)}`),
        Buffer.from([0xe9]),
        Buffer.from('"}'),
      ]);
      expect(await analyze(latin1)).to.deep.equal(analyzeBuffer(latin1, whole));
      expect((await analyze(latin1))[0].errors).to.deep.equal([
        `is not valid UTF-8 (byte 0xe9 at byte ${latin1.length - 2} of the line); save the file as UTF-8`,
      ]);
    });
  });

  it("matches the whole-line analysis on 300 generated padded examples, valid or broken", async () => {
    let seed = 12;
    const random = (n: number): number => {
      // xorshift32 (Marsaglia): the same examples on every run.
      seed ^= seed << 13;
      seed ^= seed >>> 17;
      seed ^= seed << 5;
      return (seed >>> 0) % n;
    };
    const pick = <T>(items: T[]): T => items[random(items.length)];
    const text = (): string =>
      Array.from({ length: random(40) }, () =>
        pick(["a", " ", '"', "\\", "\n", "é", "中", "🙂"]),
      ).join("");
    const url = (): string =>
      pick(["", "https://x.test/a.png", `data:image/png;base64,${"QUJD".repeat(random(300))}`]) +
      text();
    const part = (): object =>
      random(2) === 0
        ? { type: "text", text: `${text()}.` }
        : { type: "image_url", image_url: { url: url() } };
    const message = (_: unknown, i: number): object => ({
      role: pick(
        [["user"], ["assistant"]][i] ?? ["system", "user", "assistant", "tool", "narrator"],
      ),
      content: random(2) === 0 ? `${text()}.` : Array.from({ length: 1 + random(3) }, part),
      ...(random(5) === 0 ? { weight: random(2) } : {}),
    });
    const seen = { jsonErrors: 0, clean: 0, otherErrors: 0, dataUrls: 0 };
    for (let i = 0; i < 300; i++) {
      const example = {
        messages: Array.from({ length: 1 + random(4) }, message),
        ...(random(6) === 0 ? { metadata: text() } : {}),
      };
      const spaced = JSON.stringify(example, null, 1 + random(3)).replace(/\n/g, () =>
        " \t\r".repeat(1 + random(30)),
      );
      let line = `{${" ".repeat(600)}${spaced.slice(1)}`;
      const broken = random(4) === 0;
      if (broken) {
        const at = 601 + random(line.length - 601);
        line = line.slice(0, at) + pick([",", "]", "}", ":", "x"]) + line.slice(at + 1);
      }
      const content = `${example.messages.length > 2 ? "\uFEFF" : ""}${line}`;
      const [compacted] = analyzeBuffer(content);
      for (const size of [1, 97, 4096]) {
        expect(await analyzeChunks(content, size), `${i} in pieces of ${size}`).to.deep.equal([
          compacted,
        ]);
      }
      const [expected] = analyzeBuffer(content, whole);
      if (line.includes("data:image")) seen.dataUrls++;
      const json = (r: LineResult): boolean =>
        r.errors.some((e) => e.startsWith("is not valid JSON"));
      if (json(expected) || json(compacted)) {
        // Only the wording of the JSON error differs (see "refuses an invalid padded line").
        expect([json(compacted), compacted.kind, compacted.hashHi], `${i}: ${line}`).to.deep.equal([
          true,
          expected.kind,
          expected.hashHi,
        ]);
      } else {
        expect(compacted, `${i}: ${line}`).to.deep.equal(expected);
      }
      if (json(compacted)) seen.jsonErrors++;
      else if (compacted.clean) seen.clean++;
      else seen.otherErrors++;
    }
    // The mix the seed gives: broken JSON, clean examples, rule errors, lines with data: URLs.
    expect(seen).to.deep.equal({ jsonErrors: 71, clean: 42, otherErrors: 187, dataUrls: 104 });
  });
});

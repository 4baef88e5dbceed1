import { expect } from "chai";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { encode as libraryEncode } from "gpt-tokenizer/cjs/encoding/o200k_base";
import { countPieceTokens } from "../../../lib/trainingData/bpe";
import {
  countRepeatedText,
  countTokens,
  countTokensReference,
  O200K_SPLIT,
  preTokenize,
} from "../../../lib/trainingData/tokens";

/** Deterministic xorshift32, so a failure names a reproducible input. */
function random(seed: number): () => number {
  let s = seed;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 4294967296;
  };
}

// Letters of every case class (Lu, Ll, Lt ǅ, Lm ʰ ـ, Lo 中 क), marks, digits of other scripts,
// Unicode spaces, astral letters and digits, emoji, lone surrogates, CR/LF and contractions.
const ALPHABET = [
  ..."aAzZ09 \t\n\r\v\f'sSlLvVrReEdDmMtT.,!?/\\-_\"#$%&()*+:;<=>@[]^`{|}~éÉ中Àǅʰـ\u0301\u0663\u00a0\u2003\u2028\u3000—’“€٣Ⅻ\u200d\ufeffक्षि",
  "𝐀",
  "𝐚",
  "𠀀",
  "😀",
  "👍🏽",
  "𝟘",
  "\ud800",
  "\udc00",
  "  ",
  "\r\n",
  "'ll",
  "'RE",
  "ǅa",
  "ʰʰa",
  " hello",
  "Paris",
];

function fuzzStrings(count: number, seed: number, maxLength: number): string[] {
  const rnd = random(seed);
  return Array.from({ length: count }, () => {
    let s = "";
    const length = 1 + Math.floor(rnd() * maxLength);
    for (let i = 0; i < length; i++) s += ALPHABET[Math.floor(rnd() * ALPHABET.length)];
    return s;
  });
}

describe("countTokens (o200k_base)", () => {
  // Each count verified with tiktoken 1.0.22 (wasm, encode_ordinary) and js-tiktoken 1.0.21.
  const KNOWN: [string, number][] = [
    ["", 0],
    ["Hello, world!", 4],
    ["Où se trouve la gare de Lyon ?", 9],
    ["東京から京都まで新幹線で何分ですか？", 14],
    ["Book a table for 2 at 7:30pm 🙂", 13],
    ["<|endoftext|> is just text here", 11],
    ["   leading spaces and\ttabs\r\n\r\nnew lines  ", 10],
    ["I'LL say we'd better pack: it's 30°C in Sevilla — don't forget SPF50!!!", 20],
    [" hello".repeat(1000), 1000],
  ];
  for (const [text, tokens] of KNOWN) {
    it(`counts ${JSON.stringify(text.slice(0, 40))} as ${tokens} tokens`, () => {
      expect([
        countTokens(text),
        countTokensReference(text),
        countRepeatedText(text),
      ]).to.deep.equal([tokens, tokens, tokens]);
    });
  }

  it("splits text exactly like the o200k_base regex on fuzzed Unicode input", () => {
    const mismatches = [...fuzzStrings(20000, 7, 14), ...fuzzStrings(2000, 11, 80)].filter(
      (s) =>
        preTokenize(s).join("\u0000") !==
        [...s.matchAll(O200K_SPLIT)].map((m) => m[0]).join("\u0000"),
    );
    expect(mismatches).to.deep.equal([]);
  });

  it("splits every Unicode whitespace and format character in fuzzed text like the regex", () => {
    const special: string[] = [];
    for (let cp = 0; cp < 0x110000; cp++) {
      if (/[\p{White_Space}\p{Cf}\s]/u.test(String.fromCodePoint(cp))) {
        special.push(String.fromCodePoint(cp));
      }
    }
    expect(special).to.include.members(["\u0085", "\ufeff", "\u200b", "\u3000", "\u{e0001}"]);
    const alphabet = [...special, "a", "A", "中", "1", "!", "'s", " ", "\n", "\r\n", "é"];
    const rnd = random(23);
    const mismatches: string[] = [];
    for (let n = 0; n < 20000; n++) {
      let s = "";
      const length = 1 + Math.floor(rnd() * 12);
      for (let i = 0; i < length; i++) s += alphabet[Math.floor(rnd() * alphabet.length)];
      const expected = [...s.matchAll(O200K_SPLIT)].map((m) => m[0]).join("\u0000");
      if (preTokenize(s).join("\u0000") !== expected) mismatches.push(s);
    }
    expect(mismatches).to.deep.equal([]);
  });

  it("counts fuzzed input exactly like the reference regex with the same BPE", () => {
    const mismatches = [...fuzzStrings(3000, 13, 20), ...fuzzStrings(300, 17, 200)].filter(
      (s) => countTokens(s) !== countTokensReference(s),
    );
    expect(mismatches).to.deep.equal([]);
  });

  it("merges every fuzzed pre-token into as many tokens as gpt-tokenizer's BPE", () => {
    // gpt-tokenizer's string-keyed ranks lack the U+FEFF token (TextDecoder drops a BOM), so
    // pieces holding U+FEFF are left to the tiktoken fixture below.
    const pieces = [...fuzzStrings(3000, 19, 30), ...fuzzStrings(200, 29, 400)]
      .flatMap((s) => preTokenize(s))
      .filter((p) => !p.includes("\ufeff"));
    const mismatches = pieces.filter(
      (p) => countPieceTokens(p, 0, p.length) !== libraryEncode(p).length,
    );
    expect(mismatches).to.deep.equal([]);
  });
});

/** Recorded once with Python tiktoken by test/fixtures/tiktoken/record.py (see its docstring). */
interface TiktokenFixture {
  tiktoken: string;
  spacesAndFormat: [string, number][];
  fuzz: [string, number][];
  probeBlockDigests: string[];
}

/** The probe string of record.py: the code point in every position the split regex tells apart. */
function probe(c: string): string {
  return `${c}a${c}b A${c}a ${c}a 1${c}2 x${c} y!${c}\n${c}${c}a it'${c}x ${c}`;
}

describe("countTokens against recorded tiktoken counts", () => {
  const fixture = JSON.parse(
    readFileSync(join(__dirname, "../../fixtures/tiktoken/o200k_base.json"), "utf8"),
  ) as TiktokenFixture;
  const differing = (cases: [string, number][]): [string, number, number][] =>
    cases
      .map(([text, tiktoken]): [string, number, number] => [text, tiktoken, countTokens(text)])
      .filter(([, tiktoken, ours]) => ours !== tiktoken);

  it(`counts every Unicode whitespace and format character in context like tiktoken ${fixture.tiktoken}`, () => {
    expect(fixture.spacesAndFormat.length).to.equal(2068);
    expect(differing(fixture.spacesAndFormat)).to.deep.equal([]);
  });

  it(`counts "Hello\\ufeffworld" as 3 tokens and "Hello\\u0085world" as 4, like tiktoken`, () => {
    expect([countTokens("Hello\ufeffworld"), countTokens("Hello\u0085world")]).to.deep.equal([
      3, 4,
    ]);
  });

  it("counts fuzzed multilingual strings like tiktoken", () => {
    expect(differing(fixture.fuzz)).to.deep.equal([]);
  });

  // The fixture has digests for all 272 blocks, and all matched when this was written (about a
  // minute of CPU); the test checks the Basic Multilingual Plane, the emoji block and the tags /
  // variation-selector block, where scripts, spaces, format characters and emoji live.
  const CHECKED_BLOCKS = [...Array.from({ length: 16 }, (_, i) => i), 0x1f, 0xe0];
  it("counts a probe of every code point in the BMP, emoji and tag blocks like tiktoken", function () {
    this.timeout(120_000);
    const blocks: string[] = [];
    for (const block of CHECKED_BLOCKS) {
      const counts: number[] = [];
      for (let cp = block << 12; cp < (block + 1) << 12; cp++) {
        if (cp >= 0xd800 && cp <= 0xdfff) continue;
        counts.push(countTokens(probe(String.fromCodePoint(cp))));
      }
      const digest = createHash("sha256").update(counts.join(",")).digest("hex").slice(0, 16);
      if (digest !== fixture.probeBlockDigests[block]) blocks.push(block.toString(16));
    }
    expect(blocks).to.deep.equal([]);
  });
});

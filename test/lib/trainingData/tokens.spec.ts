import { expect } from "chai";
import { O200K_TOKEN_SPLIT_REGEX } from "gpt-tokenizer/cjs/encodingParams/constants";
import {
  countRepeatedText,
  countTokens,
  countTokensReference,
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
    const regex = new RegExp(O200K_TOKEN_SPLIT_REGEX.source, "gu");
    const mismatches = [...fuzzStrings(20000, 7, 14), ...fuzzStrings(2000, 11, 80)].filter(
      (s) =>
        preTokenize(s).join("\u0000") !== [...s.matchAll(regex)].map((m) => m[0]).join("\u0000"),
    );
    expect(mismatches).to.deep.equal([]);
  });

  it("counts fuzzed input exactly like gpt-tokenizer alone", () => {
    const mismatches = [...fuzzStrings(3000, 13, 20), ...fuzzStrings(300, 17, 200)].filter(
      (s) => countTokens(s) !== countTokensReference(s),
    );
    expect(mismatches).to.deep.equal([]);
  });
});

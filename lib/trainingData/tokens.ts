/**
 * Exact o200k_base token counting (tiktoken's `encode_ordinary(text).length`), the validator's
 * hot path.
 *
 * Pre-tokenizer: a table-driven scanner that reproduces tiktoken's split regex exactly (the
 * tests compare it with {@link O200K_SPLIT} on fuzzed input and with counts recorded from
 * tiktoken itself); regexes with Unicode property classes cost a range search per character and
 * were 80 % of gpt-tokenizer's time. BPE: bpe.ts (a heap-based merge; see there why not the
 * library's). Pieces of up to 48 characters are cached: in most languages they are
 * Zipf-distributed words, so nearly every piece after the first megabyte is a cache hit.
 */
import { countPieceTokens } from "./bpe";

/**
 * tiktoken's o200k_base split pattern (tiktoken_ext/openai_public.py in
 * https://github.com/openai/tiktoken), written for JavaScript: `(?i:'s|…)` spelled out by case,
 * and `\s` / `\S` as `\p{White_Space}` / `\P{White_Space}` (see WHITE_SPACE below). The
 * scanner is the fast path; this regex is its reference and its fallback.
 */
export const O200K_SPLIT = new RegExp(
  [
    "[^\\r\\n\\p{L}\\p{N}]?[\\p{Lu}\\p{Lt}\\p{Lm}\\p{Lo}\\p{M}]*[\\p{Ll}\\p{Lm}\\p{Lo}\\p{M}]+(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])?",
    "[^\\r\\n\\p{L}\\p{N}]?[\\p{Lu}\\p{Lt}\\p{Lm}\\p{Lo}\\p{M}]+[\\p{Ll}\\p{Lm}\\p{Lo}\\p{M}]*(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])?",
    "\\p{N}{1,3}",
    " ?[^\\p{White_Space}\\p{L}\\p{N}]+[\\r\\n/]*",
    "\\p{White_Space}*[\\r\\n]+",
    "\\p{White_Space}+(?!\\P{White_Space})",
    "\\p{White_Space}+",
  ].join("|"),
  "gu",
);

/** Counts `text` by splitting it with {@link O200K_SPLIT} (slow; the reference the scanner must match). */
export function countTokensReference(text: string): number {
  let total = 0;
  for (const [piece] of text.matchAll(O200K_SPLIT))
    total += countPieceTokens(piece, 0, piece.length);
  return total;
}

// Character classes of the o200k pre-tokenizer regex, one byte per code point, computed on first
// sight of each code point (most files touch a few hundred distinct ones).
const KNOWN = 1;
const LETTER = 2; // \p{L}
const NUMBER = 4; // \p{N}
const UPPER = 8; // [\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]
const LOWER = 16; // [\p{Ll}\p{Lm}\p{Lo}\p{M}]
const SPACE = 32; // \s of tiktoken's Rust regex: Unicode White_Space, not JavaScript's \s
const NEWLINE = 64; // [\r\n]

// tiktoken's regex runs on Rust's regex engine, where `\s` is the Unicode White_Space property
// (https://docs.rs/regex/latest/regex/#perl-character-classes-unicode-friendly). JavaScript's `\s`
// also matches U+FEFF and misses U+0085 (ECMA-262 WhiteSpace + LineTerminator), which made
// "Hello\ufeffworld" 4 tokens instead of tiktoken's 3.
const WHITE_SPACE = /\p{White_Space}/u;

const classes = new Uint8Array(0x110000);

function computeClass(cp: number): number {
  const s = String.fromCodePoint(cp);
  const c =
    KNOWN |
    (/\p{L}/u.test(s) ? LETTER : 0) |
    (/\p{N}/u.test(s) ? NUMBER : 0) |
    (/[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]/u.test(s) ? UPPER : 0) |
    (/[\p{Ll}\p{Lm}\p{Lo}\p{M}]/u.test(s) ? LOWER : 0) |
    (WHITE_SPACE.test(s) ? SPACE : 0) |
    (cp === 0x0a || cp === 0x0d ? NEWLINE : 0);
  classes[cp] = c;
  return c;
}

function classOf(cp: number): number {
  const c = classes[cp];
  return c !== 0 ? c : computeClass(cp);
}

/** Code point at `i` the way a /u regex sees it: a valid surrogate pair is one code point, a lone surrogate is itself. */
function codePointAt(s: string, i: number): number {
  const c = s.charCodeAt(i);
  if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
    const d = s.charCodeAt(i + 1);
    if (d >= 0xdc00 && d <= 0xdfff) {
      return ((c - 0xd800) << 10) + (d - 0xdc00) + 0x10000;
    }
  }
  return c;
}

function width(cp: number): number {
  return cp > 0xffff ? 2 : 1;
}

/** Start of the code point that ends at `k` (exclusive), never before `floor`. */
function previousBoundary(s: string, k: number, floor: number): number {
  if (k - 2 >= floor) {
    const lo = s.charCodeAt(k - 1);
    const hi = s.charCodeAt(k - 2);
    if (lo >= 0xdc00 && lo <= 0xdfff && hi >= 0xd800 && hi <= 0xdbff) {
      return k - 2;
    }
  }
  return k - 1;
}

/** End of the longest run from `i` of code points whose class has any bit of `mask`. */
function runOf(s: string, i: number, mask: number): number {
  const n = s.length;
  while (i < n) {
    const cp = codePointAt(s, i);
    if ((classOf(cp) & mask) === 0) {
      break;
    }
    i += width(cp);
  }
  return i;
}

/** `[^\s\p{L}\p{N}]`: punctuation, symbols, marks and other non-space, non-alphanumeric code points. */
function isSymbol(c: number): boolean {
  return (c & (LETTER | NUMBER | SPACE)) === 0;
}

function runOfSymbols(s: string, i: number): number {
  const n = s.length;
  while (i < n) {
    const cp = codePointAt(s, i);
    if (!isSymbol(classOf(cp))) {
      break;
    }
    i += width(cp);
  }
  return i;
}

/** `(?:'(?:[sS]|[dD]|[mM]|[tT]|[lL][lL]|[vV][eE]|[rR][eE]))?` at `r`. */
function withContraction(s: string, r: number): number {
  if (s.charCodeAt(r) !== 0x27 || r + 1 >= s.length) {
    return r;
  }
  const a = s.charCodeAt(r + 1) | 0x20;
  if (a === 0x73 || a === 0x64 || a === 0x6d || a === 0x74) {
    return r + 2;
  }
  if (r + 2 < s.length) {
    const b = s.charCodeAt(r + 2) | 0x20;
    if ((a === 0x6c && b === 0x6c) || ((a === 0x76 || a === 0x72) && b === 0x65)) {
      return r + 3;
    }
  }
  return r;
}

/** `[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+` from `p` with the regex's backtracking; -1 if none. */
function upperThenLower(s: string, p: number): number {
  const q = runOf(s, p, UPPER);
  if (q < s.length && (classOf(codePointAt(s, q)) & LOWER) !== 0) {
    return runOf(s, q, LOWER);
  }
  // Give back UPPER code points one at a time until one of them can start the LOWER run
  // (Lm, Lo and marks are in both classes).
  for (let k = q; k > p;) {
    k = previousBoundary(s, k, p);
    if ((classOf(codePointAt(s, k)) & LOWER) !== 0) {
      return runOf(s, k, LOWER);
    }
  }
  return -1;
}

/**
 * End of the pre-token starting at `i`, exactly as the first match of the o200k_base split regex
 * (alternatives tried in order, greedy quantifiers with backtracking):
 *   1 `[^\r\n\p{L}\p{N}]?[UPPER]*[LOWER]+'contraction?`  2 `[^\r\n\p{L}\p{N}]?[UPPER]+[LOWER]*'contraction?`
 *   3 `\p{N}{1,3}`  4 ` ?[^\s\p{L}\p{N}]+[\r\n/]*`  5 `\s*[\r\n]+`  6 `\s+(?!\S)`  7 `\s+`
 * Returns -1 if no alternative matches, which the regex never allows; the caller then falls back
 * to {@link O200K_SPLIT} so a scanner bug can cost speed but never exactness.
 */
function pieceEnd(s: string, i: number): number {
  const n = s.length;
  const cp0 = codePointAt(s, i);
  const c0 = classOf(cp0);
  const afterPrefix = (c0 & (LETTER | NUMBER | NEWLINE)) === 0 ? i + width(cp0) : -1;

  if (afterPrefix >= 0) {
    const e = upperThenLower(s, afterPrefix);
    if (e >= 0) return withContraction(s, e);
  }
  let e = upperThenLower(s, i);
  if (e >= 0) return withContraction(s, e);

  if (afterPrefix >= 0) {
    const q = runOf(s, afterPrefix, UPPER);
    if (q > afterPrefix) return withContraction(s, runOf(s, q, LOWER));
  }
  e = runOf(s, i, UPPER);
  if (e > i) return withContraction(s, runOf(s, e, LOWER));

  if ((c0 & NUMBER) !== 0) {
    e = i;
    for (let taken = 0; taken < 3 && e < n; taken++) {
      const cp = codePointAt(s, e);
      if ((classOf(cp) & NUMBER) === 0) break;
      e += width(cp);
    }
    return e;
  }

  let symbolsFrom = -1;
  if (cp0 === 0x20 && i + 1 < n && isSymbol(classOf(codePointAt(s, i + 1)))) {
    symbolsFrom = i + 1;
  } else if (isSymbol(c0)) {
    symbolsFrom = i;
  }
  if (symbolsFrom >= 0) {
    e = runOfSymbols(s, symbolsFrom);
    while (e < n) {
      const c = s.charCodeAt(e);
      if (c !== 0x0a && c !== 0x0d && c !== 0x2f) break;
      e++;
    }
    return e;
  }

  if ((c0 & SPACE) === 0) return -1;
  // Every \s code point is in the BMP, so code units and code points coincide in this run.
  const q = runOf(s, i, SPACE);
  for (let k = q - 1; k >= i; k--) {
    const c = s.charCodeAt(k);
    if (c === 0x0a || c === 0x0d) return k + 1;
  }
  if (q === n) return q;
  return q - i >= 2 ? q - 1 : q;
}

/** Splits `text` into o200k_base pre-tokens (exported for the equivalence tests). */
export function preTokenize(text: string): string[] {
  const pieces: string[] = [];
  for (let i = 0; i < text.length;) {
    const e = pieceEnd(text, i);
    if (e <= i) {
      throw new Error(`pre-tokenizer made no progress at index ${i}`);
    }
    pieces.push(text.slice(i, e));
    i = e;
  }
  return pieces;
}

// Counts of short pieces, cached in typed arrays rather than a Map of strings: a string key is
// a slice of the message text (V8 keeps a long slice as a view that holds the whole message
// alive), so a Map cache promoted messages to the old generation, where they piled up as ~20 MB
// of garbage per worker thread between full GCs. Here a lookup allocates nothing. Direct-mapped,
// 32k slots of up to 48 UTF-16 code units (3 MB per thread): a slot is overwritten on collision,
// and a hit compares the characters, so a count is never another piece's.
const PIECE_CACHE_BITS = 15;
const PIECE_CACHE_MAX_LENGTH = 48;
const cachedChars = new Uint16Array((1 << PIECE_CACHE_BITS) * PIECE_CACHE_MAX_LENGTH);
const cachedLength = new Uint8Array(1 << PIECE_CACHE_BITS); // 0: empty slot
const cachedCount = new Uint8Array(1 << PIECE_CACHE_BITS); // a piece of ≤ 48 units has ≤ 192 tokens

function pieceSlot(s: string, start: number, end: number): number {
  let h = 0x811c9dc5;
  for (let i = start; i < end; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return (h ^ (h >>> 15)) & ((1 << PIECE_CACHE_BITS) - 1);
}

function pieceTokens(s: string, start: number, end: number): number {
  const length = end - start;
  if (length === 1 && s.charCodeAt(start) < 0x80) {
    // Each of the 256 byte values is a token of its own in o200k_base.
    return 1;
  }
  if (length > PIECE_CACHE_MAX_LENGTH) return countPieceTokens(s, start, end);
  const slot = pieceSlot(s, start, end);
  const at = slot * PIECE_CACHE_MAX_LENGTH;
  if (cachedLength[slot] === length) {
    let k = 0;
    while (k < length && cachedChars[at + k] === s.charCodeAt(start + k)) k++;
    if (k === length) return cachedCount[slot];
  }
  const count = countPieceTokens(s, start, end);
  for (let k = 0; k < length; k++) cachedChars[at + k] = s.charCodeAt(start + k);
  cachedLength[slot] = length;
  cachedCount[slot] = count;
  return count;
}

/** Number of o200k_base tokens in `text`, exact (identical to tiktoken's `encode_ordinary(text).length`). */
export function countTokens(text: string): number {
  let total = 0;
  for (let i = 0; i < text.length;) {
    const e = pieceEnd(text, i);
    if (e <= i) return countTokensReference(text);
    total += pieceTokens(text, i, e);
    i = e;
  }
  return total;
}

// System prompts and tool definitions repeat on most lines of a training file; counting each
// distinct text once saves re-scanning what is often half of the file's bytes.
const REPEATED_CACHE_LIMIT = 64;
const repeatedCache = new Map<string, number>();

/** {@link countTokens} for texts likely to recur (system prompts, tool definitions), cached. */
export function countRepeatedText(text: string): number {
  let count = repeatedCache.get(text);
  if (count === undefined) {
    count = countTokens(text);
    if (repeatedCache.size >= REPEATED_CACHE_LIMIT) {
      repeatedCache.clear();
    }
    repeatedCache.set(text, count);
  }
  return count;
}

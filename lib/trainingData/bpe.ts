/**
 * Byte-pair encoding of one pre-token with o200k_base's ranks, counting the tokens it becomes —
 * tiktoken's `byte_pair_merge` (https://github.com/openai/tiktoken src/lib.rs), with a heap so a
 * long piece costs O(n log n) instead of O(n²).
 *
 * Why not gpt-tokenizer's merge: on text without spaces (Chinese, Japanese, Thai) a pre-token is
 * a whole clause of hundreds of bytes, and its merge rescans and splices arrays after every
 * step and decodes each candidate pair to a string for the rank lookup: 70 % of the time on
 * Chinese. Its string-keyed rank table also lost the token for U+FEFF (TextDecoder drops a
 * leading byte-order mark), so "\ufeff" counted 2 instead of tiktoken's 1.
 *
 * The ranks come from the o200k_base.tiktoken file that gpt-tokenizer ships (the same file
 * tiktoken downloads; sha256 446a9538…), loaded into flat typed arrays: ~5 MB instead of the
 * ~75 MB of strings the library builds.
 */
import { readFileSync } from "node:fs";

/** The o200k_base ranks, as flat arrays. */
interface RankTable {
  /** Every token's bytes, back to back, in rank order. */
  readonly bytes: Uint8Array;
  /** Token r's bytes are bytes[offsets[r] .. offsets[r + 1]]. */
  readonly offsets: Uint32Array;
  /** Open-addressing hash set of ranks (stored + 1; 0 is empty), keyed by the token's bytes. */
  readonly slots: Int32Array;
  readonly mask: number;
  /** Longest token in bytes: longer candidates are not looked up. */
  readonly maxLength: number;
  /** Rank of each single byte. */
  readonly byteRank: Int32Array;
  /** Rank of each two-byte sequence (b0 << 8 | b1), or NONE. */
  readonly bytePairRank: Int32Array;
}

/** "No such token": above every rank, so it never wins a merge. */
const NONE = 0x7fffffff;

function hashBytes(b: Uint8Array, start: number, end: number): number {
  let h = 0x811c9dc5;
  for (let i = start; i < end; i++) h = Math.imul(h ^ b[i], 0x01000193);
  return (h ^ (h >>> 15)) >>> 0;
}

const BASE64 = new Int8Array(128).fill(-1);
"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
  .split("")
  .forEach((c, i) => (BASE64[c.charCodeAt(0)] = i));

/** Parses "<base64 token> <rank>" lines (the tiktoken file format) into a {@link RankTable}. */
export function parseRanks(file: Buffer): RankTable {
  // Decoded straight from the bytes: splitting the 3.6 MB file into 200k strings first costs
  // ~15 MB of peak memory in every worker thread.
  let count = 0;
  for (let i = file.indexOf(10); i !== -1; i = file.indexOf(10, i + 1)) count++;
  if (file.length > 0 && file[file.length - 1] !== 10) count++;
  const bytes = new Uint8Array(file.length); // decoded tokens are shorter than their lines
  const offsets = new Uint32Array(count + 1);
  let size = 1024;
  while (size < count * 2) size *= 2;
  const slots = new Int32Array(size);
  let at = 0;
  let rank = 0;
  let maxLength = 0;
  let buffer = 0;
  let bits = 0;
  let inRank = false;
  let rankValue = 0;
  const endLine = (): void => {
    if (rankValue !== rank) {
      throw new Error(
        `o200k_base ranks are not contiguous at ${rank}; is the .tiktoken file corrupt?`,
      );
    }
    offsets[rank + 1] = at;
    maxLength = Math.max(maxLength, at - offsets[rank]);
    rank++;
    offsets[rank] = at;
    inRank = false;
    rankValue = 0;
    buffer = 0;
    bits = 0;
  };
  for (let i = 0; i < file.length; i++) {
    const c = file[i];
    if (c === 10) {
      endLine();
    } else if (c === 32) {
      inRank = true;
    } else if (inRank) {
      rankValue = rankValue * 10 + (c - 48);
    } else if (c !== 61 /* "=" padding */) {
      buffer = ((buffer << 6) | BASE64[c]) & 0xffffff;
      bits += 6;
      if (bits >= 8) {
        bits -= 8;
        bytes[at++] = (buffer >> bits) & 0xff;
      }
    }
  }
  if (rank < count) endLine();
  const table = {
    bytes: bytes.slice(0, at),
    offsets,
    slots,
    mask: size - 1,
    maxLength,
    byteRank: new Int32Array(256).fill(NONE),
    bytePairRank: new Int32Array(65536).fill(NONE),
  };
  for (let rank = 0; rank < count; rank++) {
    const from = offsets[rank];
    const length = offsets[rank + 1] - from;
    let i = hashBytes(table.bytes, from, from + length) & table.mask;
    while (slots[i] !== 0) i = (i + 1) & table.mask;
    slots[i] = rank + 1;
    if (length === 1) table.byteRank[table.bytes[from]] = rank;
    if (length === 2) table.bytePairRank[(table.bytes[from] << 8) | table.bytes[from + 1]] = rank;
  }
  if (table.byteRank.includes(NONE)) {
    throw new Error("o200k_base lacks a token for some byte; is the .tiktoken file corrupt?");
  }
  return table;
}

let loaded: RankTable | undefined;

function ranks(): RankTable {
  loaded ??= parseRanks(readFileSync(require.resolve("gpt-tokenizer/data/o200k_base.tiktoken")));
  return loaded;
}

/** Rank of the token whose bytes are b[start..end], or NONE. */
function rankOf(t: RankTable, b: Uint8Array, start: number, end: number): number {
  const length = end - start;
  if (length > t.maxLength) return NONE;
  const { bytes, offsets, slots, mask } = t;
  for (let i = hashBytes(b, start, end) & mask; ; i = (i + 1) & mask) {
    const slot = slots[i];
    if (slot === 0) return NONE;
    const from = offsets[slot - 1];
    if (offsets[slot] - from !== length) continue;
    let k = 0;
    while (k < length && bytes[from + k] === b[start + k]) k++;
    if (k === length) return slot - 1;
  }
}

// Direct-mapped cache of merges: (left token, right token) → rank of their concatenation or
// NONE. A lookup is two integer compares instead of hashing bytes; 1.5 MB, overwritten on collision.
const PAIR_CACHE_BITS = 17;
const pairCache = new Int32Array(3 << PAIR_CACHE_BITS).fill(-1);

/** Rank of tokens `a` + `b` joined, whose bytes are b[start..end]. */
function mergedRank(
  t: RankTable,
  a: number,
  b: number,
  bytes: Uint8Array,
  start: number,
  end: number,
): number {
  const slot =
    ((Math.imul(a, 0x9e3779b1) ^ Math.imul(b, 0x85ebca77)) >>> (32 - PAIR_CACHE_BITS)) * 3;
  if (pairCache[slot] === a && pairCache[slot + 1] === b) return pairCache[slot + 2];
  const r = rankOf(t, bytes, start, end);
  pairCache[slot] = a;
  pairCache[slot + 1] = b;
  pairCache[slot + 2] = r;
  return r;
}

// Scratch space reused by every call (grown on demand): the piece's UTF-8 bytes, the end of the
// part starting at each byte (0 once merged away), the start of the part before it, and a binary
// min-heap of candidate merges keyed rank * 2^32 + start (lowest rank first, then leftmost,
// exactly the order tiktoken merges in).
let utf8 = new Uint8Array(1024);
let partEnd = new Int32Array(1024);
let partPrev = new Int32Array(1024);
let pairRank = new Int32Array(1024);
let partToken = new Int32Array(1024);
let heap = new Float64Array(1024);

/** Writes `s[start..end]` as UTF-8 into `utf8` (a lone surrogate becomes U+FFFD, as tiktoken does); returns the length. */
function encodeUtf8(s: string, start: number, end: number): number {
  if ((end - start) * 3 > utf8.length) utf8 = new Uint8Array((end - start) * 3 * 2);
  const out = utf8;
  let n = 0;
  for (let i = start; i < end; i++) {
    let c = s.charCodeAt(i);
    if (c < 0x80) {
      out[n++] = c;
      continue;
    }
    if (c < 0x800) {
      out[n++] = 0xc0 | (c >> 6);
      out[n++] = 0x80 | (c & 0x3f);
      continue;
    }
    if (c >= 0xd800 && c <= 0xdfff) {
      const d = i + 1 < end ? s.charCodeAt(i + 1) : 0;
      if (c <= 0xdbff && d >= 0xdc00 && d <= 0xdfff) {
        c = ((c - 0xd800) << 10) + (d - 0xdc00) + 0x10000;
        i++;
        out[n++] = 0xf0 | (c >> 18);
        out[n++] = 0x80 | ((c >> 12) & 0x3f);
        out[n++] = 0x80 | ((c >> 6) & 0x3f);
        out[n++] = 0x80 | (c & 0x3f);
        continue;
      }
      c = 0xfffd;
    }
    out[n++] = 0xe0 | (c >> 12);
    out[n++] = 0x80 | ((c >> 6) & 0x3f);
    out[n++] = 0x80 | (c & 0x3f);
  }
  return n;
}

function heapPush(size: number, key: number): number {
  if (size >= heap.length) {
    const grown = new Float64Array(heap.length * 2);
    grown.set(heap);
    heap = grown;
  }
  let i = size;
  while (i > 0) {
    const parent = (i - 1) >> 1;
    if (heap[parent] <= key) break;
    heap[i] = heap[parent];
    i = parent;
  }
  heap[i] = key;
  return size + 1;
}

function heapPop(size: number): number {
  const last = heap[--size];
  let i = 0;
  for (;;) {
    let child = 2 * i + 1;
    if (child >= size) break;
    if (child + 1 < size && heap[child + 1] < heap[child]) child++;
    if (heap[child] >= last) break;
    heap[i] = heap[child];
    i = child;
  }
  heap[i] = last;
  return size;
}

const SHIFT = 2 ** 32;

/** Number of o200k_base tokens the pre-token `s[start..end]` encodes to. */
export function countPieceTokens(s: string, start: number, end: number): number {
  const t = ranks();
  const n = encodeUtf8(s, start, end);
  if (n <= 1 || rankOf(t, utf8, 0, n) !== NONE) return n === 0 ? 0 : 1;
  if (n > partEnd.length) {
    partEnd = new Int32Array(n * 2);
    partPrev = new Int32Array(n * 2);
    pairRank = new Int32Array(n * 2);
    partToken = new Int32Array(n * 2);
  }
  // Parts start as single bytes; every byte is a token of its own. pairRank[p] is the rank of
  // part p joined with the part after it (NONE when they make no token).
  let size = 0;
  const { byteRank, bytePairRank } = t;
  for (let i = 0; i < n; i++) {
    partEnd[i] = i + 1;
    partPrev[i] = i - 1;
    partToken[i] = byteRank[utf8[i]];
    const r = i + 1 < n ? bytePairRank[(utf8[i] << 8) | utf8[i + 1]] : NONE;
    pairRank[i] = r;
    if (r !== NONE) size = heapPush(size, r * SHIFT + i);
  }
  let parts = n;
  while (size > 0) {
    const key = heap[0];
    size = heapPop(size);
    const left = key % SHIFT;
    // Stale entry: the part was merged away or its pair changed since it was queued. (The same
    // rank at the same start is the same byte string, so an equal rank is the same pair.)
    if (partEnd[left] === 0 || pairRank[left] !== (key - left) / SHIFT) continue;
    const mid = partEnd[left];
    const right = partEnd[mid];
    const merged = pairRank[left];
    partEnd[left] = right;
    partEnd[mid] = 0;
    partToken[left] = merged;
    parts--;
    let r = NONE;
    if (right < n) {
      partPrev[right] = left;
      r = mergedRank(t, merged, partToken[right], utf8, left, partEnd[right]);
      if (r !== NONE) size = heapPush(size, r * SHIFT + left);
    }
    pairRank[left] = r;
    const prev = partPrev[left];
    if (prev >= 0) {
      r = mergedRank(t, partToken[prev], merged, utf8, prev, right);
      pairRank[prev] = r;
      if (r !== NONE) size = heapPush(size, r * SHIFT + prev);
    }
  }
  return parts;
}

/**
 * Splits JSONL bytes into lines without decoding them first, so invalid UTF-8 can be reported
 * per line and a 512 MB file never sits in memory whole. Over 400 lines because a long line's
 * collector, digester and compactor work on the same pieces in one pass; they live with the
 * splitter that feeds them.
 */

import { isAscii } from "node:buffer";
import { createHash, hash } from "node:crypto";
import { LongLineScanner, whitespaceEnd } from "./longLines";

/**
 * What the splitter learnt about a line it pre-scanned (longer than `scanLineBytes`) and kept.
 * Such a line is handed over compacted (see {@link JsonCompactor}), so what needs its original
 * bytes comes from here.
 */
export interface ScannedLine {
  /** The pre-scan's UTF-8, byte-order-mark or JSON syntax error (positions in the original line). */
  readonly error: string | undefined;
  /** The error is invalid UTF-8. */
  readonly invalidUtf8: boolean;
  /** {@link lineDigest} of the original line. */
  readonly hashHi: number;
  readonly hashLo: number;
}

/**
 * Receives each line as `bytes[start..end]` (without "\n"), or, for a line refused unread, an
 * empty span and the reason. A span rather than a subarray: the reader makes no object per line,
 * which kept its young generation (and the process's peak RSS) growing on files of short lines.
 * A pre-scanned line comes compacted with its `scanned` facts, in a buffer of its own that the
 * splitter never touches again: the handler may keep it (parallel.ts hands it to a worker).
 */
export type LineHandler = (
  bytes: Buffer,
  start: number,
  end: number,
  refusal: string | undefined,
  scanned?: ScannedLine,
) => void;

/** Where the splitters stop buffering a line. */
export interface LineLimits {
  /** Lines longer than this are refused without being buffered. */
  readonly maxLineBytes: number;
  /** Lines longer than this are pre-scanned (longLines.ts) and refused unread when over `tokenLimit`. */
  readonly scanLineBytes: number;
  /** The largest per-example token limit of any model. */
  readonly tokenLimit: number;
}

const EMPTY = Buffer.alloc(0);
const CR = Buffer.from("\r");
/** Pieces of a line are compacted at most this many bytes at a time, so the store grows by what is kept. */
const SLICE_BYTES = 1024 * 1024;
const DIGEST = "sha256";

const digestPair = (d: Buffer): [number, number] => [d.readUInt32LE(0), d.readUInt32LE(4)];

/**
 * 64-bit content hash (two uint32) of a line without its byte-order mark and "\r", for
 * duplicate detection (lineAnalysis.ts), or of a system prompt.
 */
export function lineDigest(data: string | Buffer): [number, number] {
  // SHA-256 uses the CPU's SHA extensions: 1.8x faster than MD5 on ~1 KB lines on this machine.
  return digestPair(hash(DIGEST, data, "buffer"));
}

/**
 * {@link lineDigest} of a line fed in pieces, of the bytes lineAnalysis.ts hashes: without the
 * first line's byte-order mark and a final "\r" (which piece is the last is known only at the end).
 */
class LineDigester {
  private readonly hash = createHash(DIGEST);
  /** The first line's first bytes, until a byte-order mark is ruled in or out. */
  private head: number[] | undefined;
  private carriageReturn = false;

  constructor(first: boolean) {
    this.head = first ? [] : undefined;
  }

  update(piece: Uint8Array): void {
    if (this.head !== undefined) {
      const take = Math.min(3 - this.head.length, piece.length);
      this.head.push(...piece.subarray(0, take));
      piece = piece.subarray(take);
      if (this.head.length < 3) return;
      this.flushHead();
    }
    if (piece.length === 0) return;
    if (this.carriageReturn) this.hash.update(CR);
    this.carriageReturn = piece[piece.length - 1] === 0x0d;
    this.hash.update(this.carriageReturn ? piece.subarray(0, -1) : piece);
  }

  finish(): [number, number] {
    if (this.head !== undefined) this.flushHead();
    return digestPair(this.hash.digest());
  }

  private flushHead(): void {
    const head = Uint8Array.from(this.head!);
    this.head = undefined;
    if (head[0] !== 0xef || head[1] !== 0xbb || head[2] !== 0xbf) this.update(head);
  }
}

/** Index of the first `byte` in `bytes` from `start`, or the length if none. */
function indexOrEnd(bytes: Buffer, byte: number, start: number): number {
  const at = bytes.indexOf(byte, start);
  return at < 0 ? bytes.length : at;
}

/** Bytes of a shortened string's text that are kept (a data: URL keeps its media type). */
const STAND_IN_BYTES = 64;

/**
 * Drops JSON whitespace (space, tab, "\n", "\r") outside strings: JSON.parse gives the same
 * value without it (RFC 8259 section 2: whitespace is allowed only around structural
 * characters), so the rules, token counts and warnings do too. A line padded with 60 MB of
 * spaces, which the pre-scan cannot refuse, shrinks to its example.
 *
 * Strings marked with {@link shorten} (image URLs: rules.ts only checks that one is a non-empty
 * string) keep their first STAND_IN_BYTES bytes and lose the plain ASCII run after them, up to
 * the first quote, backslash or non-ASCII byte: they stay non-empty strings, and no escape or
 * UTF-8 sequence is cut. A vision example with four 10 MB images (56 MB of data: URLs) shrinks
 * to a few hundred bytes.
 *
 * Values marked with {@link drop} (those of top-level keys, or keys of `input`, that rules.ts
 * never reads, such as metadata) become `0`: the key stays, so the format, the unknown-key warning and every other
 * result are the same.
 *
 * On invalid JSON the result is meaningless, but then the pre-scan has the error and the
 * compacted bytes are not parsed.
 */
export class JsonCompactor {
  private inString = false;
  private escaped = false;
  /** Bytes of the line consumed so far. */
  private offset = 0;
  /** Offsets where the text of strings to shorten starts, ascending (from the pre-scan). */
  private readonly shortened: number[] = [];
  private next = 0;
  /** In a string being shortened: its bytes so far (-1 when not shortening). */
  private standIn = -1;
  /** Start and end offsets of the values to drop, alternating (an end may come later). */
  private readonly dropped: number[] = [];
  /** Index in `dropped` of the next value's start. */
  private nextDrop = 0;
  /** In a value being dropped. */
  private dropping = false;

  /** Marks the string whose text starts at byte `offset` of the line (not yet compacted) for shortening. */
  shorten(offset: number): void {
    this.shortened.push(offset);
  }

  /**
   * Marks where a value to drop starts, then where it ends (byte offsets of the line, not yet
   * compacted; calls alternate, in order). Its end may be marked after bytes up to it were compacted.
   */
  drop(offset: number): void {
    this.dropped.push(offset);
  }

  /**
   * Writes `source` compacted to `target` from `at`; returns the end. `target` may be
   * `source`'s own memory when `at` is at or before it (writing never passes reading).
   */
  compact(source: Buffer, target: Buffer, at: number): number {
    let inString = this.inString;
    let escaped = this.escaped;
    let standIn = this.standIn;
    let backslash = -1; // the next backslash at or after i, once looked for
    let i = this.dropping ? this.skipDropped(source, 0) : 0;
    for (; i < source.length; i++) {
      if (this.offset + i >= (this.dropped[this.nextDrop] ?? Infinity)) {
        // A valid line has no string open here: the value starts after a key's colon.
        target[at++] = 0x30; // "0"
        this.dropping = true;
        i = this.skipDropped(source, i + 1) - 1;
        [inString, escaped, standIn, backslash] = [false, false, -1, -1];
        continue;
      }
      // Runs at once (memchr, memcmp, memmove): whitespace outside strings, and a string's text
      // up to its next quote or backslash, dropped (if plain ASCII: a control byte there makes
      // the JSON invalid anyway) or copied.
      let end = i;
      if (!inString) end = whitespaceEnd(source, i);
      else if (!escaped && (standIn < 0 || standIn >= STAND_IN_BYTES)) {
        if (backslash < i) backslash = indexOrEnd(source, 0x5c, i);
        end = Math.min(indexOrEnd(source, 0x22, i), backslash);
        if (standIn < 0)
          at += source.copy(target, at, i, end); // memmove: safe in place
        else if (!isAscii(source.subarray(i, end))) end = i; // byte by byte, below
      }
      if (end > i) {
        i = end - 1;
        continue;
      }
      const b = source[i];
      if (inString) {
        if (escaped) escaped = false;
        else if (b === 0x5c) escaped = true;
        else if (b === 0x22) inString = false;
        // The string's end, an escape or any byte that cannot go ends the shortening.
        standIn =
          standIn >= 0 && standIn < STAND_IN_BYTES && inString && !escaped ? standIn + 1 : -1;
      } else if (b === 0x22) {
        inString = true;
        standIn = this.startsShortened(this.offset + i + 1) ? 0 : -1;
      }
      target[at++] = b;
    }
    this.offset += source.length;
    this.inString = inString;
    this.escaped = escaped;
    this.standIn = standIn;
    return at;
  }

  /**
   * Where the value being dropped ends in `source` (its length if later), at least `min` (a
   * value has a byte; the bound only keeps invalid JSON, whose result is not parsed, in place).
   */
  private skipDropped(source: Buffer, min: number): number {
    const end = (this.dropped[this.nextDrop + 1] ?? Infinity) - this.offset;
    if (end > source.length) return source.length;
    this.dropping = false;
    this.nextDrop += 2;
    return Math.max(end, min);
  }

  private startsShortened(offset: number): boolean {
    while (this.next < this.shortened.length && this.shortened[this.next] < offset) this.next++;
    return this.shortened[this.next] === offset;
  }
}

/** Reason for a line over `maxLineBytes`. */
export function tooLongReason(maxLineBytes: number): string {
  return `is longer than ${maxLineBytes / 1024 / 1024} MB; no example can fit the token limit at that size, so split or shorten it`;
}

/** Memory for lines that span chunks, reused from line to line (see LineCollector). */
interface LineStore {
  buffer: Buffer;
}

/** What a line keeps once its pre-scan has started. */
interface Scan {
  readonly scanner: LongLineScanner;
  readonly compactor: JsonCompactor;
  readonly digester: LineDigester;
}

/**
 * One line that spans chunks: its bytes, copied into the splitter's reused store (the reader
 * reuses chunks, and per-line copies of long lines became garbage that stayed in RSS), and the
 * pre-scan once the line is long. From then on the store keeps the line compacted and its digest
 * is computed on the way; the store is handed over with the line. A line whose pre-scan crossed
 * the token limit stops being kept.
 */
class LineCollector {
  private bytes = 0;
  private stored = 0;
  private kept = true;
  private scan: Scan | undefined;
  private tooLong = false;

  constructor(
    private readonly limits: LineLimits,
    private readonly first: boolean,
    private readonly store: LineStore,
  ) {}

  add(piece: Buffer): void {
    for (let at = 0; at < piece.length; at += SLICE_BYTES) {
      this.addSlice(piece.subarray(at, at + SLICE_BYTES));
    }
  }

  private addSlice(piece: Buffer): void {
    if (this.tooLong) return;
    this.bytes += piece.length;
    if (this.bytes > this.limits.maxLineBytes) {
      // Stop buffering an endless line; it is reported once its "\n" (or the end) arrives.
      this.tooLong = true;
      this.scan = undefined;
      return;
    }
    if (this.scan === undefined && this.bytes > this.limits.scanLineBytes) this.startScan();
    const scan = this.scan;
    if (scan !== undefined) this.scanPiece(scan, piece);
    if (scan?.scanner.crossed) this.kept = false;
    if (!this.kept) return;
    scan?.digester.update(piece);
    this.reserve(this.stored + piece.length);
    this.stored =
      scan === undefined
        ? this.stored + piece.copy(this.store.buffer, this.stored)
        : scan.compactor.compact(piece, this.store.buffer, this.stored);
  }

  /** Scans, hashes and compacts (in place) what the store holds so far. */
  private startScan(): void {
    const scan = {
      scanner: new LongLineScanner(this.limits.tokenLimit, this.first),
      compactor: new JsonCompactor(),
      digester: new LineDigester(this.first),
    };
    const head = this.store.buffer.subarray(0, this.stored);
    this.scanPiece(scan, head);
    scan.digester.update(head);
    this.stored = scan.compactor.compact(head, this.store.buffer, 0);
    this.scan = scan;
  }

  private scanPiece({ scanner, compactor }: Scan, piece: Buffer): void {
    scanner.push(piece);
    for (const offset of scanner.imageUrls) compactor.shorten(offset);
    scanner.imageUrls.length = 0;
    for (const offset of scanner.unreadValues) compactor.drop(offset);
    scanner.unreadValues.length = 0;
  }

  /** Grows the store to hold `size` bytes: doubling, but never past the longest line kept. */
  private reserve(size: number): void {
    const store = this.store;
    if (size <= store.buffer.length) return;
    const capacity = Math.max(size, Math.min(store.buffer.length * 2, this.limits.maxLineBytes));
    const grown = Buffer.allocUnsafeSlow(capacity);
    store.buffer.copy(grown, 0, 0, this.stored);
    store.buffer = grown;
  }

  /** Calls `onLine` with the finished line. */
  end(onLine: LineHandler): void {
    const verdict = this.scan?.scanner.finish();
    if (this.tooLong) onLine(EMPTY, 0, 0, tooLongReason(this.limits.maxLineBytes));
    else if (!this.kept) onLine(EMPTY, 0, 0, this.scan!.scanner.refusal(verdict!));
    else if (this.scan === undefined) onLine(this.store.buffer, 0, this.stored, undefined);
    else {
      const [hashHi, hashLo] = this.scan.digester.finish();
      const line = this.store.buffer;
      this.store.buffer = EMPTY; // handed over with the line
      const { error, invalidUtf8 } = verdict!;
      onLine(line, 0, this.stored, undefined, { error, invalidUtf8, hashHi, hashLo });
    }
    // Keep the store for the next line unless a long line (refused after all) grew it past the scan size.
    if (this.store.buffer.length > 2 * this.limits.scanLineBytes) this.store.buffer = EMPTY;
  }
}

/**
 * Splits a byte stream on "\n" and calls `onLine` for every line; a final line without "\n"
 * counts too. A chunk may be reused by the stream once the next one is asked for: `onLine` must
 * be done with (or copy) the bytes it is given before it returns.
 */
export async function forEachStreamLine(
  chunks: AsyncIterable<Buffer>,
  limits: LineLimits,
  onLine: LineHandler,
): Promise<void> {
  let line: LineCollector | undefined;
  let first = true;
  const store = { buffer: EMPTY };
  for await (const chunk of chunks) {
    let start = 0;
    for (let nl = chunk.indexOf(10, start); nl !== -1; nl = chunk.indexOf(10, start)) {
      if (line === undefined && nl - start <= Math.min(limits.scanLineBytes, limits.maxLineBytes)) {
        onLine(chunk, start, nl, undefined); // the common case: no copy
      } else {
        line ??= new LineCollector(limits, first, store);
        line.add(chunk.subarray(start, nl));
        line.end(onLine);
        line = undefined;
      }
      first = false;
      start = nl + 1;
    }
    if (start < chunk.length) {
      line ??= new LineCollector(limits, first, store);
      line.add(chunk.subarray(start));
    }
  }
  line?.end(onLine);
}

/** {@link forEachStreamLine} for content already in memory. */
export function forEachBufferLine(content: Buffer, limits: LineLimits, onLine: LineHandler): void {
  let start = 0;
  let first = true;
  while (start < content.length) {
    let nl = content.indexOf(10, start);
    if (nl === -1) nl = content.length;
    if (nl - start <= Math.min(limits.scanLineBytes, limits.maxLineBytes)) {
      onLine(content, start, nl, undefined);
    } else {
      const line = new LineCollector(limits, first, { buffer: EMPTY });
      line.add(content.subarray(start, nl));
      line.end(onLine);
    }
    first = false;
    start = nl + 1;
  }
}

/** Byte offset of the first invalid UTF-8 sequence in `bytes`, or -1 if it is all valid. */
export function firstInvalidUtf8(bytes: Buffer): number {
  for (let i = 0; i < bytes.length;) {
    const b = bytes[i];
    let need: number;
    let min: number;
    if (b < 0x80) {
      i++;
      continue;
    } else if (b >= 0xc2 && b <= 0xdf) {
      need = 1;
      min = 0x80;
    } else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      min = 0x800;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      min = 0x10000;
    } else {
      return i;
    }
    let cp = b & (0x3f >> need);
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (c & 0x3f);
    }
    // Overlong forms, UTF-16 surrogates and code points past U+10FFFF are invalid UTF-8 too.
    if (cp < min || (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff) return i;
    i += need + 1;
  }
  return -1;
}

/**
 * Splits JSONL bytes into lines without decoding them first, so invalid UTF-8 can be reported
 * per line and a 512 MB file never sits in memory whole.
 */

import { LongLineScanner } from "./longLines";

/**
 * Receives each line as `bytes[start..end]` (without "\n"), or, for a line refused unread, an
 * empty span and the reason. A span rather than a subarray: the reader makes no object per line,
 * which kept its young generation (and the process's peak RSS) growing on files of short lines.
 */
export type LineHandler = (
  bytes: Buffer,
  start: number,
  end: number,
  refusal: string | undefined,
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

/** Reason for a line over `maxLineBytes`. */
export function tooLongReason(maxLineBytes: number): string {
  return `is longer than ${maxLineBytes / 1024 / 1024} MB; no example can fit the token limit at that size, so split or shorten it`;
}

/** Memory for lines that span chunks, reused from line to line (see LineCollector). */
interface LineStore {
  buffer: Buffer;
}

/**
 * One line that spans chunks: its bytes, copied into the splitter's reused store (the reader
 * reuses chunks, and per-line copies of long lines became garbage that stayed in RSS), and the
 * pre-scan once the line is long. A line whose pre-scan crossed the token limit stops being kept.
 */
class LineCollector {
  private bytes = 0;
  private kept = true;
  private scanner: LongLineScanner | undefined;
  private tooLong = false;

  constructor(
    private readonly limits: LineLimits,
    private readonly first: boolean,
    private readonly store: LineStore,
  ) {}

  add(piece: Buffer): void {
    if (this.tooLong) return;
    const at = this.bytes;
    this.bytes += piece.length;
    if (this.bytes > this.limits.maxLineBytes) {
      // Stop buffering an endless line; it is reported once its "\n" (or the end) arrives.
      this.tooLong = true;
      this.scanner = undefined;
      return;
    }
    if (this.scanner === undefined && this.bytes > this.limits.scanLineBytes) {
      this.scanner = new LongLineScanner(this.limits.tokenLimit, this.first);
      this.scanner.push(this.store.buffer.subarray(0, at));
    }
    this.scanner?.push(piece);
    if (this.scanner?.crossed) this.kept = false;
    if (this.kept) this.keep(piece, at);
  }

  private keep(piece: Buffer, at: number): void {
    const store = this.store;
    if (this.bytes > store.buffer.length) {
      const grown = Buffer.allocUnsafeSlow(Math.max(this.bytes, store.buffer.length * 2));
      store.buffer.copy(grown, 0, 0, at);
      store.buffer = grown;
    }
    piece.copy(store.buffer, at);
  }

  /** Calls `onLine` with the finished line. */
  end(onLine: LineHandler): void {
    const verdict = this.scanner?.finish();
    if (this.tooLong) onLine(EMPTY, 0, 0, tooLongReason(this.limits.maxLineBytes));
    else if (!this.kept) onLine(EMPTY, 0, 0, this.scanner!.refusal(verdict!));
    else onLine(this.store.buffer, 0, this.bytes, undefined);
    // Keep the store for the next long line unless a line kept whole grew it past the scan size.
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

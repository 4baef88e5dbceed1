/**
 * Splits JSONL bytes into lines without decoding them first, so invalid UTF-8 can be reported
 * per line and a 512 MB file never sits in memory whole.
 */

/** Receives each line's bytes (without "\n"); `tooLong` is set, and `bytes` empty, for a line over the limit. */
export type LineHandler = (bytes: Buffer, tooLong: boolean) => void;

const EMPTY = Buffer.alloc(0);

/** Splits a byte stream on "\n" and calls `onLine` for every line; a final line without "\n" counts too. */
export async function forEachStreamLine(
  chunks: AsyncIterable<Buffer>,
  maxLineBytes: number,
  onLine: LineHandler,
): Promise<void> {
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let tooLong = false;
  for await (const chunk of chunks) {
    let start = 0;
    for (let nl = chunk.indexOf(10, start); nl !== -1; nl = chunk.indexOf(10, start)) {
      if (tooLong || pendingBytes + nl - start > maxLineBytes) {
        onLine(EMPTY, true);
      } else if (pending.length === 0) {
        onLine(chunk.subarray(start, nl), false);
      } else {
        pending.push(chunk.subarray(start, nl));
        onLine(Buffer.concat(pending, pendingBytes + nl - start), false);
      }
      pending = [];
      pendingBytes = 0;
      tooLong = false;
      start = nl + 1;
    }
    if (start < chunk.length && !tooLong) {
      pendingBytes += chunk.length - start;
      if (pendingBytes > maxLineBytes) {
        // Stop buffering an endless line; it is reported once its "\n" (or the end) arrives.
        tooLong = true;
        pending = [];
      } else {
        pending.push(chunk.subarray(start));
      }
    }
  }
  if (tooLong) {
    onLine(EMPTY, true);
  } else if (pendingBytes > 0) {
    onLine(pending.length === 1 ? pending[0] : Buffer.concat(pending, pendingBytes), false);
  }
}

/** {@link forEachStreamLine} for content already in memory. */
export function forEachBufferLine(
  content: Buffer,
  maxLineBytes: number,
  onLine: LineHandler,
): void {
  let start = 0;
  while (start < content.length) {
    let nl = content.indexOf(10, start);
    if (nl === -1) nl = content.length;
    if (nl - start > maxLineBytes) {
      onLine(EMPTY, true);
    } else {
      onLine(content.subarray(start, nl), false);
    }
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

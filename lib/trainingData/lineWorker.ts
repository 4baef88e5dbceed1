/**
 * Worker-thread entry (started by parallel.ts): analyses batches of lines and posts the packed
 * results back. A batch is the lines' bytes back to back plus each line's length (-1 for a line
 * over MAX_LINE_BYTES, which was not buffered).
 */
import { parentPort } from "node:worker_threads";
import { analyzeBytes, LineResult, packResults } from "./lineAnalysis";

/** A batch of lines sent to a worker. */
export interface LineBatch {
  readonly seq: number;
  /** The batch starts at the file's first line (which may carry a byte-order mark). */
  readonly first: boolean;
  readonly data: Uint8Array;
  readonly lengths: Int32Array;
}

/** Analyses every line of a batch, in order. */
export function analyzeBatch(batch: LineBatch): LineResult[] {
  const data = Buffer.from(batch.data.buffer, batch.data.byteOffset, batch.data.byteLength);
  const results: LineResult[] = [];
  let at = 0;
  batch.lengths.forEach((length, i) => {
    const tooLong = length < 0;
    const bytes = tooLong ? data.subarray(0, 0) : data.subarray(at, at + length);
    results.push(analyzeBytes(bytes, tooLong, batch.first && i === 0));
    if (!tooLong) at += length;
  });
  return results;
}

parentPort?.on("message", (batch: LineBatch) => {
  try {
    const packed = packResults(analyzeBatch(batch));
    parentPort!.postMessage({ seq: batch.seq, packed }, [packed.numbers.buffer as ArrayBuffer]);
  } catch (e) {
    parentPort!.postMessage({ seq: batch.seq, error: e instanceof Error ? e.stack : String(e) });
  }
});

/**
 * Worker-thread entry (started by parallel.ts): analyses batches of lines and posts the packed
 * results back. A batch is the lines' bytes back to back plus each line's length (-1 for a line
 * refused unread, whose reason is in `refusals`), and what the splitter learnt of its pre-scanned
 * lines (lines.ts ScannedLine).
 */
import { parentPort } from "node:worker_threads";
import { analyzeBytes, LineResult, packResults } from "./lineAnalysis";
import type { ScannedLine } from "./lines";

/** A batch of lines sent to a worker. */
export interface LineBatch {
  readonly seq: number;
  /** The batch starts at the file's first line (which may carry a byte-order mark). */
  readonly first: boolean;
  readonly data: Uint8Array;
  readonly lengths: Int32Array;
  /** Reasons for the lines refused unread, in order. */
  readonly refusals: string[];
  /** Index in the batch and scan facts of each pre-scanned (compacted) line, in order. */
  readonly scanned: [number, ScannedLine][];
}

/** Analyses every line of a batch, in order. */
export function analyzeBatch(batch: LineBatch): LineResult[] {
  const data = Buffer.from(batch.data.buffer, batch.data.byteOffset, batch.data.byteLength);
  const results: LineResult[] = [];
  let at = 0;
  let refused = 0;
  let next = 0;
  batch.lengths.forEach((length, i) => {
    const refusal = length < 0 ? batch.refusals[refused++] : undefined;
    const bytes = length < 0 ? data.subarray(0, 0) : data.subarray(at, at + length);
    const scanned = batch.scanned[next]?.[0] === i ? batch.scanned[next++][1] : undefined;
    results.push(analyzeBytes(bytes, refusal, batch.first && i === 0, scanned));
    if (length > 0) at += length;
  });
  return results;
}

parentPort?.on("message", (batch: LineBatch) => {
  try {
    const packed = packResults(analyzeBatch(batch));
    // The batch's buffers go back to the reader for its next batches (see parallel.ts).
    const returned = { data: batch.data, lengths: batch.lengths };
    parentPort!.postMessage({ seq: batch.seq, packed, returned }, [
      packed.numbers.buffer,
      batch.data.buffer,
      batch.lengths.buffer,
    ] as ArrayBuffer[]);
  } catch (e) {
    parentPort!.postMessage({ seq: batch.seq, error: e instanceof Error ? e.stack : String(e) });
  }
});

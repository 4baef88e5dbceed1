/**
 * Analyses a stream of JSONL lines on worker threads and hands the results back in file order.
 *
 * The reader (this thread) cuts the stream into batches of about BATCH_BYTES of whole lines and
 * keeps at most IN_FLIGHT_PER_WORKER batches per worker queued, so memory stays flat whatever
 * the file's size; workers analyse lines (lineAnalysis.ts) and post packed results, which are
 * released in batch order so the report (and its `file:line` errors) reads as if one thread had
 * done it all.
 */
import { availableParallelism } from "node:os";
import { extname, join } from "node:path";
import { Worker } from "node:worker_threads";
import { envNumber } from "../env";
import { forEachPackedResult, LineResult, PackedResults, unpackResults } from "./lineAnalysis";
import type { LineBatch } from "./lineWorker";
import { forEachStreamLine, LineLimits, ScannedLine } from "./lines";

const BATCH_BYTES = 1024 * 1024;
const IN_FLIGHT_PER_WORKER = 2;

/**
 * Worker threads to use: `AOIFT_VALIDATE_THREADS` when set (0 validates on the calling thread),
 * else one per core up to 2: each worker holds its own rank tables and caches (~45 MB), and the
 * validator promises a peak RSS of at most 256 MB.
 */
export function validationThreads(): number {
  return Math.floor(
    envNumber("AOIFT_VALIDATE_THREADS", Math.min(availableParallelism(), 2), "zero"),
  );
}

let transpiled: Record<string, string> | undefined;

/**
 * JavaScript for lineWorker.ts and every project module it imports, when this code runs as
 * TypeScript (under ts-node or scripts/launch.js). A worker does not inherit the parent's `.ts`
 * hook, and loading ts-node into each worker costs ~140 MB and seconds; the files come from
 * lib/transpile.js's cache, so after the first run no thread loads the compiler for them.
 */
function transpileWorkerSources(entry: string): Record<string, string> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { transpileTree } = require("../transpile") as {
    transpileTree(entry: string): Record<string, string>;
  };
  return transpileTree(entry);
}

// Runs in the worker: serves the transpiled sources for `.ts` requires, then loads the entry.
const BOOTSTRAP = `
const Module = require("node:module");
const { workerData } = require("node:worker_threads");
Module._extensions[".ts"] = (m, filename) => m._compile(workerData.sources[filename], filename);
require(workerData.entry);
`;

function startWorker(): Worker {
  const entry = join(__dirname, `lineWorker${extname(__filename)}`);
  // No inherited `-r ts-node/register`: it would load TypeScript into every worker (~140 MB).
  const execArgv: string[] = [];
  // A small young generation keeps each worker's garbage (decoded lines, parsed JSON) from
  // growing to V8's default semi-spaces: 30 MB less peak RSS per worker, no measurable slowdown.
  const resourceLimits = { maxYoungGenerationSizeMb: 4 };
  if (extname(__filename) !== ".ts") return new Worker(entry, { execArgv, resourceLimits });
  transpiled ??= transpileWorkerSources(entry);
  return new Worker(BOOTSTRAP, {
    eval: true,
    workerData: { sources: transpiled, entry },
    execArgv,
    resourceLimits,
  });
}

interface Reply {
  seq: number;
  packed?: PackedResults;
  /** The batch's buffers, handed back for reuse. */
  returned?: Pick<LineBatch, "data" | "lengths">;
  error?: string;
}

/**
 * Collects lines into the next batch: their bytes back to back and their lengths. Buffers come
 * back from the workers and are reused, so reading a file allocates a handful of batches in all;
 * a fresh 1 MB buffer per batch, freed on another thread, left ~30 MB of malloc arenas in RSS.
 * A pre-scanned line longer than a batch travels in its own buffer (lines.ts hands it over)
 * rather than as a copy: at 64 MB, the copy was a third copy of the line in memory.
 */
class BatchWriter {
  private readonly freeData: ArrayBuffer[] = [];
  private readonly freeLengths: ArrayBuffer[] = [];
  private data = new Uint8Array(0);
  private lengths = new Int32Array(0);
  private used = 0;
  private refusals: string[] = [];
  private scanned: [number, ScannedLine][] = [];
  count = 0;

  /** Whether a line of `length` bytes fits the current batch (an empty batch takes any line). */
  fits(length: number): boolean {
    return this.count === 0 || this.used + length <= this.data.length;
  }

  add(
    bytes: Buffer,
    start: number,
    end: number,
    refusal: string | undefined,
    scanned: ScannedLine | undefined,
  ): void {
    const adopt = scanned !== undefined && this.count === 0 && end - start > BATCH_BYTES;
    if (this.count === 0) {
      const adopted = adopt
        ? new Uint8Array(bytes.buffer as ArrayBuffer, bytes.byteOffset + start, end - start)
        : undefined;
      this.open(end - start, adopted);
    }
    if (this.count === this.lengths.length) {
      const grown = new Int32Array(this.lengths.length * 2);
      grown.set(this.lengths);
      this.lengths = grown;
    }
    if (refusal !== undefined) {
      this.lengths[this.count++] = -1;
      this.refusals.push(refusal);
      return;
    }
    if (scanned !== undefined) this.scanned.push([this.count, scanned]);
    if (!adopt) bytes.copy(this.data, this.used, start, end);
    this.used += end - start;
    this.lengths[this.count++] = end - start;
  }

  /** Hands out the batch (to be transferred whole) and starts an empty one. */
  take(seq: number, first: boolean): LineBatch {
    const batch = {
      seq,
      first,
      data: this.data.subarray(0, this.used),
      lengths: this.lengths.subarray(0, this.count),
      refusals: this.refusals,
      scanned: this.scanned,
    };
    this.count = 0;
    this.used = 0;
    this.refusals = [];
    this.scanned = [];
    return batch;
  }

  /** Takes back a batch's buffers from a worker. */
  recycle({ data, lengths }: Pick<LineBatch, "data" | "lengths">): void {
    // A buffer grown for (or handed over with) one long line is left to the GC.
    if (data.buffer.byteLength === BATCH_BYTES) this.freeData.push(data.buffer as ArrayBuffer);
    this.freeLengths.push(lengths.buffer as ArrayBuffer);
  }

  /** Starts a batch in a reused buffer, or in `adopted` (a long line's own bytes). */
  private open(firstLength: number, adopted: Uint8Array<ArrayBuffer> | undefined): void {
    this.lengths = new Int32Array(this.freeLengths.pop() ?? new ArrayBuffer(4096));
    if (adopted !== undefined) {
      this.data = adopted;
      return;
    }
    const data = firstLength <= BATCH_BYTES ? this.freeData.pop() : undefined;
    this.data = new Uint8Array(data ?? new ArrayBuffer(Math.max(BATCH_BYTES, firstLength)));
  }
}

/**
 * Reads `chunks` (a file's bytes), analyses every line on `threads` workers and calls `onResult`
 * for each line in file order, with a new result object per line. Rejects if a worker fails.
 */
export function analyzeStream(
  chunks: AsyncIterable<Buffer>,
  threads: number,
  limits: LineLimits,
  onResult: (r: LineResult) => void,
): Promise<void> {
  return analyzeStreamPacked(chunks, threads, limits, (packed) => unpackResults(packed, onResult));
}

/**
 * Like {@link analyzeStream}, but `onResult` gets one reused result object (see
 * forEachPackedResult) and must not keep it: the validator's path, which allocates nothing per line.
 */
export function analyzeStreamReused(
  chunks: AsyncIterable<Buffer>,
  threads: number,
  limits: LineLimits,
  onResult: (r: LineResult) => void,
): Promise<void> {
  return analyzeStreamPacked(chunks, threads, limits, (packed) =>
    forEachPackedResult(packed, onResult),
  );
}

async function analyzeStreamPacked(
  chunks: AsyncIterable<Buffer>,
  threads: number,
  limits: LineLimits,
  onBatch: (packed: PackedResults) => void,
): Promise<void> {
  const workers = Array.from({ length: threads }, startWorker);
  const inFlight = new Array<number>(threads).fill(0);
  const done = new Map<number, PackedResults>();
  let sent = 0;
  let delivered = 0;
  let failure: Error | undefined;
  let wake: (() => void) | undefined;
  const onReply = (w: number, reply: Reply): void => {
    inFlight[w]--;
    if (reply.error !== undefined)
      failure ??= new Error(`validation worker failed: ${reply.error}`);
    else done.set(reply.seq, reply.packed!);
    if (reply.returned !== undefined) batches.recycle(reply.returned);
    for (let next = done.get(delivered); next !== undefined; next = done.get(delivered)) {
      done.delete(delivered++);
      onBatch(next);
    }
    wake?.();
  };
  workers.forEach((worker, w) => {
    worker.on("message", (reply: Reply) => onReply(w, reply));
    worker.on("error", (e) => {
      failure ??= e;
      wake?.();
    });
  });
  const waitUntil = async (ready: () => boolean): Promise<void> => {
    while (!ready() && failure === undefined) await new Promise<void>((r) => (wake = r));
    if (failure !== undefined) throw failure;
  };

  const batches = new BatchWriter();
  const flush = (): void => {
    if (batches.count === 0) return;
    let w = 0;
    for (let i = 1; i < threads; i++) if (inFlight[i] < inFlight[w]) w = i;
    const batch = batches.take(sent, sent === 0);
    inFlight[w]++;
    sent++;
    workers[w].postMessage(batch, [batch.data.buffer, batch.lengths.buffer] as ArrayBuffer[]);
  };
  const addLine = (
    bytes: Buffer,
    start: number,
    end: number,
    refusal: string | undefined,
    scanned?: ScannedLine,
  ): void => {
    if (!batches.fits(end - start)) flush();
    batches.add(bytes, start, end, refusal, scanned);
  };
  async function* throttled(): AsyncIterable<Buffer> {
    for await (const chunk of chunks) {
      yield chunk;
      await waitUntil(() => sent - delivered < threads * IN_FLIGHT_PER_WORKER);
    }
  }
  try {
    await forEachStreamLine(throttled(), limits, addLine);
    flush();
    await waitUntil(() => delivered === sent);
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

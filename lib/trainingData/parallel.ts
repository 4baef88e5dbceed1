/**
 * Analyses a stream of JSONL lines on worker threads and hands the results back in file order.
 *
 * The reader (this thread) cuts the stream into batches of about BATCH_BYTES of whole lines and
 * keeps at most IN_FLIGHT_PER_WORKER batches per worker queued, so memory stays flat whatever
 * the file's size; workers analyse lines (lineAnalysis.ts) and post packed results, which are
 * released in batch order so the report (and its `file:line` errors) reads as if one thread had
 * done it all.
 */
import { readFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { dirname, extname, join, resolve } from "node:path";
import { Worker } from "node:worker_threads";
import { envNumber } from "../env";
import { forEachPackedResult, LineResult, PackedResults, unpackResults } from "./lineAnalysis";
import type { LineBatch } from "./lineWorker";
import { forEachStreamLine, LineLimits } from "./lines";

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
 * TypeScript (ts-node, as `pulumi` and the npm scripts run it). A worker does not inherit the
 * parent's ts-node hook, and loading ts-node into each worker costs ~140 MB and seconds; the
 * parent already has TypeScript loaded, so it transpiles the handful of files once.
 */
function transpileWorkerSources(entry: string): Record<string, string> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const ts = require("typescript") as typeof import("typescript");
  const sources: Record<string, string> = {};
  const visit = (file: string): void => {
    if (sources[file] !== undefined) return;
    sources[file] = ts.transpileModule(readFileSync(file, "utf8"), {
      compilerOptions: {
        module: ts.ModuleKind.CommonJS,
        target: ts.ScriptTarget.ES2022,
        esModuleInterop: true,
      },
      fileName: file,
    }).outputText;
    for (const m of sources[file].matchAll(/require\("(\.{1,2}\/[^"]+)"\)/g)) {
      visit(`${resolve(dirname(file), m[1])}.ts`);
    }
  };
  visit(entry);
  return sources;
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
  error?: string;
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

  let data = Buffer.allocUnsafeSlow(BATCH_BYTES);
  let used = 0;
  let lengths: number[] = [];
  let refusals: string[] = [];
  const flush = (): void => {
    if (lengths.length === 0) return;
    let w = 0;
    for (let i = 1; i < threads; i++) if (inFlight[i] < inFlight[w]) w = i;
    const batch: LineBatch = {
      seq: sent,
      first: sent === 0,
      data: new Uint8Array(data.buffer, 0, used),
      lengths: Int32Array.from(lengths),
      refusals,
    };
    inFlight[w]++;
    sent++;
    workers[w].postMessage(batch, [data.buffer, batch.lengths.buffer as ArrayBuffer]);
    data = Buffer.allocUnsafeSlow(BATCH_BYTES);
    used = 0;
    lengths = [];
    refusals = [];
  };
  const addLine = (bytes: Buffer, refusal: string | undefined): void => {
    if (refusal !== undefined) {
      lengths.push(-1);
      refusals.push(refusal);
      return;
    }
    if (used + bytes.length > data.length) {
      flush();
      if (bytes.length > data.length) data = Buffer.allocUnsafeSlow(bytes.length);
    }
    bytes.copy(data, used);
    used += bytes.length;
    lengths.push(bytes.length);
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

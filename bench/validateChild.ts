/**
 * One measured run in a fresh process, so peak RSS belongs to that run alone:
 * `node scripts/launch.js bench/validateChild.ts <validate|parse> <file>` (as bench/child.ts starts it).
 * Prints one JSON line: { ms, rssBeforeMB, peakRssMB, lines, ... }.
 */
import { createReadStream } from "node:fs";
import { forEachStreamLine } from "../lib/trainingData/lines";
import { LINE_LIMITS, validateTrainingFile } from "../lib/trainingData/validate";

async function parseOnly(path: string): Promise<Record<string, unknown>> {
  let lines = 0;
  let failures = 0;
  await forEachStreamLine(
    createReadStream(path, { highWaterMark: 1024 * 1024 }),
    LINE_LIMITS,
    (bytes, start, end) => {
      lines++;
      try {
        JSON.parse(bytes.toString("utf8", start, end));
      } catch {
        failures++;
      }
    },
  );
  return { lines, failures };
}

async function main(): Promise<void> {
  const [mode, path] = process.argv.slice(2);
  const rssBeforeMB = process.memoryUsage().rss / 2 ** 20;
  const start = process.hrtime.bigint();
  let result: Record<string, unknown>;
  if (mode === "parse") {
    result = await parseOnly(path);
  } else {
    const report = await validateTrainingFile(path);
    result = {
      lines: report.examples,
      valid: report.valid,
      errorCount: report.errorCount,
      tokens: report.totalTokens,
      warnings: report.warnings.length,
    };
  }
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  const peakRssMB = process.resourceUsage().maxRSS / 1024;
  process.stdout.write(`${JSON.stringify({ ms, rssBeforeMB, peakRssMB, ...result })}\n`);
}

void main();

/**
 * Validator throughput and peak memory on generated 100 MB and 512 MB files (and the lab's
 * sample file when present), beside a pass that only splits lines and JSON-parses them.
 */
import { existsSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { MAX_FILE_BYTES } from "../lib/trainingData/validate";
import { runValidateChild } from "./child";
import { generateTrainingFile } from "./generate";
import type { BenchOptions, BenchTable } from "./types";

/** Runs the cases; see bench/README.md for the latest numbers. */
export async function run({ quick, log }: BenchOptions): Promise<BenchTable[]> {
  const cases: { name: string; path: string }[] = [];
  const sizes = quick
    ? [[10, "10 MB"]]
    : [
        [100, "100 MB"],
        [512, "512 MB"],
      ];
  for (const [mb, label] of sizes as [number, string][]) {
    const path = join(tmpdir(), `azure-ft-bench-${mb}mb.jsonl`);
    log(`  generating ${label} at ${path} (reused when present)`);
    await generateTrainingFile(path, Math.min(mb * 2 ** 20, MAX_FILE_BYTES));
    cases.push({ name: `generated ${label}`, path });
  }
  const lab = resolve(__dirname, "..", "..", "shared", "datasets", "travel-finetune.jsonl");
  if (existsSync(lab)) {
    cases.push({ name: "lab travel-finetune.jsonl", path: lab });
  } else {
    log(`  skipping the lab sample: ${lab} not found`);
  }
  const rows: (string | number)[][] = [];
  for (const c of cases) {
    const bytes = statSync(c.path).size;
    const mb = bytes / 2 ** 20;
    for (const mode of ["parse", "validate"] as const) {
      log(`  ${mode} ${c.name}`);
      const r = runValidateChild(mode, c.path);
      rows.push([
        c.name,
        mode === "parse" ? "split + JSON.parse only" : "validateTrainingFile",
        mb.toFixed(1),
        r.lines.toLocaleString("en-US"),
        (r.ms / 1000).toFixed(2),
        (mb / (r.ms / 1000)).toFixed(1),
        r.peakRssMB.toFixed(0),
        r.rssBeforeMB.toFixed(0),
        r.tokens === undefined
          ? ""
          : `${r.tokens.toLocaleString("en-US")}${r.valid ? "" : ` (${r.errorCount} errors)`}`,
      ]);
    }
  }
  return [
    {
      title: "Training-file validator",
      columns: [
        "file",
        "pass",
        "MB",
        "lines",
        "seconds",
        "MB/s",
        "peak RSS MB",
        "RSS at start MB",
        "tokens",
      ],
      rows,
      notes: [
        "Each pass runs in its own child process started like `npm run validate` (node scripts/launch.js, no TypeScript compiler on a warm transpile cache); peak RSS is process.resourceUsage().maxRSS,",
        '"RSS at start" is the process after loading the modules, before reading. MB = 2^20 bytes.',
        "validateTrainingFile counts every example's tokens exactly (o200k_base), checks all rules and hashes lines for duplicates.",
      ],
    },
  ];
}

/**
 * The validator against what a Python user would run instead, on generated multilingual data:
 * the OpenAI cookbook data-prep notebook's method and tiktoken on a 2-process pool
 * (bench/peers.py), in interleaved rounds, with min/median throughput, peak RSS and the ratio
 * of the project to each peer. Also the cost of a repeat validation of unchanged content (the
 * result cache). Python rows are skipped when python3 with tiktoken is not installed.
 *
 * Targets (checked here, never in tests): on multilingual data the project is at least 1.0× the
 * pool, and its peak RSS stays within 256 MB.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runValidateChild } from "./child";
import { generateTrainingFile } from "./generate";
import { generateMultilingualFile } from "./multilingual";
import type { BenchOptions, BenchTable } from "./types";

const RSS_TARGET_MB = 256;
const POOL_RATIO_TARGET = 1.0;

interface Run {
  seconds: number;
  tokens: number;
  peakRssMB: number;
}

function project(path: string, env: NodeJS.ProcessEnv): Run {
  const r = runValidateChild("validate", path, env);
  return { seconds: r.ms / 1000, tokens: r.tokens!, peakRssMB: r.peakRssMB };
}

/** TIKTOKEN_CACHE_DIR holding o200k_base, or undefined when python3 + tiktoken are missing. */
function pythonPeers(): string | undefined {
  const dir = join(tmpdir(), "aoift-tiktoken-cache");
  mkdirSync(dir, { recursive: true });
  // tiktoken caches o200k_base under the sha1 of its download URL; gpt-tokenizer ships the same
  // file (sha256 446a9538…), which tiktoken checks before using it.
  copyFileSync(
    require.resolve("gpt-tokenizer/data/o200k_base.tiktoken"),
    join(dir, "fb374d419588a4632f3f557e76b4b70aebbca790"),
  );
  const probe = spawnSync("python3", ["-c", "import tiktoken"], { encoding: "utf8" });
  return probe.status === 0 ? dir : undefined;
}

function python(mode: "notebook" | "pool", path: string, cacheDir: string): Run {
  const out = execFileSync("python3", [join(__dirname, "peers.py"), mode, path], {
    encoding: "utf8",
    env: { ...process.env, TIKTOKEN_CACHE_DIR: cacheDir },
  });
  return JSON.parse(out.trim().split("\n").pop()!) as Run;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Runs the comparison. `--quick`: 8 MiB files, 1 round; else 64 MiB (512 with BENCH_MIB=512), 3 rounds. */
export async function run({ quick, log }: BenchOptions): Promise<BenchTable[]> {
  const mib = quick ? 8 : Number(process.env.BENCH_MIB ?? 64);
  const rounds = quick ? 1 : Number(process.env.BENCH_ROUNDS ?? 3);
  const sets: [string, string, () => Promise<number>][] = [
    ["English-heavy", "en", () => 0],
    ["multilingual", "ml", () => 0],
    ["Chinese / Japanese / Thai", "cjk", () => 0],
  ].map(([name, id]) => {
    const path = join(tmpdir(), `aoift-bench-${id}-${mib}mib.jsonl`);
    const bytes = mib * 2 ** 20;
    const make =
      id === "en"
        ? () => generateTrainingFile(path, bytes)
        : () =>
            generateMultilingualFile(
              path,
              bytes,
              id === "cjk" ? ["chinese", "japanese", "thai"] : undefined,
            );
    return [name as string, path, make];
  });
  const tiktokenCache = pythonPeers();
  if (tiktokenCache === undefined) log("  python3 with tiktoken not found: peer rows skipped");
  const rows: (string | number)[][] = [];
  const notes: string[] = [];
  for (const [name, path, make] of sets) {
    log(`  generating ${name} (${mib} MiB) at ${path}`);
    await make();
    const size = statSync(path).size / 2 ** 20;
    const methods: [string, () => Run][] = [
      ["project (npm run validate)", () => project(path, { AOIFT_CACHE_DIR: "off" })],
    ];
    if (tiktokenCache !== undefined) {
      methods.push(["cookbook notebook (tiktoken)", () => python("notebook", path, tiktokenCache)]);
      methods.push(["tiktoken Pool(2)", () => python("pool", path, tiktokenCache)]);
    }
    const runs = new Map<string, Run[]>(methods.map(([m]) => [m, []]));
    for (let round = 1; round <= rounds; round++) {
      for (const [method, go] of methods) {
        log(`  ${name}: round ${round}/${rounds}, ${method}`);
        runs.get(method)!.push(go());
      }
    }
    const best = (m: string): number => Math.min(...runs.get(m)!.map((r) => r.seconds));
    for (const [method] of methods) {
      const rs = runs.get(method)!;
      const mibps = rs.map((r) => size / r.seconds);
      rows.push([
        name,
        method,
        Math.min(...mibps).toFixed(1),
        median(mibps).toFixed(1),
        Math.max(...rs.map((r) => r.peakRssMB)).toFixed(0),
        rs[0].tokens.toLocaleString("en-US"),
        method.startsWith("project") ? "1.00" : (best(method) / best(methods[0][0])).toFixed(2),
      ]);
    }
    if (tiktokenCache !== undefined) {
      const ratio = best("tiktoken Pool(2)") / best(methods[0][0]);
      const rss = Math.max(...runs.get(methods[0][0])!.map((r) => r.peakRssMB));
      notes.push(
        `${name}: project / Pool(2) = ${ratio.toFixed(2)}× (target ≥ ${POOL_RATIO_TARGET}: ${ratio >= POOL_RATIO_TARGET ? "met" : "NOT met"}); ` +
          `project peak RSS ${rss.toFixed(0)} MB (target ≤ ${RSS_TARGET_MB}: ${rss <= RSS_TARGET_MB ? "met" : "NOT met"}).`,
      );
    }
    rows.push(...[cacheHit(path, size, log, name)]);
  }
  return [
    {
      title: `Validator against Python peers (${mib} MiB per data set, ${rounds} interleaved round${rounds === 1 ? "" : "s"})`,
      columns: [
        "data",
        "method",
        "MiB/s min",
        "MiB/s median",
        "peak RSS MB",
        "tokens",
        "project speed ×",
      ],
      rows,
      notes: [
        "Each run is a fresh process; MiB/s = file size / wall time including start-up. Pool peak RSS = parent + 2 × largest child.",
        '"project speed ×" = best peer time / best project time (above 1: the project is faster).',
        "Token totals agree where examples have no tool calls; with tool calls the peers' formula counts every string",
        '(call ids, "function") and skips tool definitions, while the project counts what is billed (see rules.ts).',
        ...notes,
      ],
    },
  ];
}

function cacheHit(
  path: string,
  size: number,
  log: (line: string) => void,
  name: string,
): (string | number)[] {
  const dir = mkdtempSync(join(tmpdir(), "aoift-bench-cache-"));
  try {
    log(`  ${name}: repeat validation with the result cache`);
    project(path, { AOIFT_CACHE_DIR: dir });
    const hit = project(path, { AOIFT_CACHE_DIR: dir });
    return [
      name,
      "project, repeat of unchanged file (cache hit)",
      (size / hit.seconds).toFixed(0),
      `${hit.seconds.toFixed(2)} s`,
      hit.peakRssMB.toFixed(0),
      hit.tokens.toLocaleString("en-US"),
      "",
    ];
  } finally {
    if (existsSync(dir)) rmSync(dir, { recursive: true, force: true });
  }
}

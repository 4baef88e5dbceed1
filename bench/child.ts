/** Runs bench/validateChild.ts in a fresh process, so peak RSS belongs to that run alone. */
import { execFileSync } from "node:child_process";
import { join } from "node:path";

/** What validateChild.ts prints (the `tokens`… fields only in "validate" mode). */
export interface ChildResult {
  ms: number;
  rssBeforeMB: number;
  peakRssMB: number;
  lines: number;
  tokens?: number;
  valid?: boolean;
  errorCount?: number;
}

/** Validates (or only splits and parses) `path` in a child process started like `npm run validate`. */
export function runValidateChild(
  mode: "validate" | "parse",
  path: string,
  env: NodeJS.ProcessEnv = {},
): ChildResult {
  const out = execFileSync(
    process.execPath,
    [
      join(__dirname, "..", "scripts", "launch.js"),
      join(__dirname, "validateChild.ts"),
      mode,
      path,
    ],
    { encoding: "utf8", maxBuffer: 1024 * 1024, env: { ...process.env, ...env } },
  );
  return JSON.parse(out.trim().split("\n").pop()!) as ChildResult;
}

/**
 * Peak memory and time on files of very long lines (issue 12: 256 MB for a 512 MB file of any
 * content): one line of ~60 MB of multilingual text, eight of them (a ~510 MB file), and a valid
 * example padded with spaces to a size the pre-scan cannot refuse, which is kept whole.
 * `--quick` uses 12 MB lines and a 9 MB padded line.
 */
import { createWriteStream, existsSync, statSync } from "node:fs";
import { once } from "node:events";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runValidateChild } from "./child";
import { multilingualLines } from "./multilingual";
import type { BenchOptions, BenchTable } from "./types";

/** One user message of about `bytes` of multilingual text (the generator's message texts joined). */
function longLine(bytes: number): string {
  const texts: string[] = [];
  let size = 0;
  for (const line of multilingualLines(23)) {
    for (const m of (JSON.parse(line) as { messages: { content?: unknown }[] }).messages) {
      if (typeof m.content !== "string") continue;
      texts.push(m.content);
      size += Buffer.byteLength(m.content) + 1;
    }
    if (size >= bytes) break;
  }
  const messages = [
    { role: "user", content: texts.join(" ") },
    { role: "assistant", content: "ok" },
  ];
  return JSON.stringify({ messages });
}

/** A valid example padded with `bytes` of spaces between its JSON tokens. */
function paddedLine(bytes: number): string {
  return `{"messages": [{"role": "user", "content": "Hi"},${" ".repeat(bytes)}{"role": "assistant", "content": "Hello"}]}`;
}

async function writeLines(path: string, line: string, count: number): Promise<void> {
  const size = (Buffer.byteLength(line) + 1) * count;
  if (existsSync(path) && statSync(path).size === size) return;
  const out = createWriteStream(path);
  for (let i = 0; i < count; i++) {
    if (!out.write(`${line}\n`)) await once(out, "drain");
  }
  out.end();
  await once(out, "finish");
}

/** Runs the cases; see bench/README.md for the latest numbers. */
export async function run({ quick, log }: BenchOptions): Promise<BenchTable[]> {
  const mb = quick ? 12 : 60;
  const line = longLine(mb * 2 ** 20);
  const cases: [string, string, string, number][] = [
    [`single ${mb} MB line`, `aoift-long-1x${mb}.jsonl`, line, 1],
    [
      `${quick ? 4 : 8} × ${mb} MB lines`,
      `aoift-long-${quick ? 4 : 8}x${mb}.jsonl`,
      line,
      quick ? 4 : 8,
    ],
    [
      `padded valid line, ${quick ? 9 : 16} MB`,
      `aoift-long-padded-${quick ? 9 : 16}.jsonl`,
      paddedLine((quick ? 9 : 16) * 2 ** 20),
      1,
    ],
  ];
  const rows: (string | number)[][] = [];
  for (const [name, file, text, count] of cases) {
    const path = join(tmpdir(), file);
    log(`  generating ${name} at ${path} (reused when present)`);
    await writeLines(path, text, count);
    log(`  validating ${name}`);
    const r = runValidateChild("validate", path, { AOIFT_CACHE_DIR: "off" });
    const size = statSync(path).size / 2 ** 20;
    rows.push([
      name,
      size.toFixed(1),
      (r.ms / 1000).toFixed(2),
      r.peakRssMB.toFixed(0),
      r.valid ? "valid" : `${r.errorCount} errors`,
    ]);
  }
  return [
    {
      title: "Validator on very long lines",
      columns: ["file", "MB", "seconds", "peak RSS MB", "verdict"],
      rows,
      notes: [
        "Each file is validated in its own child process like `npm run validate` (ts-node transpile-only, 2 worker threads from 4 MB on).",
        "Lines over 65,536 × 128 bytes are pre-scanned (lib/trainingData/longLines.ts); those whose text is over the token limit are refused without being kept.",
      ],
    },
  ];
}

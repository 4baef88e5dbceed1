/**
 * `npm run bench [-- --quick] [-- <name filter>]`: runs every bench/*.bench.ts, prints one
 * Markdown report to stdout and saves it as bench/results/<date>.md (git-ignored; the
 * committed summary is bench/README.md).
 */
import { mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { join } from "node:path";
import type { BenchModule, BenchTable } from "./types";

function markdown(table: BenchTable): string {
  const lines = [
    `### ${table.title}`,
    "",
    `| ${table.columns.join(" | ")} |`,
    `|${table.columns.map(() => " --- ").join("|")}|`,
  ];
  for (const row of table.rows) lines.push(`| ${row.join(" | ")} |`);
  if (table.notes?.length) lines.push("", ...table.notes);
  return lines.join("\n");
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const quick = args.includes("--quick");
  const filters = args.filter((a) => !a.startsWith("--"));
  const files = readdirSync(__dirname)
    .filter((f) => f.endsWith(".bench.ts"))
    .filter((f) => filters.length === 0 || filters.some((name) => f.includes(name)))
    .sort();
  if (files.length === 0) {
    throw new Error(
      `no bench/*.bench.ts matches ${filters.join(", ")}; available: ${readdirSync(__dirname)
        .filter((f) => f.endsWith(".bench.ts"))
        .join(", ")}`,
    );
  }
  const log = (line: string): void => {
    process.stderr.write(`${line}\n`);
  };
  const date = new Date().toISOString().slice(0, 10);
  const sections = [
    `# Benchmarks ${date}`,
    "",
    `Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? "unknown CPU"}, ${Math.round(totalmem() / 2 ** 30)} GiB RAM${quick ? ", quick run" : ""}.`,
  ];
  for (const file of files) {
    log(`bench ${file}`);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const bench = require(join(__dirname, file)) as BenchModule;
    for (const table of await bench.run({ quick, log })) sections.push("", markdown(table));
  }
  const report = `${sections.join("\n")}\n`;
  process.stdout.write(report);
  const dir = join(__dirname, "results");
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `${date}.md`), report);
  log(`saved bench/results/${date}.md`);
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exitCode = 1;
});

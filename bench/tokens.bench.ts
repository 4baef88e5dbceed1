/**
 * o200k_base counting speed: the project's scanner + cached BPE (lib/trainingData/tokens.ts)
 * against gpt-tokenizer's own countTokens, on the same generated message texts, with a check
 * that both give the same count for every text.
 */
import { countTokens as libraryCountTokens } from "gpt-tokenizer/cjs/encoding/o200k_base";
import { countTokens } from "../lib/trainingData/tokens";
import { trainingLines } from "./generate";
import type { BenchOptions, BenchTable } from "./types";

function texts(targetBytes: number): { texts: string[]; bytes: number } {
  const out: string[] = [];
  let bytes = 0;
  // A different seed from the validator bench, so neither run warms the other's caches.
  for (const line of trainingLines(7)) {
    const example = JSON.parse(line) as { messages: { role: string; content?: unknown }[] };
    for (const m of example.messages) {
      if (typeof m.content === "string" && m.role !== "system") {
        out.push(m.content);
        bytes += Buffer.byteLength(m.content);
      }
    }
    if (bytes >= targetBytes) break;
  }
  return { texts: out, bytes };
}

/** Runs the comparison. */
export async function run({ quick, log }: BenchOptions): Promise<BenchTable[]> {
  const { texts: corpus, bytes } = texts(quick ? 2 * 2 ** 20 : 20 * 2 ** 20);
  const mb = bytes / 2 ** 20;
  const rows: (string | number)[][] = [];
  const counts: number[][] = [];
  for (const [name, count] of [
    [
      "gpt-tokenizer 4.0.0 countTokens",
      (t: string) => libraryCountTokens(t, { disallowedSpecial: new Set() }),
    ],
    ["scanner + piece cache (cold)", countTokens],
    ["scanner + piece cache (warm)", countTokens],
  ] as const) {
    log(`  ${name}`);
    const perText: number[] = [];
    const start = process.hrtime.bigint();
    for (const t of corpus) perText.push(count(t));
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    counts.push(perText);
    rows.push([
      name,
      mb.toFixed(1),
      perText.reduce((a, b) => a + b, 0).toLocaleString("en-US"),
      seconds.toFixed(2),
      (mb / seconds).toFixed(1),
    ]);
  }
  const disagreements = counts[0].filter((n, i) => n !== counts[1][i] || n !== counts[2][i]).length;
  return [
    {
      title: "o200k_base token counting",
      columns: ["counter", "MB of text", "tokens", "seconds", "MB/s"],
      rows,
      notes: [
        `${corpus.length.toLocaleString("en-US")} message texts; texts whose counts differ between counters: ${disagreements}.`,
      ],
    },
  ];
}

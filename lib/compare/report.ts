/**
 * The comparison report: a JSON document with a stable schema for scripts and CI, a Markdown
 * rendering for people, both written to `compare-<timestamp>.{json,md}` in the out directory.
 */
import { mkdir, writeFile } from "node:fs/promises";
import * as path from "node:path";
import type { PromptMessage } from "./prompts";
import type { Answer, CaseResult, Side } from "./run";

/**
 * The JSON report, `schemaVersion` 1. Fields are only ever added; renaming or removing one, or
 * changing its meaning, bumps `schemaVersion`.
 *
 * ```
 * {
 *   schemaVersion: 1,
 *   timestamp: string,              // ISO 8601 UTC, when the run started
 *   endpoint: string,               // account endpoint, no trailing slash
 *   apiVersion: string,             // data-plane api-version used
 *   stack: string | null,           // --stack, null when --endpoint was given
 *   promptsFile: string,            // --prompts as given
 *   parameters: { temperature: number, maxTokens: number | null, concurrency: number },
 *   deployments: { base: string, tuned: string },
 *   durationMs: number,             // wall time of all calls
 *   results: [{                     // one per prompt, in file order
 *     index: number,                // 1-based
 *     source: string,               // "file#n" (JSON) or "file:line" (JSONL)
 *     prompt: string,               // the last user message
 *     messages: [{ role: "system" | "user" | "assistant", content: string }],  // as sent
 *     base: Answer, tuned: Answer
 *   }],
 *   totals: { base: Totals, tuned: Totals }
 * }
 * Answer = { deployment: string, model: string | null, answer: string, finishReason: string | null,
 *            latencyMs: number, attempts: number,
 *            usage: { promptTokens: number, completionTokens: number, totalTokens: number } }
 * Totals = { answers: number, latencyMs: number, meanLatencyMs: number,
 *            promptTokens: number, completionTokens: number, totalTokens: number }
 * ```
 * `latencyMs` is the duration of the attempt that answered (retry waits excluded), rounded to ms;
 * token counts are the service's `usage`.
 */
export interface CompareReport {
  readonly schemaVersion: 1;
  readonly timestamp: string;
  readonly endpoint: string;
  readonly apiVersion: string;
  readonly stack: string | null;
  readonly promptsFile: string;
  readonly parameters: {
    readonly temperature: number;
    readonly maxTokens: number | null;
    readonly concurrency: number;
  };
  readonly deployments: Readonly<Record<Side, string>>;
  readonly durationMs: number;
  readonly results: readonly ReportResult[];
  readonly totals: Readonly<Record<Side, ReportTotals>>;
}

/** One prompt and both answers. */
export interface ReportResult {
  readonly index: number;
  readonly source: string;
  readonly prompt: string;
  readonly messages: readonly PromptMessage[];
  readonly base: Answer;
  readonly tuned: Answer;
}

/** Sums over one deployment's answers. */
export interface ReportTotals {
  readonly answers: number;
  readonly latencyMs: number;
  readonly meanLatencyMs: number;
  readonly promptTokens: number;
  readonly completionTokens: number;
  readonly totalTokens: number;
}

/** What the report says about the run besides the answers. */
export interface RunInfo {
  readonly timestamp: Date;
  readonly endpoint: string;
  readonly apiVersion: string;
  readonly stack: string | undefined;
  readonly promptsFile: string;
  readonly temperature: number;
  readonly maxTokens: number | undefined;
  readonly concurrency: number;
  readonly deployments: Readonly<Record<Side, string>>;
  readonly durationMs: number;
}

/** Builds the JSON report from the answers. */
export function buildReport(info: RunInfo, results: readonly CaseResult[]): CompareReport {
  return {
    schemaVersion: 1,
    timestamp: info.timestamp.toISOString(),
    endpoint: info.endpoint,
    apiVersion: info.apiVersion,
    stack: info.stack ?? null,
    promptsFile: info.promptsFile,
    parameters: {
      temperature: info.temperature,
      maxTokens: info.maxTokens ?? null,
      concurrency: info.concurrency,
    },
    deployments: { base: info.deployments.base, tuned: info.deployments.tuned },
    durationMs: Math.round(info.durationMs),
    results: results.map((r, i) => ({
      index: i + 1,
      source: r.case.source,
      prompt: r.case.prompt,
      messages: r.case.messages.map((m) => ({ role: m.role, content: m.content })),
      base: r.base,
      tuned: r.tuned,
    })),
    totals: {
      base: totals(results.map((r) => r.base)),
      tuned: totals(results.map((r) => r.tuned)),
    },
  };
}

function totals(answers: readonly Answer[]): ReportTotals {
  const sum = (pick: (a: Answer) => number): number => answers.reduce((s, a) => s + pick(a), 0);
  const latencyMs = sum((a) => a.latencyMs);
  return {
    answers: answers.length,
    latencyMs,
    meanLatencyMs: answers.length === 0 ? 0 : Math.round(latencyMs / answers.length),
    promptTokens: sum((a) => a.usage.promptTokens),
    completionTokens: sum((a) => a.usage.completionTokens),
    totalTokens: sum((a) => a.usage.totalTokens),
  };
}

/** The system message every prompt shares, or undefined when they differ or have none. */
export function sharedSystem(results: readonly ReportResult[]): string | undefined {
  const systems = new Set(results.map((r) => r.messages.find((m) => m.role === "system")?.content));
  const [only] = systems;
  return systems.size === 1 ? only : undefined;
}

/** Renders the report as Markdown. */
export function renderMarkdown(report: CompareReport): string {
  const { base, tuned } = report.totals;
  const row = (label: string, b: string, t: string): string => `| ${label} | ${b} | ${t} |`;
  const model = (side: Side): string => {
    const m = report.results[0]?.[side].model;
    return m ? `\`${m}\`` : "n/a";
  };
  const system = sharedSystem(report.results);
  const lines = [
    `# Base vs fine-tuned: ${report.timestamp}`,
    "",
    `Endpoint ${report.endpoint} (api-version ${report.apiVersion})` +
      (report.stack !== null ? `, stack \`${report.stack}\`` : "") +
      `. Prompts: \`${report.promptsFile}\` (${report.results.length}). ` +
      `Temperature ${report.parameters.temperature}, max tokens ${report.parameters.maxTokens ?? "model default"}.`,
    "",
    row("", "Base", "Fine-tuned"),
    "|---|---|---|",
    row("Deployment", `\`${report.deployments.base}\``, `\`${report.deployments.tuned}\``),
    row("Model", model("base"), model("tuned")),
    row("Mean latency", `${base.meanLatencyMs} ms`, `${tuned.meanLatencyMs} ms`),
    row("Prompt tokens", String(base.promptTokens), String(tuned.promptTokens)),
    row("Completion tokens", String(base.completionTokens), String(tuned.completionTokens)),
    row("Total tokens", String(base.totalTokens), String(tuned.totalTokens)),
    "",
  ];
  if (system !== undefined) {
    lines.push("System message of every prompt:", "", quote(system), "");
  }
  for (const r of report.results) {
    lines.push(`## ${r.index}. ${r.prompt.replace(/\s+/g, " ").trim()}`, "");
    if (system === undefined) {
      const own = r.messages.find((m) => m.role === "system");
      if (own) {
        lines.push(`System: ${own.content.replace(/\s+/g, " ").trim()}`, "");
      }
    }
    for (const side of ["base", "tuned"] as const) {
      const a = r[side];
      lines.push(
        `**${side === "base" ? "Base" : "Fine-tuned"}** \`${a.deployment}\`: ${describeAnswer(a)}`,
        "",
        quote(a.answer === "" ? "(no text)" : a.answer),
        "",
      );
    }
  }
  return lines.join("\n");
}

/** "812 ms, 45 + 60 = 105 tokens" plus the finish reason when it is not "stop". */
export function describeAnswer(a: Answer): string {
  const u = a.usage;
  const finish =
    a.finishReason !== null && a.finishReason !== "stop" ? `, finish_reason ${a.finishReason}` : "";
  const retries = a.attempts > 1 ? `, ${a.attempts} attempts` : "";
  return `${a.latencyMs} ms, ${u.promptTokens} + ${u.completionTokens} = ${u.totalTokens} tokens${finish}${retries}`;
}

function quote(text: string): string {
  return text
    .split(/\r?\n/)
    .map((line) => (line === "" ? ">" : `> ${line}`))
    .join("\n");
}

/** Paths of the written reports. */
export interface WrittenReport {
  readonly json: string;
  readonly markdown: string;
}

/**
 * Writes `compare-<timestamp>.json` and `.md` into `outDir` (created if missing). Two runs in the
 * same second get `-2`, `-3`, ... instead of overwriting each other.
 */
export async function writeReport(outDir: string, report: CompareReport): Promise<WrittenReport> {
  await mkdir(outDir, { recursive: true });
  const stem = `compare-${report.timestamp.replace(/\.\d+Z$/, "Z").replace(/:/g, "-")}`;
  for (let n = 1; ; n++) {
    const base = path.join(outDir, n === 1 ? stem : `${stem}-${n}`);
    const json = `${base}.json`;
    try {
      await writeFile(json, `${JSON.stringify(report, null, 2)}\n`, { flag: "wx" });
    } catch (err) {
      if ((err as { code?: string }).code === "EEXIST") {
        continue;
      }
      throw err;
    }
    const markdown = `${base}.md`;
    await writeFile(markdown, renderMarkdown(report));
    return { json, markdown };
  }
}

/**
 * The terminal view of a comparison: each prompt, then the base and the fine-tuned answer in two
 * columns (stacked when the terminal is narrower than `MIN_SIDE_BY_SIDE`), then the totals.
 */
import { CompareReport, describeAnswer, ReportTotals, sharedSystem } from "./report";

/** Width used when stdout is not a terminal. */
export const DEFAULT_WIDTH = 100;
/** Below this width the two answers are printed one after the other. */
export const MIN_SIDE_BY_SIDE = 60;

const SEPARATOR = " │ ";

/**
 * Renders the side-by-side view.
 * @param width Terminal columns (`process.stdout.columns`), `DEFAULT_WIDTH` when not a terminal.
 */
export function renderSideBySide(report: CompareReport, width: number = DEFAULT_WIDTH): string {
  const w = Math.max(20, Math.floor(width));
  const out: string[] = [];
  const { base, tuned } = report.deployments;
  out.push(
    ...wrap(
      `Base \`${base}\` vs fine-tuned \`${tuned}\` on ${report.endpoint} (api-version ${report.apiVersion})`,
      w,
    ),
  );
  const system = sharedSystem(report.results);
  if (system !== undefined) {
    out.push(...wrap(`System: ${system}`, w));
  }
  for (const r of report.results) {
    out.push("", rule(`${r.index}/${report.results.length}`, w));
    if (system === undefined) {
      const own = r.messages.find((m) => m.role === "system");
      if (own) {
        out.push(...wrap(`System: ${own.content}`, w));
      }
    }
    out.push(...wrap(`Q: ${r.prompt}`, w), "");
    const heads = [r.base, r.tuned].map((a, i) => [
      `${i === 0 ? "base" : "tuned"} · ${a.deployment}`,
      describeAnswer(a),
    ]);
    if (w < MIN_SIDE_BY_SIDE) {
      out.push(...heads[0].flatMap((l) => wrap(l, w)), ...wrap(r.base.answer, w), "");
      out.push(...heads[1].flatMap((l) => wrap(l, w)), ...wrap(r.tuned.answer, w));
      continue;
    }
    const col = Math.floor((w - SEPARATOR.length) / 2);
    const [leftHead, rightHead] = heads.map((lines) => lines.flatMap((l) => wrap(l, col)));
    // Headers and answers are laid out separately so both answers start on the same row.
    out.push(...columns(leftHead, rightHead, col));
    out.push(`${"─".repeat(col)}─┼─${"─".repeat(col)}`);
    out.push(...columns(wrap(r.base.answer, col), wrap(r.tuned.answer, col), col));
  }
  out.push("", rule("totals", w));
  out.push(...wrap(`base: ${describeTotals(report.totals.base)}`, w));
  out.push(...wrap(`tuned: ${describeTotals(report.totals.tuned)}`, w));
  return `${out.join("\n")}\n`;
}

function describeTotals(t: ReportTotals): string {
  return (
    `${t.answers} answers, mean ${t.meanLatencyMs} ms, ` +
    `${t.promptTokens} prompt + ${t.completionTokens} completion = ${t.totalTokens} tokens`
  );
}

function rule(label: string, width: number): string {
  const head = `── ${label} `;
  return head + "─".repeat(Math.max(0, width - length(head)));
}

function columns(left: readonly string[], right: readonly string[], col: number): string[] {
  const rows = Math.max(left.length, right.length);
  const lines: string[] = [];
  for (let i = 0; i < rows; i++) {
    const l = left[i] ?? "";
    lines.push(`${l}${" ".repeat(col - length(l))}${SEPARATOR}${right[i] ?? ""}`.trimEnd());
  }
  return lines;
}

function length(text: string): number {
  return Array.from(text).length;
}

/**
 * Word-wraps text to `width` columns, keeping its line breaks; words longer than a line are cut.
 * Columns are counted in code points, which is exact for the Latin, Greek and Cyrillic text of
 * travel answers and approximate for wide (CJK) characters.
 */
export function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  for (const paragraph of text.split(/\r?\n/)) {
    let line = "";
    for (const word of paragraph.split(/\s+/).filter((x) => x !== "")) {
      let rest = word;
      while (length(rest) > width) {
        if (line !== "") {
          lines.push(line);
          line = "";
        }
        const chars = Array.from(rest);
        lines.push(chars.slice(0, width).join(""));
        rest = chars.slice(width).join("");
      }
      if (rest === "") {
        continue;
      }
      if (line === "") {
        line = rest;
      } else if (length(line) + 1 + length(rest) <= width) {
        line += ` ${rest}`;
      } else {
        lines.push(line);
        line = rest;
      }
    }
    lines.push(line);
  }
  return lines;
}

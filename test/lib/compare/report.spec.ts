import { expect } from "chai";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import {
  buildReport,
  CompareReport,
  renderMarkdown,
  writeReport,
} from "../../../lib/compare/report";
import { INFO, messages, RESULTS } from "./sampleReport";

describe("compare report", () => {
  it("builds the JSON report with per-deployment totals", () => {
    const report = buildReport(INFO, RESULTS);
    expect(report).to.deep.equal({
      schemaVersion: 1,
      timestamp: "2025-11-24T09:30:12.345Z",
      endpoint: "https://acct.openai.azure.com",
      apiVersion: "2025-04-01-preview",
      stack: "dev",
      promptsFile: "p.json",
      parameters: { temperature: 0, maxTokens: null, concurrency: 2 },
      deployments: { base: "mini", tuned: "mini-travel" },
      durationMs: 1402,
      results: [
        {
          index: 1,
          source: "p.json#1",
          prompt: "Rail pass for Switzerland?",
          messages: messages("Rail pass for Switzerland?"),
          base: RESULTS[0].base,
          tuned: RESULTS[0].tuned,
        },
        {
          index: 2,
          source: "p.json#2",
          prompt: "Power bank in checked luggage?",
          messages: messages("Power bank in checked luggage?"),
          base: RESULTS[1].base,
          tuned: RESULTS[1].tuned,
        },
      ],
      totals: {
        base: {
          answers: 2,
          latencyMs: 1201,
          meanLatencyMs: 601,
          promptTokens: 41,
          completionTokens: 8,
          totalTokens: 49,
        },
        tuned: {
          answers: 2,
          latencyMs: 900,
          meanLatencyMs: 450,
          promptTokens: 41,
          completionTokens: 17,
          totalTokens: 58,
        },
      },
    });
  });

  it("renders Markdown with a summary table and both answers per prompt", () => {
    expect(renderMarkdown(buildReport(INFO, RESULTS))).to.equal(
      [
        "# Base vs fine-tuned: 2025-11-24T09:30:12.345Z",
        "",
        "Endpoint https://acct.openai.azure.com (api-version 2025-04-01-preview), stack `dev`. Prompts: `p.json` (2). Temperature 0, max tokens model default.",
        "",
        "|  | Base | Fine-tuned |",
        "|---|---|---|",
        "| Deployment | `mini` | `mini-travel` |",
        "| Model | `gpt-4.1-mini-2025-04-14` | `gpt-4.1-mini-2025-04-14.ft-abc` |",
        "| Mean latency | 601 ms | 450 ms |",
        "| Prompt tokens | 41 | 41 |",
        "| Completion tokens | 8 | 17 |",
        "| Total tokens | 49 | 58 |",
        "",
        "System message of every prompt:",
        "",
        "> Be brief.",
        "",
        "## 1. Rail pass for Switzerland?",
        "",
        "**Base** `mini`: 800 ms, 20 + 6 = 26 tokens",
        "",
        "> It depends on your route.",
        "",
        "**Fine-tuned** `mini-travel`: 600 ms, 20 + 12 = 32 tokens, 2 attempts",
        "",
        "> Yes for 8+ train days.",
        "> Tip: compare the Half Fare Card.",
        "",
        "## 2. Power bank in checked luggage?",
        "",
        "**Base** `mini`: 401 ms, 21 + 2 = 23 tokens",
        "",
        "> No.",
        "",
        "**Fine-tuned** `mini-travel`: 300 ms, 21 + 5 = 26 tokens, finish_reason length",
        "",
        "> No: carry-on only.",
        "",
      ].join("\n"),
    );
  });

  describe("writeReport", () => {
    let dir: string;
    beforeEach(() => {
      dir = mkdtempSync(path.join(tmpdir(), "compare-report-"));
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    it("writes JSON and Markdown named after the timestamp, never overwriting an earlier run", async () => {
      const report: CompareReport = buildReport(INFO, RESULTS);
      const out = path.join(dir, "nested", "out");
      const first = await writeReport(out, report);
      const second = await writeReport(out, report);
      expect([
        first,
        second,
        readdirSync(out).sort(),
        JSON.parse(readFileSync(first.json, "utf8")),
        readFileSync(second.markdown, "utf8"),
      ]).to.deep.equal([
        {
          json: path.join(out, "compare-2025-11-24T09-30-12Z.json"),
          markdown: path.join(out, "compare-2025-11-24T09-30-12Z.md"),
        },
        {
          json: path.join(out, "compare-2025-11-24T09-30-12Z-2.json"),
          markdown: path.join(out, "compare-2025-11-24T09-30-12Z-2.md"),
        },
        [
          "compare-2025-11-24T09-30-12Z-2.json",
          "compare-2025-11-24T09-30-12Z-2.md",
          "compare-2025-11-24T09-30-12Z.json",
          "compare-2025-11-24T09-30-12Z.md",
        ],
        report,
        renderMarkdown(report),
      ]);
    });
  });
});

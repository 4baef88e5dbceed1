/** A fixed two-prompt comparison for the report and view tests. */
import type { RunInfo } from "../../../lib/compare/report";
import type { Answer, CaseResult } from "../../../lib/compare/run";

const answer = (
  deployment: string,
  model: string,
  text: string,
  latencyMs: number,
  p: number,
  c: number,
): Answer => ({
  deployment,
  model,
  answer: text,
  finishReason: "stop",
  latencyMs,
  attempts: 1,
  usage: { promptTokens: p, completionTokens: c, totalTokens: p + c },
});

/** System and user message of a sample prompt. */
export const messages = (q: string) => [
  { role: "system" as const, content: "Be brief." },
  { role: "user" as const, content: q },
];

/** Two prompts answered by a base and a tuned deployment. */
export const RESULTS: CaseResult[] = [
  {
    case: {
      messages: messages("Rail pass for Switzerland?"),
      prompt: "Rail pass for Switzerland?",
      source: "p.json#1",
    },
    base: answer("mini", "gpt-4.1-mini-2025-04-14", "It depends on your route.", 800, 20, 6),
    tuned: {
      ...answer(
        "mini-travel",
        "gpt-4.1-mini-2025-04-14.ft-abc",
        "Yes for 8+ train days.\nTip: compare the Half Fare Card.",
        600,
        20,
        12,
      ),
      attempts: 2,
    },
  },
  {
    case: {
      messages: messages("Power bank in checked luggage?"),
      prompt: "Power bank in checked luggage?",
      source: "p.json#2",
    },
    base: answer("mini", "gpt-4.1-mini-2025-04-14", "No.", 401, 21, 2),
    tuned: {
      ...answer("mini-travel", "gpt-4.1-mini-2025-04-14.ft-abc", "No: carry-on only.", 300, 21, 5),
      finishReason: "length",
    },
  },
];

/** Run details of the sample report. */
export const INFO: RunInfo = {
  timestamp: new Date("2025-11-24T09:30:12.345Z"),
  endpoint: "https://acct.openai.azure.com",
  apiVersion: "2025-04-01-preview",
  stack: "dev",
  promptsFile: "p.json",
  temperature: 0,
  maxTokens: undefined,
  concurrency: 2,
  deployments: { base: "mini", tuned: "mini-travel" },
  durationMs: 1402.4,
};

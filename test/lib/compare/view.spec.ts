import { expect } from "chai";
import { buildReport } from "../../../lib/compare/report";
import { renderSideBySide, wrap } from "../../../lib/compare/view";
import { INFO, RESULTS } from "./sampleReport";

describe("compare view", () => {
  it("shows both answers side by side, each starting on the same row", () => {
    expect(renderSideBySide(buildReport(INFO, RESULTS), 72).split("\n")).to.deep.equal([
      "Base `mini` vs fine-tuned `mini-travel` on https://acct.openai.azure.com",
      "(api-version 2025-04-01-preview)",
      "System: Be brief.",
      "",
      "── 1/2 ─────────────────────────────────────────────────────────────────",
      "Q: Rail pass for Switzerland?",
      "",
      "base · mini                        │ tuned · mini-travel",
      "800 ms, 20 + 6 = 26 tokens         │ 600 ms, 20 + 12 = 32 tokens, 2",
      "                                   │ attempts",
      "───────────────────────────────────┼───────────────────────────────────",
      "It depends on your route.          │ Yes for 8+ train days.",
      "                                   │ Tip: compare the Half Fare Card.",
      "",
      "── 2/2 ─────────────────────────────────────────────────────────────────",
      "Q: Power bank in checked luggage?",
      "",
      "base · mini                        │ tuned · mini-travel",
      "401 ms, 21 + 2 = 23 tokens         │ 300 ms, 21 + 5 = 26 tokens,",
      "                                   │ finish_reason length",
      "───────────────────────────────────┼───────────────────────────────────",
      "No.                                │ No: carry-on only.",
      "",
      "── totals ──────────────────────────────────────────────────────────────",
      "base: 2 answers, mean 601 ms, 41 prompt + 8 completion = 49 tokens",
      "tuned: 2 answers, mean 450 ms, 41 prompt + 17 completion = 58 tokens",
      "",
    ]);
  });

  it("stacks the answers on a terminal narrower than 60 columns", () => {
    const lines = renderSideBySide(buildReport(INFO, RESULTS.slice(0, 1)), 40).split("\n");
    const start = lines.findIndex((l) => l.startsWith("── 1/1"));
    expect(lines.slice(start, start + 12)).to.deep.equal([
      "── 1/1 ─────────────────────────────────",
      "Q: Rail pass for Switzerland?",
      "",
      "base · mini",
      "800 ms, 20 + 6 = 26 tokens",
      "It depends on your route.",
      "",
      "tuned · mini-travel",
      "600 ms, 20 + 12 = 32 tokens, 2 attempts",
      "Yes for 8+ train days.",
      "Tip: compare the Half Fare Card.",
      "",
    ]);
  });

  it("never writes a line wider than the terminal", () => {
    const long = {
      ...RESULTS[0],
      tuned: { ...RESULTS[0].tuned, answer: "Zürich–Interlaken ".repeat(12) + "x".repeat(90) },
    };
    const widths = renderSideBySide(buildReport(INFO, [long]), 80)
      .split("\n")
      .map((l) => Array.from(l).length);
    expect(Math.max(...widths)).to.equal(80);
  });

  describe("wrap", () => {
    it("wraps at word boundaries and keeps line breaks", () => {
      expect(wrap("one two three four\n\nfive six", 9)).to.deep.equal([
        "one two",
        "three",
        "four",
        "",
        "five six",
      ]);
    });

    it("cuts a word longer than the line", () => {
      expect(wrap("see https://www.sbb.ch/en now", 10)).to.deep.equal([
        "see",
        "https://ww",
        "w.sbb.ch/e",
        "n now",
      ]);
    });

    it("counts accented letters as one column", () => {
      expect(wrap("Zürich Genève Köln", 13)).to.deep.equal(["Zürich Genève", "Köln"]);
    });
  });
});

import { expect } from "chai";
import { MODEL_CATALOG, modelLifecycleWarnings, parseLenientDate } from "../../../lib/models";

const RETIREMENTS =
  "MicrosoftDocs/azure-ai-docs articles/ai-foundry/openai/includes/retirement/models.md @ 31c50ba1 (https://learn.microsoft.com/azure/ai-foundry/openai/concepts/model-retirements)";
const SCHEDULE =
  "MicrosoftDocs/azure-ai-docs articles/foundry/openai/includes/concepts-model-retirement-schedule-content.md @ 00bb5540 (https://learn.microsoft.com/azure/foundry/openai/concepts/model-retirements)";
const day = (iso: string) => new Date(`${iso}T00:00:00Z`);

describe("lib/models/lifecycle", () => {
  describe("parseLenientDate", () => {
    it("reads the dates as Microsoft's tables print them", () => {
      expect(
        ["2026-10-14", "February 28, 2026", "December 15, 2026"].map((t) =>
          parseLenientDate(t)?.toISOString(),
        ),
      ).to.deep.equal([
        "2026-10-14T00:00:00.000Z",
        "2026-02-28T00:00:00.000Z",
        "2026-12-15T00:00:00.000Z",
      ]);
    });

    it("reads the printed 2026-09-31 as the last day of September", () => {
      expect(parseLenientDate("2026-09-31")?.toISOString()).to.equal("2026-09-30T00:00:00.000Z");
    });

    it("returns undefined for text that is not a date", () => {
      expect(
        ["n/a", "At base model retirement", "2026-13-01", ""].map(parseLenientDate),
      ).to.deep.equal([undefined, undefined, undefined, undefined]);
    });
  });

  describe("modelLifecycleWarnings", () => {
    const mini = MODEL_CATALOG["gpt-4.1-mini-2025-04-14"];

    it("says nothing before the first published date", () => {
      expect(
        modelLifecycleWarnings("gpt-4.1-mini-2025-04-14", mini, day("2026-04-13")),
      ).to.deep.equal([]);
    });

    it("warns on the day a date is reached, naming the date and the source", () => {
      expect(
        modelLifecycleWarnings("gpt-4.1-mini-2025-04-14", mini, day("2026-04-14")),
      ).to.deep.equal([
        `gpt-4.1-mini-2025-04-14: the published deprecation date (no new customers) is 2026-04-14 (no new customers), on or before today (2026-04-14); Azure may refuse it or may have moved the date. Source: ${RETIREMENTS}`,
      ]);
    });

    it("warns once per passed date, floors marked as such", () => {
      const warnings = modelLifecycleWarnings(
        "gpt-4o-2024-08-06",
        MODEL_CATALOG["gpt-4o-2024-08-06"],
        day("2027-04-01"),
      );
      expect(warnings.map((w) => w.slice(0, w.indexOf(", on or before")))).to.deep.equal([
        "gpt-4o-2024-08-06: the published deprecation date (no new customers) is 2025-08-06 (no new customers)",
        "gpt-4o-2024-08-06: the published retirement date of Standard deployments is 2026-03-31 (Standard deployment type)",
        "gpt-4o-2024-08-06: the published base model retirement date is 2026-10-01 (Global Standard, Data Zone Standard and Provisioned deployment types)",
        "gpt-4o-2024-08-06: the published fine-tuning (training) retirement date is no earlier than 2027-04-01 (existing customers only; otherwise at base model retirement)",
      ]);
    });

    it("says, past base retirement, that fine-tuning stays open to existing customers only", () => {
      // Footnote 1 of the schedule: "For existing customers only. Otherwise, training retirement
      // occurs at base model retirement."
      expect(
        modelLifecycleWarnings("gpt-4.1-mini-2025-04-14", mini, day("2026-12-01")),
      ).to.deep.equal([
        `gpt-4.1-mini-2025-04-14: the published deprecation date (no new customers) is 2026-04-14 (no new customers), on or before today (2026-12-01); Azure may refuse it or may have moved the date. Source: ${RETIREMENTS}`,
        `gpt-4.1-mini-2025-04-14: the published base model retirement date is 2026-10-14, on or before today (2026-12-01); Azure may refuse it or may have moved the date. Source: ${SCHEDULE}. Fine-tuning stays open to existing customers only, until no earlier than 2027-04-14 (source: ${SCHEDULE})`,
      ]);
    });

    it("says nothing for a model with no published dates", () => {
      expect(
        modelLifecycleWarnings("gpt-oss-20b", MODEL_CATALOG["gpt-oss-20b"], day("2030-01-01")),
      ).to.deep.equal([]);
    });
  });
});

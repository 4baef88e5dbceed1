import { expect } from "chai";
import { parseStackConfig, stackConfigWarnings } from "../../config";

const today = new Date("2026-04-01T00:00:00Z");
const RETIREMENTS =
  "MicrosoftDocs/azure-ai-docs articles/ai-foundry/openai/includes/retirement/models.md @ 31c50ba1 (https://learn.microsoft.com/azure/ai-foundry/openai/concepts/model-retirements)";
const SCHEDULE =
  "MicrosoftDocs/azure-ai-docs articles/foundry/openai/includes/concepts-model-retirement-schedule-content.md @ 00bb5540 (https://learn.microsoft.com/azure/foundry/openai/concepts/model-retirements)";

describe("config/warnings", () => {
  it("says nothing for the default stack before any published date", () => {
    expect(stackConfigWarnings(parseStackConfig({}, "dev"), today)).to.deep.equal([]);
  });

  it("warns, not fails, when a model is past a published date, naming the date and the source", () => {
    const config = parseStackConfig({}, "dev");
    expect(stackConfigWarnings(config, new Date("2027-04-14T00:00:00Z"))).to.deep.equal(
      [
        ["deprecation date (no new customers)", "2026-04-14 (no new customers)", RETIREMENTS],
        ["base model retirement date", "2026-10-14", SCHEDULE],
        [
          "fine-tuning (training) retirement date",
          "no earlier than 2027-04-14 (existing customers only; otherwise at base model retirement)",
          SCHEDULE,
        ],
      ].map(
        ([what, date, source]) =>
          `gpt-4.1-mini-2025-04-14: the published ${what} is ${date}, on or before today (2027-04-14); Azure may refuse it or may have moved the date. Source: ${source}`,
      ),
    );
  });

  it("allows a model the catalog does not know, with a warning", () => {
    expect(
      stackConfigWarnings(parseStackConfig({ baseModel: "gpt-4.2-mini-2026-05-01" }, "dev"), today),
    ).to.deep.equal([
      '`azure-openai-finetune:baseModel` "gpt-4.2-mini-2026-05-01" is not in this program\'s model catalog (lib/models); it is passed to Azure as is and Azure decides whether it can be fine-tuned there. See docs/models.md for how to check which models your account can fine-tune.',
    ]);
  });

  it("labels an open model's token counts as estimates", () => {
    expect(
      stackConfigWarnings(parseStackConfig({ baseModel: "gpt-oss-20b" }, "dev"), today),
    ).to.deep.equal([
      "gpt-oss-20b uses the o200k_harmony; token counts and the cost guard use o200k_base, so they are estimates",
    ]);
  });

  it("warns that Japan East's Global training has no vision support for a vision model", () => {
    expect(
      stackConfigWarnings(
        parseStackConfig({ baseModel: "gpt-4.1-2025-04-14", location: "japaneast" }, "dev"),
        today,
      ),
    ).to.deep.equal([
      "Global training in japaneast has no vision support (source: MicrosoftDocs/azure-ai-docs articles/foundry/openai/includes/fine-tune-models.md @ 6e4fb7ad); examples with images will be refused there",
    ]);
  });

  it("names allowedIpRanges and that the deployer must be inside them", () => {
    expect(
      stackConfigWarnings(
        parseStackConfig({ allowedIpRanges: '["198.51.100.0/24","203.0.113.7"]' }, "dev"),
        today,
      ),
    ).to.deep.equal([
      "`azure-openai-finetune:allowedIpRanges` is set (198.51.100.0/24, 203.0.113.7): the account's firewall refuses every other address, so whoever runs `pulumi up` (its uploads and job calls go to the account's data plane) must reach Azure from inside one of these ranges, or those calls fail with 403",
    ]);
  });
});

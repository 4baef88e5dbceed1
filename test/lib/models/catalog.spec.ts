import { expect } from "chai";
import { FINE_TUNABLE_MODELS, GLOBAL_TRAINING_REGIONS, MODEL_CATALOG } from "../../../lib/models";

// Rows copied verbatim from Microsoft's tables. The tests read them with a few lines of parsing
// and compare with the catalog, so the catalog cannot drift from what was copied.

/** MicrosoftDocs/azure-ai-docs articles/foundry/includes/fine-tune-supported-models.md @ 10fd319b */
const FINE_TUNE_TABLE = `
| \`gpt-4o-mini\` <br> (2024-07-18) | North Central US <br> Sweden Central | US | ✅ | ✅ | SFT | GA | Text to text |
| \`gpt-4o\` <br> (2024-08-06) | East US2 <br> North Central US <br> Sweden Central | US | ✅ | ✅ | SFT, DPO | GA | Text and vision to text |
| \`gpt-4.1\` <br> (2025-04-14) | North Central US <br> Sweden Central | US | ✅ | ✅ | SFT, DPO | GA | Text and vision to text |
| \`gpt-4.1-mini\` <br> (2025-04-14) | North Central US <br> Sweden Central | US | ✅ | ✅ | SFT, DPO | GA | Text to text |
| \`gpt-4.1-nano\` (2025-04-14) | North Central US <br> Sweden Central | US | ✅ | ✅ | SFT, DPO | GA | Text to text |
| \`o4-mini\` <br> (2025-04-16) | East US2 <br> Sweden Central | US | ✅ | ❌ | RFT | GA | Text to text |
| \`gpt-5\` <br> (2025-08-07) | North Central US <br> Sweden Central | US | ✅ | ✅ | RFT | GA<sup>*</sup> | Text to text |
| \`Ministral-3B\` <br> (2411) | Not supported | US | ✅ | ❌ | SFT | GA | Text to text |
| \`Qwen-32B\` | Not supported | US | ✅ | ❌ | SFT | GA | Text to text |
| \`Llama-3.3-70B-Instruct\` | Not supported | US | ✅ | ❌ | SFT | GA | Text to text |
| \`gpt-oss-20b\` | Not supported | US | ✅ | ❌ | SFT | GA | Text to text |
`;

/** MicrosoftDocs/azure-ai-docs articles/ai-foundry/openai/includes/fine-tune-models.md @ 1e62f386 (context column) */
const CONTEXT_TABLE = `
| \`gpt-4o-mini\` <br> (2024-07-18) | Training example context length: 65,536 |
| \`gpt-4o\` <br> (2024-08-06) | Training example context length: 65,536 |
| \`gpt-4.1\` <br> (2025-04-14) | Training example context length: 65,536 |
| \`gpt-4.1-mini\` <br> (2025-04-14) | Training example context length: 65,536 |
| \`gpt-4.1-nano\` (2025-04-14) | Training example context length: 32,768 |
| \`o4-mini\` <br> (2025-04-16) | Training example context length: 65,536 |
| \`Qwen-32B\` (preview) | Training example context length: 8192 |
`;

/** MicrosoftDocs/azure-ai-docs articles/ai-foundry/openai/includes/retirement/models.md @ 31c50ba1 */
const DEPRECATION_ROWS = `
| \`gpt-4.1\` | 2025-04-14 | \`Generally Available\` | 2026-04-14 | 2026-10-14 | \`gpt-5\` |
| \`gpt-4.1-mini\` | 2025-04-14 | \`Generally Available\` | 2026-04-14 | 2026-10-14 | \`gpt-5-mini\` |
| \`gpt-4.1-nano\` | 2025-04-14 | \`Generally Available\` | 2026-04-14 | 2026-10-14 | \`gpt-5-nano\` |
| \`o4-mini\` | 2025-04-16 | \`Generally Available\` | 2026-04-16 | 2026-10-16 |  |
`;
const GPT4O_RETIREMENT =
  "Standard deployment type retires on **2026-03-31**, with auto-upgrades scheduled to start on **2026-03-09**. For other deployment types, including ALL Provisioned, Global Standard, and Data Zone Standard, the retirement date has been moved to **2026-10-01**.";

/** MicrosoftDocs/azure-ai-docs articles/foundry/openai/includes/concepts-model-retirement-schedule-content.md @ 00bb5540 */
const SCHEDULE_ROWS = `
| gpt-4.1 | 2025-04-14 | Deprecated | 2026-10-14 | — |
| gpt-4.1-mini | 2025-04-14 | Deprecated | 2026-10-14 | — |
| gpt-4.1-nano | 2025-04-14 | Deprecated | 2026-10-14 | — |
| gpt-4o | 2024-08-06 | Deprecated | 2026-10-01 | gpt-5.1 |
| gpt-4o-mini | 2024-07-18 | Deprecated | 2026-10-01 | gpt-4.1-mini |
| gpt-5 | 2025-08-07 | GA | 2027-02-06 | — |
| o4-mini | 2025-04-16 | Deprecated | 2026-10-16 | — |
`;
const SCHEDULE_FINE_TUNED_ROWS = `
| gpt-4.1 | 2025-04-14 | No earlier than 2027-04-14<sup>1</sup> | 2027-10-14 |
| gpt-4.1-mini | 2025-04-14 | No earlier than 2027-04-14<sup>1</sup> | 2027-10-14 |
| gpt-4.1-nano | 2025-04-14 | No earlier than 2027-04-14<sup>1</sup> | 2027-10-14 |
| gpt-4o | 2024-08-06 | No earlier than 2027-04-01<sup>1</sup> | 2027-10-01 |
| gpt-4o-mini | 2024-07-18 | No earlier than 2027-04-01<sup>1</sup> | 2027-10-01 |
| o4-mini | 2025-04-16 | No earlier than 2027-04-16<sup>1</sup> | 2027-10-16 |
`;
const SCHEDULE_FOOTNOTE =
  "<sup>1</sup> For existing customers only. Otherwise, training retirement occurs at base model retirement.";
/** Open models the schedule lists as GA with no retirement date. */
const SCHEDULE_UNDATED = `
| Llama-3.3-70B-Instruct | — | GA | — | — |
| Ministral-3B | 1 | GA | — | — |
`;

/** MicrosoftDocs/azure-ai-docs articles/ai-foundry/openai/how-to/fine-tuning-deploy.md @ 13842c09 */
const STANDARD_DEPLOY = `
|o4-mini             | ✅       |                  | ✅             |                  |
|GPT-4.1             |          | ✅               | ✅             |                  |
|GPT-4.1-mini        |          | ✅               | ✅             |                  |
|GPT-4.1-nano        |          | ✅               | ✅             |                  |
|GPT-4o              | ✅       |                  | ✅             |                  |
|GPT-4o-mini         |          | ✅               | ✅             |                  |
`;
const STANDARD_DEPLOY_REGIONS = ["eastus2", "northcentralus", "swedencentral", "switzerlandwest"];
const PROVISIONED_DEPLOY = `
| GPT-4.1      |                  | ✅             |
| GPT-4o       | ✅               | ✅             |
| GPT-4o-mini  | ✅               | ✅             |
`;
const PROVISIONED_DEPLOY_REGIONS = ["northcentralus", "swedencentral"];
const GLOBAL_DEPLOY = [
  "o4-mini",
  "GPT-4.1",
  "GPT-4.1-mini",
  "GPT-4.1-nano",
  "GPT-4o",
  "GPT-4o-mini",
];
const DEVELOPER_DEPLOY = ["GPT-4.1", "GPT-4.1-mini", "GPT-4.1-nano"];

/** Global training regions as the note lists them (articles/foundry/openai/includes/fine-tune-models.md @ 6e4fb7ad). */
const GLOBAL_REGIONS_NOTE =
  "Australia East, Brazil South, Canada Central, Canada East, East US, East US2, France Central, Germany West Central, Italy North, Japan East, Korea Central, North Central US, Norway East, Poland Central, Southeast Asia, South Africa North, South Central US, South India, Spain Central, Sweden Central, Switzerland West, Switzerland North, UK South, West Europe, West US, West US3";

const REGION = (display: string) => display.replace(/ /g, "").toLowerCase();
const cells = (row: string) =>
  row
    .split("|")
    .slice(1, -1)
    .map((c) => c.trim());
const rows = (table: string) => table.trim().split("\n").map(cells);
const nameOf = (cell: string) => /`([^`]+)`/.exec(cell)![1];
const byName = (name: string) =>
  Object.values(MODEL_CATALOG).filter((m) => m.name.toLowerCase() === name.toLowerCase());

describe("lib/models/catalog against Microsoft's tables", () => {
  it("has exactly the models of the fine-tuning table", () => {
    expect(Object.values(MODEL_CATALOG).map((m) => m.name)).to.have.members(
      rows(FINE_TUNE_TABLE).map((r) => nameOf(r[0])),
    );
  });

  for (const row of rows(FINE_TUNE_TABLE)) {
    const name = nameOf(row[0]);
    it(`copies ${name}'s regions, Global, Developer, methods and status`, () => {
      const [model] = byName(name);
      const version = /\(([^)]+)\)/.exec(row[0])?.[1];
      const methods = row[5]
        .split(", ")
        .map((m) => ({ SFT: "supervised", DPO: "dpo", RFT: "reinforcement" })[m]);
      expect({
        version: model.version,
        standard: model.standardRegions,
        global: model.globalTraining,
        developer: model.developerTraining,
        methods: model.methods,
        ga: model.status.startsWith("GA"),
        vision: model.vision,
      }).to.deep.equal({
        version,
        standard: row[1] === "Not supported" ? [] : row[1].split(" <br> ").map(REGION),
        global: row[3] === "✅",
        developer: row[4] === "✅",
        methods,
        ga: row[6].startsWith("GA"),
        vision: row[7] === "Text and vision to text",
      });
    });
  }

  it("copies the training example context lengths", () => {
    for (const row of rows(CONTEXT_TABLE)) {
      const [model] = byName(nameOf(row[0]));
      expect(model.maxExampleTokens, row[0]).to.equal(
        Number(row[1].split(": ")[1].replace(",", "")),
      );
    }
  });

  it("keeps the older table's deprecation dates of the gpt-4.1 family and o4-mini", () => {
    for (const row of rows(DEPRECATION_ROWS)) {
      const [model] = byName(nameOf(row[0]));
      expect(model.lifecycle.deprecation?.date, row[0]).to.equal(row[3]);
    }
  });

  it("keeps gpt-4o's split retirement from the older table", () => {
    const dates = GPT4O_RETIREMENT.match(/\*\*(\d{4}-\d{2}-\d{2})\*\*/g)!.map((d) =>
      d.slice(2, -2),
    );
    for (const name of ["gpt-4o", "gpt-4o-mini"]) {
      const [model] = byName(name);
      expect([
        model.lifecycle.standardRetirement?.date,
        model.lifecycle.retirement?.date,
      ]).to.deep.equal([dates[0], dates[2]]);
    }
  });

  it("copies the newest schedule's base retirement dates", () => {
    for (const row of rows(SCHEDULE_ROWS)) {
      const models = byName(row[0]).filter((m) => m.version === row[1]);
      expect(
        models.map((m) => m.lifecycle.retirement?.date),
        row[0],
      ).to.deep.equal([row[3]]);
    }
  });

  it("copies the newest schedule's fine-tuned floors, for existing customers only", () => {
    const note =
      /For (existing customers only)\. Otherwise, training retirement occurs (at base model retirement)\./
        .exec(SCHEDULE_FOOTNOTE)!
        .slice(1)
        .join("; otherwise ");
    for (const row of rows(SCHEDULE_FINE_TUNED_ROWS)) {
      const [model] = byName(row[0]);
      const { trainingRetirement, deploymentRetirement } = model.lifecycle;
      expect([
        model.version,
        `No earlier than ${trainingRetirement?.date}<sup>1</sup>`,
        trainingRetirement?.noEarlierThan,
        trainingRetirement?.note,
        deploymentRetirement?.date,
      ]).to.deep.equal([row[1], row[2], true, note, row[3]]);
    }
  });

  it("publishes no dates for the open models the schedule lists without one", () => {
    for (const row of rows(SCHEDULE_UNDATED)) {
      const [model] = byName(row[0]);
      expect([row[3], model.lifecycle], row[0]).to.deep.equal(["—", {}]);
    }
  });

  it("copies the Standard and Provisioned fine-tuned deployment regions", () => {
    for (const [table, regions, sku] of [
      [STANDARD_DEPLOY, STANDARD_DEPLOY_REGIONS, "Standard"],
      [PROVISIONED_DEPLOY, PROVISIONED_DEPLOY_REGIONS, "ProvisionedManaged"],
    ] as const) {
      for (const row of rows(table)) {
        const [model] = byName(row[0]);
        const expected = regions.filter((_, i) => row[i + 1] === "✅");
        expect(model.tunedDeployments[sku], `${sku} ${row[0]}`).to.deep.equal(expected);
      }
    }
  });

  it("offers Global Standard and Developer fine-tuned deployments for exactly the listed models", () => {
    const listed = (sku: "GlobalStandard" | "DeveloperTier") =>
      Object.values(MODEL_CATALOG)
        .filter((m) => m.tunedDeployments[sku] === "every-region")
        .map((m) => m.name.toLowerCase());
    expect(listed("GlobalStandard")).to.have.members(GLOBAL_DEPLOY.map((m) => m.toLowerCase()));
    expect(listed("DeveloperTier")).to.have.members(DEVELOPER_DEPLOY.map((m) => m.toLowerCase()));
  });

  it("lists the Global training regions of the note", () => {
    expect(GLOBAL_TRAINING_REGIONS).to.deep.equal(GLOBAL_REGIONS_NOTE.split(", ").map(REGION));
  });

  it("counts the open models' tokens as an estimate and the OpenAI models' exactly", () => {
    expect(
      Object.entries(MODEL_CATALOG).map(([id, m]) => [id, m.tokenizer.exact, m.tokenizer.actual]),
    ).to.deep.equal([
      ...Object.keys(FINE_TUNABLE_MODELS).map((id) => [id, true, undefined]),
      ["gpt-5-2025-08-07", true, undefined],
      ["Ministral-3B", false, "Mistral tokenizer"],
      ["Qwen-32B", false, "Qwen tokenizer"],
      ["Llama-3.3-70B-Instruct", false, "Llama 3 tokenizer"],
      ["gpt-oss-20b", false, "o200k_harmony"],
    ]);
  });
});

import { expect } from "chai";
import { validateRegionAndModel } from "../../config";
import { MODEL_CATALOG } from "../../lib/models";
import { itRejects, run } from "../support/validatorRun";

const FINE_TUNE_SOURCE =
  "MicrosoftDocs/azure-ai-docs articles/foundry/includes/fine-tune-supported-models.md @ 10fd319b (https://learn.microsoft.com/azure/ai-foundry/openai/how-to/fine-tuning)";

describe("config/regionAndModel", () => {
  it("defaults to gpt-4.1-mini on Global training in Sweden Central", () => {
    expect(run({}, validateRegionAndModel)).to.deep.equal({
      value: {
        location: "swedencentral",
        baseModel: "gpt-4.1-mini-2025-04-14",
        model: MODEL_CATALOG["gpt-4.1-mini-2025-04-14"],
        trainingType: "GlobalStandard",
      },
      problems: [],
    });
  });

  it("resolves a short model alias to its dated id", () => {
    expect(run({ baseModel: "gpt-4.1-nano" }, validateRegionAndModel).value.baseModel).to.equal(
      "gpt-4.1-nano-2025-04-14",
    );
  });

  it("passes a model the catalog does not know to Azure, unchanged", () => {
    expect(run({ baseModel: "gpt-4.2-mini-2026-05-01" }, validateRegionAndModel)).to.deep.equal({
      value: {
        location: "swedencentral",
        baseModel: "gpt-4.2-mini-2026-05-01",
        model: undefined,
        trainingType: "GlobalStandard",
      },
      problems: [],
    });
  });

  const cases: [string, Record<string, string>, string][] = [
    [
      "a region without fine-tuning",
      { location: "westus9" },
      '`azure-openai-finetune:location` is "westus9"; use a region that offers fine-tuning: australiaeast, brazilsouth, canadacentral, canadaeast, eastus, eastus2, francecentral, germanywestcentral, italynorth, japaneast, koreacentral, northcentralus, norwayeast, polandcentral, southafricanorth, southcentralus, southeastasia, southindia, spaincentral, swedencentral, switzerlandnorth, switzerlandwest, uksouth, westeurope, westus, westus3',
    ],
    [
      "a fine-tuned model as base",
      { baseModel: "gpt-4o-2024-08-06.ft-abc123" },
      '`azure-openai-finetune:baseModel` is "gpt-4o-2024-08-06.ft-abc123"; use a base model id such as gpt-4.1-mini-2025-04-14 (see docs/models.md)',
    ],
    [
      "a model id with a space",
      { baseModel: "gpt 4o" },
      '`azure-openai-finetune:baseModel` is "gpt 4o"; use a base model id such as gpt-4.1-mini-2025-04-14 (see docs/models.md)',
    ],
    [
      "a model fine-tuned only by reinforcement (o4-mini)",
      { baseModel: "o4-mini-2025-04-16" },
      '`azure-openai-finetune:baseModel` is "o4-mini-2025-04-16" but it is fine-tuned only with reinforcement, which this program does not run (it runs supervised and DPO jobs); use one of gpt-4o-2024-08-06, gpt-4o-mini-2024-07-18, gpt-4.1-2025-04-14, gpt-4.1-mini-2025-04-14, gpt-4.1-nano-2025-04-14, Ministral-3B, Qwen-32B, Llama-3.3-70B-Instruct, gpt-oss-20b',
    ],
    [
      "Standard training outside the model's regions",
      { trainingType: "Standard", location: "eastus" },
      `\`azure-openai-finetune:location\` is "eastus" but Standard training of gpt-4.1-mini-2025-04-14 runs only in northcentralus, swedencentral (source: ${FINE_TUNE_SOURCE}); change \`azure-openai-finetune:location\` or set \`azure-openai-finetune:trainingType\` to GlobalStandard`,
    ],
    [
      "Developer training of a model that has none",
      { baseModel: "Qwen-32B", trainingType: "Developer" },
      `\`azure-openai-finetune:trainingType\` is "Developer" but Qwen-32B offers no Developer training (source: ${FINE_TUNE_SOURCE}); set \`azure-openai-finetune:trainingType\` to GlobalStandard`,
    ],
    [
      "Standard training of an open model",
      { baseModel: "gpt-oss-20b", trainingType: "Standard" },
      `\`azure-openai-finetune:location\` is "swedencentral" but Standard training of gpt-oss-20b is not offered (source: ${FINE_TUNE_SOURCE}); change \`azure-openai-finetune:location\` or set \`azure-openai-finetune:trainingType\` to GlobalStandard`,
    ],
    [
      "Global training of gpt-4.1-nano in Poland Central",
      { baseModel: "gpt-4.1-nano-2025-04-14", location: "polandcentral" },
      '`azure-openai-finetune:location` is "polandcentral" but Global training there does not include gpt-4.1-nano (source: MicrosoftDocs/azure-ai-docs articles/foundry/openai/includes/fine-tune-models.md @ 6e4fb7ad); choose another region or model',
    ],
    [
      "an unknown training type",
      { trainingType: "Spot" },
      '`azure-openai-finetune:trainingType` is "Spot"; allowed values: Standard, GlobalStandard, Developer',
    ],
  ];
  itRejects(cases, validateRegionAndModel);
});

import { expect } from "chai";
import { baseModelReference, validateDeployments, type DeploymentContext } from "../../config";
import { MODEL_CATALOG } from "../../lib/models";
import { run } from "../support/validatorRun";

const DEPLOY_SOURCE =
  "MicrosoftDocs/azure-ai-docs articles/ai-foundry/openai/how-to/fine-tuning-deploy.md @ 13842c09 (https://learn.microsoft.com/azure/ai-foundry/openai/how-to/fine-tuning-deploy#deployment-types)";

const context = (id: string, location = "swedencentral"): DeploymentContext => ({
  baseModel: id,
  model: MODEL_CATALOG[id],
  location,
  suffix: "travel",
  suffixValid: true,
});

describe("config/deployments", () => {
  it("deploys the base model and names both deployments after the model", () => {
    expect(
      run({}, (r) => validateDeployments(r, context("gpt-4.1-mini-2025-04-14"))),
    ).to.deep.equal({
      value: {
        baseDeployment: true,
        baseDeploymentName: "gpt-4.1-mini-base",
        baseDeploymentSku: "GlobalStandard",
        baseDeploymentCapacity: 10,
        tunedDeploymentName: "gpt-4.1-mini-travel",
        tunedDeploymentSku: "GlobalStandard",
        tunedDeploymentCapacity: 1,
      },
      problems: [],
    });
  });

  it("skips the base deployment when asked", () => {
    const { value } = run({ baseDeployment: "false" }, (r) =>
      validateDeployments(r, context("gpt-4.1-mini-2025-04-14")),
    );
    expect(value.baseDeployment).to.equal(false);
  });

  it("skips the base deployment of an open model by default (no Azure OpenAI model to deploy)", () => {
    const { value, problems } = run({}, (r) => validateDeployments(r, context("gpt-oss-20b")));
    expect([value.baseDeployment, value.tunedDeploymentName, problems]).to.deep.equal([
      false,
      "gpt-oss-20b-travel",
      [],
    ]);
  });

  describe("baseModelReference", () => {
    it("takes the catalog's name and version, or splits a dated unknown id", () => {
      expect([
        baseModelReference("gpt-4o-2024-08-06", MODEL_CATALOG["gpt-4o-2024-08-06"]),
        baseModelReference("gpt-4.2-2026-05-01"),
        baseModelReference("my-model"),
        baseModelReference("Qwen-32B", MODEL_CATALOG["Qwen-32B"]),
      ]).to.deep.equal([
        { name: "gpt-4o", version: "2024-08-06" },
        { name: "gpt-4.2", version: "2026-05-01" },
        undefined,
        undefined,
      ]);
    });
  });

  const cases: [string, Record<string, string>, DeploymentContext, string][] = [
    [
      "a capacity out of range",
      { baseDeploymentCapacity: "0" },
      context("gpt-4.1-mini-2025-04-14"),
      '`azure-openai-finetune:baseDeploymentCapacity` is "0"; use a whole number from 1 to 10000',
    ],
    [
      "an unknown base SKU",
      { baseDeploymentSku: "Premium" },
      context("gpt-4.1-mini-2025-04-14"),
      '`azure-openai-finetune:baseDeploymentSku` is "Premium"; allowed values: Standard, GlobalStandard, DataZoneStandard, ProvisionedManaged, GlobalProvisionedManaged',
    ],
    [
      "a Developer deployment of gpt-4o",
      { tunedDeploymentSku: "DeveloperTier" },
      context("gpt-4o-2024-08-06"),
      `\`azure-openai-finetune:tunedDeploymentSku\` is "DeveloperTier" but a DeveloperTier fine-tuned deployment is not offered for gpt-4o-2024-08-06 (source: ${DEPLOY_SOURCE}); in swedencentral use one of: Standard, GlobalStandard, ProvisionedManaged`,
    ],
    [
      "a Standard deployment of gpt-4o in North Central US",
      { tunedDeploymentSku: "Standard" },
      context("gpt-4o-2024-08-06", "northcentralus"),
      `\`azure-openai-finetune:tunedDeploymentSku\` is "Standard" but a Standard fine-tuned deployment runs for gpt-4o-2024-08-06 only in eastus2, swedencentral (source: ${DEPLOY_SOURCE}); in northcentralus use one of: GlobalStandard, ProvisionedManaged`,
    ],
    [
      "a tuned deployment name with no room for the model hash",
      { tunedDeploymentName: "a".repeat(56) },
      context("gpt-4.1-mini-2025-04-14"),
      `\`azure-openai-finetune:tunedDeploymentName\` is "${"a".repeat(56)}"; use 2-55 letters, digits, '.', '_' or '-', starting with a letter or digit (the deployment's name adds '-' and 8 characters of the fine-tuned model's hash)`,
    ],
    [
      "a base deployment name with a space",
      { baseDeploymentName: "my base" },
      context("gpt-4.1-mini-2025-04-14"),
      "`azure-openai-finetune:baseDeploymentName` is \"my base\"; use 2-64 letters, digits, '.', '_' or '-', starting with a letter or digit",
    ],
    [
      "a base deployment of an undated unknown model",
      { baseDeployment: "true" },
      { baseModel: "my-model", location: "swedencentral", suffix: "travel", suffixValid: true },
      "`azure-openai-finetune:baseDeployment` is true but the program cannot deploy my-model as an Azure OpenAI model; set `azure-openai-finetune:baseDeployment` to false",
    ],
  ];
  for (const [what, raw, ctx, message] of cases) {
    it(`rejects ${what}`, () => {
      expect(run(raw, (r) => validateDeployments(r, ctx)).problems).to.deep.equal([message]);
    });
  }
});

import { expect } from "chai";
import { TYPES } from "../../../policy/resources";
import {
  deploymentCapacityCap,
  trainingTokensCap,
  tunedDeploymentSku,
} from "../../../policy/rules/cost";
import { baseDeployment, tunedDeployment } from "../fixtures";
import { stackConfigForEachTest, type TestResource, UNKNOWN, validateResource } from "../support";

/** A TrainingFile's inputs after the provider's `check` (dynamic-providers/trainingFile.ts). */
function trainingFile(name: string, props: Record<string, unknown>): TestResource {
  return {
    type: TYPES.trainingFile,
    name,
    props: {
      endpoint: "https://aoift-dev-0123456789.cognitiveservices.azure.com/",
      path: "data/travel-assistant.jsonl",
      model: "gpt-4.1-mini-2025-04-14",
      purpose: "fine-tune",
      epochs: 3,
      sha256: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
      totalTokens: 40000,
      estimatedBilledTokens: 120000,
      ...props,
    },
  };
}

const DEV = { "azure-openai-finetune:environment": "dev" };
const PROD = {
  "azure-openai-finetune:environment": "prod",
  "azure-openai-finetune:production": "true",
};

describe("policy: cost rules", () => {
  const setStackConfig = stackConfigForEachTest();

  describe("training-tokens-cap", () => {
    it("passes a training file under the default cap of 5,000,000", async () => {
      const file = trainingFile("ft-dev-tuned-training-file", { estimatedBilledTokens: 5000000 });
      expect(await validateResource([trainingTokensCap], file)).to.deep.equal([]);
    });

    it("fails a training file over the cap the stack's policy config sets", async () => {
      const diagnostics = await validateResource(
        [trainingTokensCap],
        trainingFile("ft-dev-tuned-training-file", {}),
        { "training-tokens-cap": { maxBilledTokens: 100000 } },
      );
      expect(diagnostics.map((d) => [d.level, d.reported])).to.deep.equal([
        [
          "mandatory",
          "training on data/travel-assistant.jsonl would bill about 120000 tokens, above the policy cap maxBilledTokens 100000; " +
            "shrink the data, lower `azure-openai-finetune:epochs`, or raise maxBilledTokens in the stack's policy config",
        ],
      ]);
    });

    it("does not count validation data, which is not billed", async () => {
      const validation = trainingFile("ft-dev-tuned-validation-file", {
        estimatedBilledTokens: 9000000,
      });
      expect(await validateResource([trainingTokensCap], validation)).to.deep.equal([]);
    });

    it("reports at preview that an unmeasured file cannot be judged yet", async () => {
      const file = trainingFile("ft-dev-tuned-training-file", {
        estimatedBilledTokens: undefined,
        sha256: UNKNOWN,
      });
      const diagnostics = await validateResource([trainingTokensCap], file);
      expect(diagnostics.map((d) => [d.level, d.reported])).to.deep.equal([
        [
          "advisory",
          "can't run policy 'training-tokens-cap' from policy pack 'azure-openai-finetune@v0.1.0' during preview: string value at .sha256 can't be known during preview",
        ],
      ]);
    });

    it("fails a file created without the measuring class", async () => {
      const file = trainingFile("ft-dev-tuned-training-file", {
        estimatedBilledTokens: undefined,
        sha256: undefined,
      });
      const diagnostics = await validateResource([trainingTokensCap], file);
      expect(diagnostics.map((d) => d.reported)).to.deep.equal([
        "estimatedBilledTokens is not set (sha256 not set); create the file through the TrainingFile class, which measures it",
      ]);
    });
  });

  describe("tuned-deployment-no-hourly-sku-outside-production", () => {
    it("fails an hourly-billed tuned deployment in a non-production stack", async () => {
      setStackConfig(DEV);
      const diagnostics = await validateResource(
        [tunedDeploymentSku],
        tunedDeployment({ name: "Standard", capacity: 10 }),
      );
      expect(diagnostics.map((d) => [d.level, d.reported])).to.deep.equal([
        [
          "mandatory",
          'the fine-tuned model is deployed as "Standard", which bills an hourly hosting fee, in a non-production stack (`azure-openai-finetune:production`); ' +
            'set `azure-openai-finetune:tunedDeploymentSku` to one of DeveloperTier, or list "Standard" in nonProductionSkus of the stack\'s policy config',
        ],
      ]);
    });

    it("passes DeveloperTier outside production and Standard in production", async () => {
      setStackConfig(DEV);
      const developer = tunedDeployment({ name: "DeveloperTier", capacity: 50 });
      expect(await validateResource([tunedDeploymentSku], developer)).to.deep.equal([]);
      setStackConfig(PROD);
      const standard = tunedDeployment({ name: "Standard", capacity: 10 });
      expect(await validateResource([tunedDeploymentSku], standard)).to.deep.equal([]);
    });

    it("recognises the tuned deployment at preview, when the job's model is still unknown", async () => {
      const preview = { ...tunedDeployment({ name: "GlobalStandard", capacity: 1 }, UNKNOWN) };
      const { urn: _urn, ...topLevel } = preview;
      const diagnostics = await validateResource([tunedDeploymentSku], topLevel, {
        "tuned-deployment-no-hourly-sku-outside-production": { production: false },
      });
      expect(diagnostics.map((d) => d.reported)).to.deep.equal([
        'the fine-tuned model is deployed as "GlobalStandard", which bills an hourly hosting fee, in a non-production stack (the policy config); ' +
          'set `azure-openai-finetune:tunedDeploymentSku` to one of DeveloperTier, or list "GlobalStandard" in nonProductionSkus of the stack\'s policy config',
      ]);
    });

    it("leaves the base model's deployment alone", async () => {
      setStackConfig(DEV);
      const base = baseDeployment({ name: "GlobalStandard", capacity: 10 });
      expect(await validateResource([tunedDeploymentSku], base)).to.deep.equal([]);
    });

    it("fails when it cannot tell whether the stack is production", async () => {
      const diagnostics = await validateResource(
        [tunedDeploymentSku],
        tunedDeployment({ name: "DeveloperTier", capacity: 50 }),
      );
      expect(diagnostics.map((d) => d.reported)).to.deep.equal([
        "the pack cannot see whether this stack is production: `azure-openai-finetune:production` did not reach it; " +
          'set "production" for this policy in the stack\'s policy config (--policy-pack-config policy/config/<stack>.json)',
      ]);
    });
  });

  describe("deployment-capacity-cap", () => {
    it("fails a deployment above the default cap of 100 and names the capacity setting", async () => {
      const base = await validateResource(
        [deploymentCapacityCap],
        baseDeployment({ name: "GlobalStandard", capacity: 150 }),
      );
      expect(base.map((d) => d.reported)).to.deep.equal([
        'sku.capacity 150 ("GlobalStandard") is above the cap 100; lower `azure-openai-finetune:baseDeploymentCapacity` or raise the cap in the stack\'s policy config',
      ]);
      const tuned = await validateResource(
        [deploymentCapacityCap],
        tunedDeployment({ name: "Standard", capacity: 101 }),
      );
      expect(tuned.map((d) => d.reported)).to.deep.equal([
        'sku.capacity 101 ("Standard") is above the cap 100; lower `azure-openai-finetune:tunedDeploymentCapacity` or raise the cap in the stack\'s policy config',
      ]);
    });

    it("applies a per-SKU cap before the general one", async () => {
      const config = {
        "deployment-capacity-cap": { maxCapacity: 100, maxCapacityBySku: { Standard: 20 } },
      };
      const standard = tunedDeployment({ name: "Standard", capacity: 30 });
      const [d] = await validateResource([deploymentCapacityCap], standard, config);
      expect(d.reported).to.match(/^sku\.capacity 30 \("Standard"\) is above the cap 20; /);
      const developer = tunedDeployment({ name: "DeveloperTier", capacity: 50 });
      expect(await validateResource([deploymentCapacityCap], developer, config)).to.deep.equal([]);
    });
  });
});

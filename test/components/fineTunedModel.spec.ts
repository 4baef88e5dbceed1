import { expect } from "chai";
import { tunedDeploymentName, validateFineTunedModelArgs } from "../../components/fineTunedModel";

const valid = {
  baseModel: "gpt-4.1-mini-2025-04-14",
  deploymentNamePrefix: "gpt-4.1-mini-travel",
  epochs: 3 as number | "auto",
  maxBilledTokens: 500000,
};

describe("components/fineTunedModel", () => {
  describe("tunedDeploymentName", () => {
    it("appends the first 8 hex digits of the model id's SHA-256", () => {
      // printf %s gpt-4o-2024-08-06.ft-0123456789abcdef0123456789abcdef | sha256sum → e13707c1…
      expect(
        tunedDeploymentName("travel", "gpt-4o-2024-08-06.ft-0123456789abcdef0123456789abcdef"),
      ).to.equal("travel-e13707c1");
    });

    it("gives each fine-tuned model its own name and the same model the same name", () => {
      const a = "gpt-4.1-mini-2025-04-14.ft-0123456789abcdef0123456789abcdef";
      const b = "gpt-4.1-mini-2025-04-14.ft-fedcba9876543210fedcba9876543210";
      expect([
        tunedDeploymentName("t", a),
        tunedDeploymentName("t", a),
        tunedDeploymentName("t", b),
      ]).to.deep.equal(["t-a666fcdc", "t-a666fcdc", "t-913b298b"]);
    });
  });

  describe("validateFineTunedModelArgs", () => {
    it("accepts valid arguments", () => {
      expect(validateFineTunedModelArgs(valid)).to.deep.equal([]);
    });

    it("names each bad argument, its value and the fix", () => {
      expect(
        validateFineTunedModelArgs({
          baseModel: "gpt 4o",
          deploymentNamePrefix: "-x",
          epochs: 0,
          maxBilledTokens: 1.5,
        }),
      ).to.deep.equal([
        '`baseModel` "gpt 4o" is not a model id; use one such as gpt-4.1-mini-2025-04-14.',
        "`deploymentNamePrefix` \"-x\" must be 2-55 letters, digits, '.', '_' or '-', starting with a letter or digit.",
        '`epochs` 0 must be "auto" or a whole number from 1.',
        "`maxBilledTokens` 1.5 must be a whole number from 1.",
      ]);
    });

    it("refuses a prefix that leaves no room for the model hash within ARM's 64 characters", () => {
      expect(
        validateFineTunedModelArgs({ ...valid, deploymentNamePrefix: "a".repeat(56) }),
      ).to.deep.equal([
        `\`deploymentNamePrefix\` "${"a".repeat(56)}" must be 2-55 letters, digits, '.', '_' or '-', starting with a letter or digit.`,
      ]);
    });
  });
});

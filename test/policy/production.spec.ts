import { expect } from "chai";
import { resolveProduction, stackConfigFromEnv } from "../../policy/production";

describe("policy: whether the stack is production", () => {
  it("reads the stack setting the engine passes in PULUMI_CONFIG", () => {
    const env = { PULUMI_CONFIG: '{"azure-openai-finetune:production":"true"}' };
    expect(resolveProduction({}, stackConfigFromEnv(env))).to.deep.equal({
      production: true,
      source: "`azure-openai-finetune:production`",
    });
  });

  it("takes an unset setting as false once the program's config is visible", () => {
    const stack = { "azure-openai-finetune:environment": "dev" };
    expect(resolveProduction({}, stack)).to.deep.equal({
      production: false,
      source: "`azure-openai-finetune:production`",
    });
  });

  it("falls back to the policy config when the stack config did not reach the pack", () => {
    expect(resolveProduction({ production: true }, undefined)).to.deep.equal({
      production: true,
      source: "the policy config",
    });
    expect(resolveProduction({ production: true }, { "aws:region": "x" })).to.deep.equal({
      production: true,
      source: "the policy config",
    });
  });

  it("ignores a PULUMI_CONFIG that is not a JSON object", () => {
    expect(stackConfigFromEnv({ PULUMI_CONFIG: "not json" })).to.equal(undefined);
    expect(stackConfigFromEnv({ PULUMI_CONFIG: "" })).to.equal(undefined);
    expect(stackConfigFromEnv({})).to.equal(undefined);
  });
});

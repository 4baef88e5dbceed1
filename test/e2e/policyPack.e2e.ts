import { expect } from "chai";
import * as fs from "node:fs";
import * as path from "node:path";
import { installPolicyRunner } from "../../sandbox/policyPack";
import { OfflinePulumi, pulumiBinDir, REPO_ROOT } from "./support/pulumi";

/**
 * The policy pack under the real engine, offline: a prod-like stack that breaks mandatory rules
 * fails `preview` and `up` with the rules' names and creates nothing; within the rules it passes.
 * The pack runs the way `npm run sandbox` runs it (sandbox/policyPack.ts).
 */
describe("e2e: the policy pack fails a prod-like preview", function () {
  let pulumi: OfflinePulumi;
  let policyConfig: string;

  before(async () => {
    pulumi = new OfflinePulumi(pulumiBinDir(), "prod", {
      E2E_PROGRAM: path.join(__dirname, "policy", "program.ts"),
    });
    const shim = installPolicyRunner(
      pulumi.stateDir,
      pulumi.env.PULUMI_HOME!,
      path.join(REPO_ROOT, "policy"),
    );
    policyConfig = path.join(pulumi.stateDir, "policy-config.json");
    fs.writeFileSync(
      policyConfig,
      JSON.stringify({ "training-tokens-cap": { maxBilledTokens: 1000 } }),
    );
    pulumi.env.E2E_POLICY_PACK = shim;
    pulumi.env.E2E_POLICY_PACK_CONFIG = policyConfig;
    await pulumi.ok(pulumi.cli(["stack", "init", "prod"]));
    const set = (key: string, value: string) =>
      pulumi.ok(pulumi.cli(["config", "set", `azure-openai-finetune:${key}`, value]));
    await set("production", "true");
    // A production purge passes the program's config only with protection and retention
    // turned off explicitly (docs/accounts.md); the pack must still refuse it.
    await set("purgeOnDestroy", "true");
    await set("protectAccount", "false");
    await set("retainAccountOnDelete", "false");
    await set("trainingFile", path.join(REPO_ROOT, "data", "travel-assistant.jsonl"));
  });

  after(() => pulumi?.cleanup());

  it("fails preview with each broken mandatory rule's name", async () => {
    const run = await pulumi.engine("preview");
    expect(run.code).to.equal(1);
    expect(run.output).to.include("[mandatory]  purge-on-destroy-off-in-production");
    expect(run.output).to.include("[mandatory]  training-tokens-cap");
    expect(run.output).to.include(
      "training on " +
        path.join(REPO_ROOT, "data", "travel-assistant.jsonl") +
        " would bill about 4884 tokens, above the policy cap maxBilledTokens 1000",
    );
  });

  it("fails up before anything is created", async () => {
    const run = await pulumi.engine("up");
    expect(run.code).to.equal(1);
    const exported = await pulumi.ok(pulumi.cli(["stack", "export"]));
    const state = JSON.parse(exported.output) as {
      deployment: { resources?: { type: string }[] };
    };
    // The engine records the stack and its default provider; no resource of the program exists.
    const created = (state.deployment.resources ?? []).filter(
      (r) => r.type !== "pulumi:pulumi:Stack" && !r.type.startsWith("pulumi:providers:"),
    );
    expect(created).to.deep.equal([]);
  });

  it("passes once the stack keeps its account on destroy and trains within the cap", async () => {
    await pulumi.ok(pulumi.cli(["config", "set", "azure-openai-finetune:purgeOnDestroy", "false"]));
    fs.writeFileSync(
      policyConfig,
      JSON.stringify({ "training-tokens-cap": { maxBilledTokens: 10000 } }),
    );
    const run = await pulumi.engine("preview");
    expect(run.code, run.output).to.equal(0);
  });
});

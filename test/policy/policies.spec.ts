import { expect } from "chai";
import * as fs from "node:fs";
import * as path from "node:path";
import type * as pulumi from "@pulumi/pulumi";
import { trainingFileProvider } from "../../dynamic-providers/trainingFile";
import { createPolicies, POLICIES } from "../../policy/policies";
import { TYPES } from "../../policy/resources";
import { runProgram } from "../support/mockProgram";
import { namespaced, PROJECT_ROOT, stackConfig } from "../support/stackConfig";
import {
  type Diagnostic,
  type PolicyConfig,
  stackConfigForEachTest,
  type TestResource,
  validateAll,
} from "./support";

const CONFIG_DIR = path.join(PROJECT_ROOT, "policy", "config");
const LEVELS = ["advisory", "mandatory", "remediate", "disabled"];
/** The pack with "today" pinned, so the catalog's dates give the same advisories every day. */
const PINNED = createPolicies(() => new Date("2026-11-30T00:00:00Z"));

function policyConfig(stack: string): PolicyConfig {
  return JSON.parse(fs.readFileSync(path.join(CONFIG_DIR, `${stack}.json`), "utf8"));
}

/**
 * The stack's resources as the engine hands them to the pack at preview: the program's inputs,
 * and for a TrainingFile the inputs after its provider's `check` (which adds the measurements).
 */
async function previewResources(
  stack: string,
  overrides: Record<string, string> = {},
): Promise<TestResource[]> {
  const run = await runProgram(stack, overrides);
  const resources: TestResource[] = [];
  for (const r of run.resources.filter((x) => x.custom)) {
    let props = r.inputs;
    if (r.type === TYPES.trainingFile) {
      const check = trainingFileProvider.check!.bind(trainingFileProvider) as (
        olds: unknown,
        news: unknown,
      ) => Promise<pulumi.dynamic.CheckResult>;
      const checked = await check({}, r.inputs);
      expect(checked.failures ?? []).to.deep.equal([]);
      props = checked.inputs as Record<string, unknown>;
    }
    resources.push({ type: r.type, name: r.name, urn: r.urn, props });
  }
  return resources;
}

function summary(diagnostics: Diagnostic[]): string[] {
  return [...new Set(diagnostics.map((d) => `${d.level} ${d.policy}`))].sort();
}

describe("policy: the pack", function () {
  // Each example runs the whole program under mocks, validating the training data.
  this.timeout(60_000);
  const setStackConfig = stackConfigForEachTest();

  it("names each policy once", () => {
    const names = POLICIES.map((p) => p.name);
    expect(new Set(names).size).to.equal(names.length);
  });

  for (const file of fs.readdirSync(CONFIG_DIR).filter((f) => f.endsWith(".json"))) {
    it(`config/${file} sets only the pack's policies, their properties and valid levels`, () => {
      const config = JSON.parse(fs.readFileSync(path.join(CONFIG_DIR, file), "utf8"));
      for (const [name, value] of Object.entries(config as Record<string, unknown>)) {
        const policy = POLICIES.find((p) => p.name === name);
        expect(policy, `policy ${name}`).to.not.equal(undefined);
        const entries = typeof value === "string" ? { enforcementLevel: value } : value;
        for (const [key, setting] of Object.entries(entries as Record<string, unknown>)) {
          if (key === "enforcementLevel") expect(LEVELS).to.include(setting);
          else expect(Object.keys(policy!.configSchema?.properties ?? {})).to.include(key);
        }
      }
    });
  }

  it("passes every mandatory rule with the prod example's values, advising only what prod accepts", async () => {
    // The policy config says production (the route where the stack config does not reach the pack).
    const diagnostics = await validateAll(
      PINNED,
      await previewResources("prod"),
      policyConfig("prod"),
    );
    expect(diagnostics.filter((d) => d.level === "mandatory")).to.deep.equal([]);
    expect(summary(diagnostics)).to.deep.equal([
      "advisory ai-services-private-link",
      "advisory cognitive-services-customer-managed-key",
      "advisory model-retirement",
    ]);
  });

  it("passes every mandatory rule when the prod stack's own config says production", async () => {
    // The analyzer-plugin route: the engine passes Pulumi.prod.yaml in PULUMI_CONFIG, and the
    // policy config (which says production too) must agree with it.
    setStackConfig(namespaced(stackConfig("prod")));
    const diagnostics = await validateAll(
      PINNED,
      await previewResources("prod"),
      policyConfig("prod"),
    );
    expect(summary(diagnostics)).to.deep.equal([
      "advisory ai-services-private-link",
      "advisory cognitive-services-customer-managed-key",
      "advisory model-retirement",
    ]);
  });

  it("passes every mandatory rule with the dev example's values, advising what dev accepts", async () => {
    const diagnostics = await validateAll(
      PINNED,
      await previewResources("dev"),
      policyConfig("dev"),
    );
    expect(summary(diagnostics)).to.deep.equal([
      "advisory ai-services-private-link",
      "advisory ai-services-restrict-network-access",
      "advisory cognitive-services-customer-managed-key",
      "advisory model-retirement",
    ]);
  });

  it("fails a prod-like stack that purges on destroy and opens the firewall, naming the rules", async () => {
    // The config allows a production purge only with protection and retention turned off
    // explicitly (config/accountSource.ts); the pack still refuses the purge itself.
    const resources = await previewResources("prod", {
      purgeOnDestroy: "true",
      protectAccount: "false",
      retainAccountOnDelete: "false",
      allowedIpRanges: "[]",
    });
    const diagnostics = await validateAll(PINNED, resources, policyConfig("prod"));
    expect(summary(diagnostics.filter((d) => d.level === "mandatory"))).to.deep.equal([
      "mandatory ai-services-restrict-network-access",
      "mandatory network-restricted-in-production",
      "mandatory purge-on-destroy-off-in-production",
    ]);
  });
});

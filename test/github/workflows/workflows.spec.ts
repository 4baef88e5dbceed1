import { expect } from "chai";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { load } from "js-yaml";
import { REPO_ROOT } from "../scripts/support";

const WORKFLOWS = join(REPO_ROOT, ".github", "workflows");
const workflow = (file: string) =>
  load(readFileSync(join(WORKFLOWS, file), "utf8")) as Record<string, any>;

interface Step {
  uses?: string;
  with?: Record<string, unknown>;
}

/** Every step of every job that signs in through setup-stack, with its identity. */
function signIns(): { file: string; job: string; identity: unknown; environment: unknown }[] {
  return readdirSync(WORKFLOWS).flatMap((file) =>
    Object.entries(workflow(file).jobs as Record<string, any>).flatMap(([job, spec]) =>
      ((spec.steps ?? []) as Step[])
        .filter((s) => s.uses === "./.github/actions/setup-stack")
        .map((s) => ({ file, job, identity: s.with?.identity, environment: spec.environment })),
    ),
  );
}

/** The stacks and runner labels of a matrix job. */
function matrixRunners(file: string, job: string): Record<string, unknown> {
  const include = workflow(file).jobs[job].strategy.matrix.include as Record<string, string>[];
  return Object.fromEntries(include.map((m) => [m.stack, JSON.parse(m.runner)]));
}

describe(".github/workflows", () => {
  it("signs in as the deploy identity only in the environment-bound up job", () => {
    expect(signIns()).to.deep.equal([
      { file: "drift.yml", job: "drift", identity: "preview", environment: undefined },
      { file: "preview.yml", job: "preview", identity: "preview", environment: undefined },
      {
        file: "pulumi-stack.yml",
        job: "up",
        identity: "deploy",
        environment: "${{ inputs.stack }}",
      },
    ]);
  });

  it("runs every prod job on the self-hosted runner inside the account's allowedIpRanges", () => {
    const prod = ["self-hosted", "aoift-prod"];
    expect(matrixRunners("preview.yml", "preview")).to.deep.equal({ dev: "ubuntu-24.04", prod });
    expect(matrixRunners("drift.yml", "drift")).to.deep.equal({ dev: "ubuntu-24.04", prod });
    expect(JSON.parse(workflow("deploy.yml").jobs.prod.with["runs-on"])).to.deep.equal(prod);
  });

  it("repairs expected expiries by itself only on dev", () => {
    const include = workflow("drift.yml").jobs.drift.strategy.matrix.include;
    expect(include.map((m: any) => [m.stack, m.repair])).to.deep.equal([
      ["dev", true],
      ["prod", false],
    ]);
  });

  it("has a stack file and a policy config for every stack a workflow runs", () => {
    for (const stack of Object.keys(matrixRunners("preview.yml", "preview"))) {
      expect(existsSync(join(REPO_ROOT, `Pulumi.${stack}.yaml`)), stack).to.equal(true);
      expect(existsSync(join(REPO_ROOT, "policy", "config", `${stack}.json`)), stack).to.equal(
        true,
      );
    }
  });

  it("runs what .ci/run runs on every pull request", () => {
    const ci = workflow("ci.yml");
    expect(Object.keys(ci.on)).to.deep.equal(["pull_request", "push"]);
    expect(ci.jobs.test.steps.at(-1).run).to.equal("bash .ci/run");
    // The commands of .ci/run, comments and shell set-up aside, in order.
    const commands = readFileSync(join(REPO_ROOT, ".ci", "run"), "utf8")
      .split("\n")
      .map((line) => line.replace(/#.*$/, "").trim())
      .filter((line) => line !== "" && !/^(set|cd) /.test(line));
    expect(commands).to.deep.equal([
      "bash scripts/setup.sh --e2e",
      "npm test",
      "npm run lint:workflows",
      "npm run test:e2e",
    ]);
  });

  it("has no destroy workflow (a person destroys, docs/gitops.md)", () => {
    expect(existsSync(join(WORKFLOWS, "destroy.yml"))).to.equal(false);
  });

  it("pins every third-party action to a commit with its version beside it", () => {
    const files = [
      ...readdirSync(WORKFLOWS).map((f) => join(WORKFLOWS, f)),
      join(REPO_ROOT, ".github", "actions", "setup-stack", "action.yml"),
    ];
    const uses = files.flatMap((f) =>
      readFileSync(f, "utf8")
        .split("\n")
        .filter((l) => /^\s*(-\s+)?uses:\s+[^.]/.test(l))
        .map((l) => l.trim().replace(/^-\s+/, "")),
    );
    expect(uses.length).to.be.greaterThan(0);
    for (const line of uses) {
      expect(line).to.match(/^uses: [\w.-]+\/[\w.-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+/);
    }
    expect(uses).to.include(
      "uses: azure/login@f5d393ae46f8fde4be8b75f32e3fc50e654ad0ca # v3.0.1 (runs on node24)",
    );
  });
});

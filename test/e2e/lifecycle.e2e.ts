import { expect } from "chai";
import * as fs from "node:fs";
import * as path from "node:path";
import { RunningEmulator, startEmulator } from "../../emulator/server";
import { OfflinePulumi, pulumiBinDir } from "./support/pulumi";
import { cookbookTokens, trainingData } from "./support/trainingData";

/**
 * The real Pulumi engine (file backend, passphrase secrets, no network) driving the project's
 * dynamic providers against the emulator, on a small test program (test/e2e/program). The whole
 * program's lifecycle (no-op up, retrain, refresh, destroy, no key in state) runs in
 * test/e2e/sandbox/; what stays here is what that suite does not drive yet: the CLI killed
 * mid-job, and preview failing on invalid data or the cost cap with no request.
 */

const API_KEY = "e2e-emulator-key-0123456789abcdef";
const STACK = "e2e";

describe("e2e: pulumi lifecycle against the emulator", function () {
  let emulator: RunningEmulator;
  let pulumi: OfflinePulumi;
  let dataDir: string;
  let trainingPath: string;
  const started = Date.now();
  let firstUpRequests:
    { total: number; mutating: number; routes: Record<string, number> } | undefined;

  const counters = () => emulator.admin.counters();
  const jobCreates = () => counters().routes["POST /openai/fine_tuning/jobs"] ?? 0;
  const jobs = () => emulator.admin.state().jobs as { id: string; status: string }[];
  const files = () =>
    (emulator.admin.state().files as { id: string; purpose: string }[]).filter(
      (f) => f.purpose === "fine-tune",
    );
  const outputs = async (): Promise<Record<string, unknown>> =>
    JSON.parse(
      (await pulumi.ok(pulumi.cli(["stack", "output", "--json", "--show-secrets"]))).output,
    );
  const setTrainingFile = (file: string) =>
    pulumi.ok(pulumi.cli(["config", "set", "trainingFile", file]));

  before(async function () {
    this.timeout(30 * 60 * 1000); // the first run may build the CLI from the Go module proxy
    const binDir = pulumiBinDir();
    emulator = await startEmulator({
      apiKey: API_KEY,
      quiet: true,
      fileProcessingMs: 100,
      jobTiming: { queuedMs: 200, runningMs: 4000, steps: 4 },
    });
    pulumi = new OfflinePulumi(binDir, STACK, { AZURE_OPENAI_API_KEY: API_KEY });
    dataDir = path.join(pulumi.stateDir, "data");
    fs.mkdirSync(dataDir);
    trainingPath = path.join(dataDir, "train.jsonl");
    fs.writeFileSync(trainingPath, trainingData(12));
    await pulumi.ok(pulumi.cli(["stack", "init", STACK]));
    for (const [key, value] of [
      ["endpoint", emulator.endpoint],
      ["trainingFile", trainingPath],
      ["baseModel", "gpt-4.1-mini-2025-04-14"],
      ["epochs", "2"],
      ["maxBilledTokens", "1000000"],
      ["deadlineMinutes", "10"],
    ]) {
      await pulumi.ok(pulumi.cli(["config", "set", key, value]));
    }
  });

  after(async function () {
    if (pulumi) {
      console.log(`    timings (total ${((Date.now() - started) / 1000).toFixed(1)} s):`);
      for (const t of pulumi.timings)
        console.log(`      ${(t.ms / 1000).toFixed(1).padStart(6)} s  ${t.command}`);
      if (firstUpRequests) {
        console.log(
          `    API requests of the first up (upload, fine-tune, deploy): ${firstUpRequests.total} (${firstUpRequests.mutating} mutating)`,
        );
        for (const [route, n] of Object.entries(firstUpRequests.routes))
          console.log(`      ${String(n).padStart(4)}  ${route}`);
      }
      pulumi.cleanup();
    }
    if (emulator) await emulator.close();
  });

  it("1. up uploads the file, runs the job and outputs the fine-tuned model", async () => {
    const up = await pulumi.ok(pulumi.engine("up"));
    firstUpRequests = counters();
    expect(up.result?.summary).to.deep.equal({ create: 4 });
    expect(jobs()).to.have.lengthOf(1);
    expect(files()).to.have.lengthOf(1);
    const out = await outputs();
    expect([out.fileId, out.jobId]).to.deep.equal([files()[0].id, jobs()[0].id]);
    expect(jobs()[0].status).to.equal("succeeded");
    expect(out.fineTunedModel).to.match(/^gpt-4\.1-mini-2025-04-14\.ft-[0-9a-f]{32}$/);
    expect(emulator.admin.state().deployments.map((d) => [d.name, d.model])).to.deep.equal([
      ["e2e-tuned", out.fineTunedModel],
    ]);
    // Counted here with gpt-tokenizer's o200k_base encoder and the OpenAI cookbook's chat rule,
    // independently of the project's validator (which the emulator bills with).
    expect(out.trainedTokens).to.equal(2 * cookbookTokens(fs.readFileSync(trainingPath, "utf8")));
    // Progress lines from inside the dynamic providers reach the engine's output.
    expect(up.output).to.match(/fine-tuning job ftjob-[0-9a-f]+: .*running/);
    expect(up.output).to.match(/fine-tuned model gpt-4\.1-mini/);
  });

  it("2. after the CLI is killed mid-job, cancel and up adopt the running job: one job was created", async () => {
    fs.writeFileSync(trainingPath, trainingData(14));
    const jobsBefore = jobs().length;
    const earlierIds = jobs().map((j) => j.id);
    const newJobs = () => jobs().filter((j) => !earlierIds.includes(j.id));
    const creates = jobCreates();
    let pid = 0;
    const running = pulumi.engine("up", { onSpawn: (p) => (pid = p) });
    const deadline = Date.now() + 120_000;
    while (!newJobs().some((j) => j.status === "running") && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
    }
    if (jobs().length !== jobsBefore + 1) {
      process.kill(-pid, "SIGKILL");
      expect.fail(`no new job started:\n${(await running).output}`);
    }
    try {
      process.kill(-pid, "SIGKILL");
    } catch {
      expect.fail(`up ended before it could be killed:\n${(await running).output}`);
    }
    const killed = await running;
    expect(killed.code).to.not.equal(0);

    const cancel = await pulumi.cli(["cancel", "--yes", STACK]);
    expect(cancel.code, cancel.output).to.equal(0);
    const up = await pulumi.engine("up");
    expect(up.code, up.output).to.equal(0);
    expect(jobCreates() - creates).to.equal(1);
    expect(up.output).to.match(/adopting it/);
    const out = await outputs();
    expect(newJobs().map((j) => [j.id, j.status])).to.deep.equal([[out.jobId, "succeeded"]]);
    // The killed run's orphaned provider process noticed it was orphaned and exited.
    const orphansUntil = Date.now() + 10_000;
    while (pulumi.processes().length > 0 && Date.now() < orphansUntil) {
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(pulumi.processes()).to.deep.equal([]);
  });

  it("3. an invalid training file fails preview with file:line: reason and no API request", async () => {
    const bad = path.join(dataDir, "bad.jsonl");
    fs.writeFileSync(bad, trainingData(12).replace('"role":"assistant"', '"role":"bot"'));
    await setTrainingFile(bad);
    const before = counters();
    const preview = await pulumi.engine("preview");
    expect(preview.code).to.not.equal(0);
    expect(preview.output).to.contain(`${bad}:1:`);
    expect(counters().total - before.total).to.equal(0);
    await setTrainingFile(trainingPath);
  });

  it("4. the cost guard fails preview above the cap, naming the config key, with no API request", async () => {
    await pulumi.ok(pulumi.cli(["config", "set", "maxBilledTokens", "100"]));
    const before = counters();
    const preview = await pulumi.engine("preview");
    expect(preview.code).to.not.equal(0);
    expect(preview.output).to.match(
      /would bill about \d+ tokens \(\d+ tokens × 2 epochs\), above `aoift-e2e:maxBilledTokens` 100/,
    );
    expect(counters().total - before.total).to.equal(0);
    await pulumi.ok(pulumi.cli(["config", "set", "maxBilledTokens", "1000000"]));
  });
});

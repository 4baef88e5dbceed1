import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { createReadStream, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { FineTuningJob } from "../../dynamic-providers/fineTuningJob";
import { TrainingFile } from "../../dynamic-providers/trainingFile";
import { RunningEmulator, startEmulator } from "../../emulator/server";
import { createAzureOpenAI } from "../../lib/azure/client";

const PROJECT_ROOT = path.resolve(__dirname, "../..");
const TRAIN = path.join(PROJECT_ROOT, "test/fixtures/providers/train.jsonl");
const RUNNER = path.join(PROJECT_ROOT, "test/fixtures/providers/runProvider.js");
const SENTINEL_KEY = "sentinel-api-key-0f1e2d3c4b5a";

interface ChildOutcome {
  result?: any;
  error?: { message: string; id?: string; properties?: Record<string, any>; reasons?: string[] };
  stdout: string;
}

describe("dynamic-providers serialization (fresh Node process, no ts-node)", () => {
  let emulator: RunningEmulator;
  let scratch: string;
  const registered: Record<string, Record<string, any>> = {};
  const savedEnv = { ...process.env };

  /** Runs one provider method from the serialized code, as the dynamic-provider host would. */
  function runSerialized(code: string, method: string, args: unknown[]): Promise<ChildOutcome> {
    writeFileSync(path.join(scratch, "provider.js"), code);
    writeFileSync(path.join(scratch, "args.json"), JSON.stringify(args));
    const env = {
      PATH: process.env.PATH,
      AZURE_OPENAI_API_KEY: emulator.apiKey,
      NODE_PATH: path.join(PROJECT_ROOT, "node_modules"),
    };
    return new Promise((resolve, reject) => {
      // cwd outside the project: nothing may resolve through a path relative to the source tree.
      execFile(
        process.execPath,
        [RUNNER, "provider.js", method, "args.json"],
        { cwd: scratch, env },
        (err, stdout, stderr) => {
          const last = stdout.trim().split("\n").pop() ?? "";
          if (last.startsWith("RESULT ")) resolve({ result: JSON.parse(last.slice(7)), stdout });
          else if (last.startsWith("ERROR ")) resolve({ error: JSON.parse(last.slice(6)), stdout });
          else
            reject(new Error(`provider process failed (${err?.message}):\n${stdout}\n${stderr}`));
        },
      );
    });
  }

  before(async function () {
    this.timeout(60_000);
    emulator = await startEmulator({
      quiet: true,
      fileProcessingMs: 5,
      jobTiming: { queuedMs: 10, runningMs: 100, steps: 2 },
    });
    // Set before the resources exist: if any code captured the key, it would be in `__provider`.
    process.env.AZURE_OPENAI_API_KEY = SENTINEL_KEY;
    await pulumi.runtime.setMocks(
      {
        newResource(args) {
          registered[args.name] = args.inputs;
          const extra = args.name === "train" ? { fileId: "file-from-mock" } : {};
          return { id: `${args.name}-id`, state: { ...args.inputs, ...extra } };
        },
        call: () => ({}),
      },
      "finetune",
      "dev",
      false,
    );
    const file = new TrainingFile("train", {
      endpoint: emulator.endpoint,
      path: TRAIN,
      model: "gpt-4o-mini",
    });
    new FineTuningJob("tuned", {
      endpoint: emulator.endpoint,
      baseModel: "gpt-4o-mini",
      trainingFileId: file.fileId,
      suffix: "units",
      deadlineMinutes: 1,
      pollIntervalSeconds: 0.02,
    });
    while (!registered.train || !registered.tuned) {
      await new Promise((r) => setTimeout(r, 10));
    }
  });
  after(async () => {
    await emulator.close();
  });
  beforeEach(() => {
    emulator.admin.reset();
    scratch = mkdtempSync(path.join(tmpdir(), "serialized-provider-"));
  });
  afterEach(() => {
    rmSync(scratch, { recursive: true, force: true });
    process.env = { ...savedEnv };
  });

  it("stores provider code with no credential, absolute path or ts-node in it", () => {
    for (const name of ["train", "tuned"]) {
      const code = registered[name].__provider as string;
      expect(code).to.be.a("string").and.to.include("exports.handler");
      expect(code).not.to.include(SENTINEL_KEY);
      expect(code).not.to.include(PROJECT_ROOT);
      expect(code).not.to.include("ts-node");
      const { __provider: _code, ...inputs } = registered[name];
      expect(JSON.stringify(inputs)).not.to.include(SENTINEL_KEY);
    }
  });

  it("passes the program's validation of the file to the provider, and the logical name to the job", () => {
    expect(registered.train.content).to.deep.include({
      sha256: createHash("sha256").update(readFileSync(TRAIN)).digest("hex"),
      bytes: 2889,
      examples: 12,
      errors: [],
      errorCount: 0,
    });
    expect(registered.tuned.logicalName).to.equal("finetune/dev/tuned");
    expect(registered.tuned.trainingFileId).to.equal("file-from-mock");
  });

  it("runs TrainingFile check, create (with a retry) and delete from the serialized code", async function () {
    this.timeout(30_000);
    const code = registered.train.__provider as string;
    const checked = await runSerialized(code, "check", [{}, registered.train]);
    expect(checked.result.failures).to.deep.equal([]);

    emulator.admin.injectFault({
      kind: "throttle",
      method: "POST",
      path: "/openai/files",
      retryAfterMs: 0,
    });
    const created = await runSerialized(code, "create", [checked.result.inputs]);
    expect(created.stdout).to.include(
      "retrying upload training file after 429 in 0.0 s (attempt 2/6)",
    );
    expect(emulator.admin.state().files.map((f) => [f.id, f.status, f.bytes])).to.deep.equal([
      [created.result.id, "processed", 2889],
    ]);
    expect(emulator.admin.counters().routes["POST /openai/files"]).to.equal(2);

    const deleted = await runSerialized(code, "delete", [created.result.id, created.result.outs]);
    expect(deleted.result).to.equal(null);
    expect(emulator.admin.state().files).to.deep.equal([]);
  });

  it("runs FineTuningJob create and delete from the serialized code, and carries the job id out of a failed create", async function () {
    this.timeout(30_000);
    process.env.AZURE_OPENAI_API_KEY = emulator.apiKey;
    const client = await createAzureOpenAI(emulator.endpoint);
    let file = await client.files.create({ file: createReadStream(TRAIN), purpose: "fine-tune" });
    while ((file.status as string) !== "processed") {
      await new Promise((r) => setTimeout(r, 5));
      file = await client.files.retrieve(file.id);
    }
    const code = registered.tuned.__provider as string;
    const checked = await runSerialized(code, "check", [
      {},
      { ...registered.tuned, trainingFileId: file.id },
    ]);
    expect(checked.result.failures).to.deep.equal([]);
    // The host passes `__provider` with the inputs; a failed create must hand it back for destroy.
    const inputs = { ...checked.result.inputs, __provider: code };

    const created = await runSerialized(code, "create", [inputs]);
    const [job] = emulator.admin.state().jobs as any[];
    expect([
      created.result.id,
      created.result.outs.status,
      created.result.outs.fineTunedModel,
    ]).to.deep.equal([job.id, "succeeded", job.fine_tuned_model]);
    await runSerialized(code, "delete", [created.result.id, created.result.outs]);
    expect([emulator.admin.state().jobs, emulator.admin.state().models]).to.deep.equal([[], []]);

    emulator.admin.failJobs({ code: "invalidTrainingData", message: "Too few distinct examples." });
    const failed = await runSerialized(code, "create", [inputs]);
    const [failedJob] = emulator.admin.state().jobs as any[];
    expect(failed.error?.message).to.match(
      new RegExp(
        `^fine-tuning job ${failedJob.id} failed: invalidTrainingData: Too few distinct examples\\. `,
      ),
    );
    expect([
      failed.error?.id,
      failed.error?.properties?.status,
      failed.error?.properties?.__provider,
    ]).to.deep.equal([failedJob.id, "failed", code]);
    expect(failed.error?.reasons).to.deep.equal([failed.error?.message]);
  });
});

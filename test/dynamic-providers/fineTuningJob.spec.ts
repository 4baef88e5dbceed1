import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import { spawn } from "node:child_process";
import { createReadStream, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { fineTuningJobProvider } from "../../dynamic-providers/fineTuningJob";
import { ResourceInitError, UNKNOWN } from "../../dynamic-providers/support";
import { RunningEmulator, startEmulator } from "../../emulator/server";
import { createAzureOpenAI } from "../../lib/azure/client";
import { SOURCES, unknownModelWarning } from "../../lib/models";
import { startLossyProxy } from "../support/lossyProxy";

const PROJECT_ROOT = path.resolve(__dirname, "../..");
const TRAIN = "test/fixtures/providers/train.jsonl";
const PREFERENCE = "test/fixtures/providers/preference.jsonl";
// Loosely typed: the tests feed the provider what the engine would, including partial and unknown values.
const provider = fineTuningJobProvider as unknown as Record<
  "check" | "diff" | "create" | "read" | "update" | "delete",
  (...args: any[]) => Promise<any>
>;

async function rejection(promise: Promise<unknown>): Promise<ResourceInitError> {
  return promise.then(
    () => {
      throw new Error("expected a rejection");
    },
    (err: ResourceInitError) => err,
  );
}

describe("dynamic-providers/fineTuningJob", () => {
  let emulator: RunningEmulator;
  let fileId: string;
  let lines: string[];
  let originalLog: typeof console.log;
  const savedEnv = { ...process.env };

  const args = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({
    endpoint: emulator.endpoint,
    baseModel: "gpt-4o-mini",
    trainingFileId: fileId,
    suffix: "units",
    deadlineMinutes: 1,
    pollIntervalSeconds: 0.02,
    logicalName: "proj/dev/tuned",
    ...extra,
  });
  const checked = async (extra: Record<string, unknown> = {}) =>
    (await provider.check({} as any, args(extra) as any)).inputs;

  before(async () => {
    emulator = await startEmulator({
      quiet: true,
      fileProcessingMs: 5,
      jobTiming: { queuedMs: 10, runningMs: 150, steps: 3 },
    });
  });
  after(async () => {
    await emulator.close();
  });
  beforeEach(async () => {
    emulator.admin.reset();
    process.env.AZURE_OPENAI_API_KEY = emulator.apiKey;
    process.env.AZURE_OPENAI_RETRY_BASE_MS = "1";
    lines = [];
    originalLog = console.log;
    console.log = (line: string) => lines.push(line);
    const client = await createAzureOpenAI(emulator.endpoint);
    let file = await client.files.create({ file: createReadStream(TRAIN), purpose: "fine-tune" });
    while ((file.status as string) !== "processed") {
      await new Promise((r) => setTimeout(r, 5));
      file = await client.files.retrieve(file.id);
    }
    fileId = file.id;
    emulator.admin.reset({ state: false, faults: false });
  });
  afterEach(() => {
    console.log = originalLog;
    process.env = { ...savedEnv };
  });

  describe("check", () => {
    it("applies defaults and resolves the base model alias to its dated id", async () => {
      expect(await checked()).to.deep.equal({
        ...args(),
        baseModel: "gpt-4o-mini-2024-07-18",
        method: "supervised",
        trainingType: "GlobalStandard",
        hyperparameters: { nEpochs: "auto", batchSize: "auto", learningRateMultiplier: "auto" },
      });
    });

    it("names each bad input, its value and the fix, without calling Azure", async () => {
      const result = await provider.check(
        {} as any,
        args({
          baseModel: "gpt-5",
          trainingType: "Premium",
          suffix: "bad suffix!",
          seed: -1,
          hyperparameters: { nEpochs: 0, batchSize: 1.5, learningRateMultiplier: 20, beta: 0.1 },
          deadlineMinutes: 0,
          pollIntervalSeconds: 0,
        }) as any,
      );
      expect(result.failures).to.deep.equal([
        {
          property: "method",
          reason:
            '`method` "supervised" does not apply: `baseModel` gpt-5-2025-08-07 cannot be fine-tuned with method "supervised" ' +
            `(Microsoft lists: reinforcement; source: ${SOURCES.fineTuneModels}); models that can: ` +
            "gpt-4o-2024-08-06, gpt-4o-mini-2024-07-18, gpt-4.1-2025-04-14, gpt-4.1-mini-2025-04-14, gpt-4.1-nano-2025-04-14, " +
            "Ministral-3B, Qwen-32B, Llama-3.3-70B-Instruct, gpt-oss-20b",
        },
        {
          property: "trainingType",
          reason:
            '`trainingType` "Premium" is not supported; use one of: Standard, GlobalStandard, Developer',
        },
        {
          property: "suffix",
          reason:
            "`suffix` \"bad suffix!\" must be 1-40 letters, digits, '-' or '_' (Azure appends it to the fine-tuned model name)",
        },
        { property: "seed", reason: "`seed` -1 must be a whole number from 0 to 2147483647" },
        {
          property: "hyperparameters.nEpochs",
          reason: '`hyperparameters.nEpochs` 0 must be "auto" or a whole number from 1 to 50',
        },
        {
          property: "hyperparameters.batchSize",
          reason: '`hyperparameters.batchSize` 1.5 must be "auto" or a whole number from 1 to 256',
        },
        {
          property: "hyperparameters.learningRateMultiplier",
          reason:
            '`hyperparameters.learningRateMultiplier` 20 must be "auto" or a number from 0.01 to 10',
        },
        {
          property: "hyperparameters.beta",
          reason:
            '`hyperparameters.beta` applies only to method "dpo"; remove it or set `method` to "dpo"',
        },
        {
          property: "deadlineMinutes",
          reason:
            "`deadlineMinutes` 0 must be a number of minutes greater than 0 and at most 43200 (Azure stops jobs after 720 hours); " +
            "keep it under your CI job's time limit",
        },
        {
          property: "pollIntervalSeconds",
          reason: "`pollIntervalSeconds` 0 must be a number greater than 0",
        },
      ]);
      expect(emulator.admin.counters().total).to.equal(0);
    });

    it("refuses a method the base model does not support, naming the models that do", async () => {
      const dpo = await provider.check({} as any, args({ method: "dpo" }) as any);
      expect(dpo.failures).to.deep.equal([
        {
          property: "method",
          reason:
            '`method` "dpo" does not apply: `baseModel` gpt-4o-mini-2024-07-18 cannot be fine-tuned with method "dpo" ' +
            `(Microsoft lists: supervised; source: ${SOURCES.fineTuneModels}); models that can: ` +
            "gpt-4o-2024-08-06, gpt-4.1-2025-04-14, gpt-4.1-mini-2025-04-14, gpt-4.1-nano-2025-04-14",
        },
      ]);
      const reinforcementOnly = await provider.check(
        {} as any,
        args({ baseModel: "o4-mini" }) as any,
      );
      expect(reinforcementOnly.failures![0].reason).to.match(
        /^`method` "supervised" does not apply: `baseModel` o4-mini-2025-04-16 cannot be fine-tuned with method "supervised" \(Microsoft lists: reinforcement;/,
      );
      const ga = await provider.check(
        {} as any,
        args({ baseModel: "gpt-4o", method: "dpo", apiVersion: "2024-10-21" }) as any,
      );
      expect(ga.failures).to.deep.equal([
        {
          property: "method",
          reason:
            '`method` "dpo" needs a preview api-version; `apiVersion` is "2024-10-21", use e.g. "2025-04-01-preview"',
        },
      ]);
      const unknown = await provider.check({} as any, args({ method: "rlhf" }) as any);
      expect(unknown.failures).to.deep.equal([
        {
          property: "method",
          reason: '`method` "rlhf" is not supported; use "supervised" or "dpo"',
        },
      ]);
    });

    it("lets a model the catalog does not know pass, as given (the account decides at create)", async () => {
      const result = await provider.check(
        {} as any,
        args({ baseModel: "gpt-7-2027-01-01" }) as any,
      );
      expect([result.failures, result.inputs.baseModel]).to.deep.equal([[], "gpt-7-2027-01-01"]);
      expect(unknownModelWarning("baseModel", "gpt-7-2027-01-01")).to.equal(
        '`baseModel` "gpt-7-2027-01-01" is not in this program\'s model catalog (lib/models/catalog.ts), so its ' +
          "methods, limits and tokenizer are not checked here; the account decides when the resource is created " +
          "(GET /openai/models/gpt-7-2027-01-01). docs/models.md says how to check a model.",
      );
    });

    it("accepts values not known yet at preview", async () => {
      const result = await provider.check(
        {} as any,
        args({ trainingFileId: UNKNOWN, endpoint: UNKNOWN, seed: UNKNOWN }) as any,
      );
      expect(result.failures).to.deep.equal([]);
    });
  });

  describe("diff", () => {
    const changes: [string, unknown][] = [
      ["endpoint", "https://other.openai.azure.com"],
      ["baseModel", "gpt-4.1-mini-2025-04-14"],
      ["trainingFileId", "file-other"],
      ["validationFileId", "file-validation"],
      ["method", "dpo"],
      ["hyperparameters", { nEpochs: 3, batchSize: "auto", learningRateMultiplier: "auto" }],
      ["suffix", "units2"],
      ["seed", 7],
      ["trainingType", "Developer"],
    ];
    for (const [key, value] of changes) {
      it(`replaces the job when ${key} changes`, async () => {
        const olds = await checked();
        expect(
          await provider.diff("ftjob-1", olds as any, { ...olds, [key]: value }),
        ).to.deep.equal({
          changes: true,
          replaces: [key],
          deleteBeforeReplace: false,
        });
      });
    }

    it("changes nothing when only the deadline, the poll interval or the api-version changes", async () => {
      const olds = await checked();
      const news = {
        ...olds,
        deadlineMinutes: 600,
        pollIntervalSeconds: 30,
        apiVersion: "2024-10-21",
        logicalName: "proj/dev/renamed",
      };
      expect(
        await provider.diff("ftjob-1", { ...olds, status: "running" } as any, news),
      ).to.deep.equal({
        changes: false,
        replaces: [],
        deleteBeforeReplace: false,
      });
    });

    it("keeps the job when the file id changes but its content hash does not", async () => {
      const olds = { ...(await checked()), trainingFileSha256: "a".repeat(64) };
      expect(
        await provider.diff("ftjob-1", olds as any, { ...olds, trainingFileId: "file-reuploaded" }),
      ).to.deep.equal({
        changes: false,
        replaces: [],
        deleteBeforeReplace: false,
      });
    });

    it("replaces the job when the training content hash changes", async () => {
      const olds = { ...(await checked()), trainingFileSha256: "a".repeat(64) };
      const news = { ...olds, trainingFileId: "file-new", trainingFileSha256: "b".repeat(64) };
      expect(await provider.diff("ftjob-1", olds as any, news)).to.deep.equal({
        changes: true,
        replaces: ["trainingFileId", "trainingFileSha256"],
        deleteBeforeReplace: false,
      });
    });

    it("replaces a failed or cancelled job even when no input changed", async () => {
      const olds = await checked();
      for (const status of ["failed", "cancelled"]) {
        expect(await provider.diff("ftjob-1", { ...olds, status } as any, olds)).to.deep.equal({
          changes: true,
          replaces: ["status"],
          deleteBeforeReplace: false,
        });
      }
    });
  });

  describe("diff while the account changes (endpoint unknown at preview)", () => {
    const withAccount = async () => ({ ...(await checked()), accountName: "ft-dev-acct" });

    it("keeps the job when the account is only updated: endpoint unknown, name known", async () => {
      const olds = await withAccount();
      expect(
        await provider.diff("ftjob-1", olds as any, { ...olds, endpoint: UNKNOWN }),
      ).to.deep.equal({ changes: false, replaces: [], deleteBeforeReplace: false });
    });

    it("replaces the job when the account is replaced: its name is unknown too", async () => {
      const olds = await withAccount();
      const news = { ...olds, endpoint: UNKNOWN, accountName: UNKNOWN };
      expect(await provider.diff("ftjob-1", olds as any, news)).to.deep.equal({
        changes: true,
        replaces: ["accountName"],
        deleteBeforeReplace: false,
      });
    });

    it("replaces the job when the account is renamed", async () => {
      const olds = await withAccount();
      const news = { ...olds, endpoint: UNKNOWN, accountName: "ft-dev-acct2" };
      expect((await provider.diff("ftjob-1", olds as any, news)).replaces).to.deep.equal([
        "accountName",
      ]);
    });
  });

  describe("create", () => {
    it("runs the job to success and returns the model, tokens, result files and finish time", async () => {
      const inputs = await checked({ trainingType: "Developer", hyperparameters: { nEpochs: 2 } });
      const created = await provider.create(inputs);
      const [job] = emulator.admin.state().jobs as any[];
      expect(created).to.deep.equal({
        id: job.id,
        outs: {
          ...inputs,
          jobId: job.id,
          status: "succeeded",
          fineTunedModel: job.fine_tuned_model,
          trainedTokens: job.trained_tokens,
          resultFiles: job.result_files,
          finishedAt: new Date(job.finished_at * 1000).toISOString(),
          idempotencyKey: created.outs.idempotencyKey,
        },
      });
      expect(job.fine_tuned_model).to.match(/^gpt-4o-mini-2024-07-18\.ft-[0-9a-f]+/);
      expect([
        job.trainingType,
        job.suffix,
        job.method.supervised.hyperparameters.n_epochs,
      ]).to.deep.equal(["developerTier", "units", 2]);
      expect(job.metadata).to.deep.equal({ "pulumi-idempotency-key": created.outs.idempotencyKey });
      expect(created.outs.idempotencyKey).to.match(/^[0-9a-f]{64}$/);
    });

    it("stops a model the catalog let pass when the account does not know it, before any job", async () => {
      const message = await provider.create(await checked({ baseModel: "gpt-7-2027-01-01" })).then(
        () => "created",
        (err: Error) => err.message,
      );
      expect(message).to.match(
        /^`baseModel` "gpt-7-2027-01-01" cannot be fine-tuned on this account: the account does not know it \(404\)\. Nothing was uploaded or billed\. Models this account reports as fine-tunable: .*gpt-4o-mini-2024-07-18/,
      );
      expect(emulator.admin.state().jobs).to.deep.equal([]);
    });

    it("sends DPO with beta inside `method`, and GA api-versions the top-level hyperparameters", async () => {
      const client = await createAzureOpenAI(emulator.endpoint);
      let preference = await client.files.create({
        file: createReadStream(PREFERENCE),
        purpose: "fine-tune",
      });
      while ((preference.status as string) !== "processed") {
        await new Promise((r) => setTimeout(r, 5));
        preference = await client.files.retrieve(preference.id);
      }
      const dpo = await provider.create(
        await checked({
          baseModel: "gpt-4o",
          trainingFileId: preference.id,
          method: "dpo",
          hyperparameters: { beta: 0.2, nEpochs: 1 },
        }),
      );
      const ga = await provider.create(
        await checked({ apiVersion: "2024-10-21", hyperparameters: { batchSize: 4 } }),
      );
      const jobs = Object.fromEntries((emulator.admin.state().jobs as any[]).map((j) => [j.id, j]));
      expect(jobs[dpo.id].method.type).to.equal("dpo");
      expect(jobs[dpo.id].method.dpo.hyperparameters).to.deep.include({ beta: 0.2, n_epochs: 1 });
      expect(jobs[ga.id].hyperparameters.batch_size).to.equal(4);
      expect([dpo.outs.status, ga.outs.status]).to.deep.equal(["succeeded", "succeeded"]);
    });

    it("prints status changes and training steps, never training content", async () => {
      const created = await provider.create(await checked());
      const id = created.id;
      // A busy machine may first poll after the job left "pending": either first line is right.
      const first = [
        `fine-tuning job ${id}: pending → running`,
        `fine-tuning job ${id}: status running`,
      ];
      expect(lines.filter((l) => first.includes(l))).to.have.length(1);
      expect(lines).to.include.members([
        `fine-tuning job ${id}: running → succeeded`,
        `fine-tuning job ${id}: fine-tuned model ${created.outs.fineTunedModel} (${created.outs.trainedTokens} trained tokens)`,
      ]);
      expect(
        lines.filter((l) => /: step \d+: training loss \d+\.\d{4}$/.test(l)),
      ).to.have.length.greaterThan(0);
      expect(lines.join("\n")).not.to.match(/centimetres|inch|Fahrenheit/);
    });

    it("keeps a failed job in state with Azure's code and message, and replaces it on the next up", async () => {
      emulator.admin.failJobs({
        code: "invalidTrainingData",
        message: "The training data has too few distinct examples.",
      });
      const inputs = { ...(await checked()), __provider: "serialized provider" } as any;
      const err = await rejection(provider.create(inputs));
      const [failed] = emulator.admin.state().jobs as any[];
      expect(err.message).to.equal(
        `fine-tuning job ${failed.id} failed: invalidTrainingData: The training data has too few distinct examples. ` +
          "Fix the cause and run `pulumi up` again: a new job replaces the failed one, which is then deleted.",
      );
      expect([
        err.id,
        err.properties.status,
        err.properties.jobId,
        err.properties.__provider,
      ]).to.deep.equal([failed.id, "failed", failed.id, "serialized provider"]);
      expect(err.reasons).to.deep.equal([err.message]);

      expect(
        (await provider.diff(failed.id, err.properties as any, inputs)).replaces,
      ).to.deep.equal(["status"]);
      const replacement = await provider.create(inputs);
      expect(replacement.id).not.to.equal(failed.id);
      expect(replacement.outs.status).to.equal("succeeded");
      expect(emulator.admin.counters().routes["POST /openai/fine_tuning/jobs"]).to.equal(2);
    });

    it("stops waiting at the deadline, then resumes the same job through update", async () => {
      const inputs = {
        ...(await checked({ deadlineMinutes: 0.0005 })),
        __provider: "serialized provider",
      } as any;
      const err = await rejection(provider.create(inputs));
      const [job] = emulator.admin.state().jobs as any[];
      expect(err.message).to.equal(
        `fine-tuning job ${job.id} is still ${err.properties.status} after the 0.0005-minute deadline; Azure keeps training it. ` +
          "Run `pulumi up` again to keep waiting for this same job, or `pulumi destroy` to cancel and delete it.",
      );
      expect(err.id).to.equal(job.id);
      expect(["pending", "running"]).to.include(err.properties.status);

      const news = { ...inputs, deadlineMinutes: 1 };
      expect(await provider.diff(err.id, err.properties as any, news)).to.deep.equal({
        changes: false,
        replaces: [],
        deleteBeforeReplace: false,
      });
      const resumed = await provider.update(err.id, err.properties as any, news);
      expect(resumed.outs).to.deep.include({
        jobId: job.id,
        status: "succeeded",
        deadlineMinutes: 1,
      });
      expect(resumed.outs!.fineTunedModel).to.match(/\.ft-/);
      expect(emulator.admin.state().jobs.map((j) => j.id)).to.deep.equal([job.id]);
      expect(emulator.admin.counters().routes["POST /openai/fine_tuning/jobs"]).to.equal(1);
    });

    it("takes the job Azure started when the create's answer was lost, though Azure drops metadata", async () => {
      const proxy = await startLossyProxy(emulator.endpoint);
      try {
        proxy.dropJobMetadata = true;
        proxy.loseAnswer({ method: "POST", path: "/openai/fine_tuning/jobs" });
        const created = await provider.create(await checked({ endpoint: proxy.endpoint }));
        expect(proxy.lost).to.equal(1);
        expect(emulator.admin.state().jobs.map((j: any) => j.id)).to.deep.equal([created.id]);
        expect(emulator.admin.counters().routes["POST /openai/fine_tuning/jobs"]).to.equal(1);
        expect(created.outs.status).to.equal("succeeded");
      } finally {
        await proxy.close();
      }
    });

    it("adopts a succeeded job on its training file at the next create when Azure dropped metadata", async () => {
      const first = await provider.create(await checked());
      const proxy = await startLossyProxy(emulator.endpoint);
      try {
        proxy.dropJobMetadata = true;
        const again = await provider.create(await checked({ endpoint: proxy.endpoint }));
        expect(again.id).to.equal(first.id);
        expect(emulator.admin.counters().routes["POST /openai/fine_tuning/jobs"]).to.equal(1);
      } finally {
        await proxy.close();
      }
    });

    it("adopts the job of a create that was killed before it returned: one job in total", async function () {
      this.timeout(30_000);
      const inputs = await checked();
      const scratch = mkdtempSync(path.join(tmpdir(), "adopt-"));
      try {
        const serialized = await pulumi.runtime.serializeFunction(() => fineTuningJobProvider, {
          allowSecrets: true,
        });
        writeFileSync(path.join(scratch, "provider.js"), serialized.text);
        writeFileSync(path.join(scratch, "args.json"), JSON.stringify([inputs]));
        const child = spawn(
          process.execPath,
          [
            path.join(PROJECT_ROOT, "test/fixtures/providers/runProvider.js"),
            "provider.js",
            "create",
            "args.json",
          ],
          {
            cwd: scratch,
            env: { ...process.env, NODE_PATH: path.join(PROJECT_ROOT, "node_modules") },
            stdio: "ignore",
          },
        );
        const exited = new Promise((resolve) => child.once("exit", resolve));
        while (emulator.admin.state().jobs.length === 0 && child.exitCode === null) {
          await new Promise((r) => setTimeout(r, 5));
        }
        child.kill("SIGKILL");
        await exited;
        const [orphan] = emulator.admin.state().jobs as any[];
        expect(orphan.status).not.to.equal("succeeded");

        const adopted = await provider.create(inputs);
        expect(adopted.id).to.equal(orphan.id);
        expect(adopted.outs.status).to.equal("succeeded");
        expect(lines[0]).to.match(
          new RegExp(
            `^fine-tuning job ${orphan.id}: adopting it \\(status (pending|running)\\); an earlier`,
          ),
        );
        expect(emulator.admin.state().jobs.map((j) => j.id)).to.deep.equal([orphan.id]);
        expect(emulator.admin.counters().routes["POST /openai/fine_tuning/jobs"]).to.equal(1);
      } finally {
        rmSync(scratch, { recursive: true, force: true });
      }
    });

    it("retries a dropped job creation after checking that Azure did not start the job", async () => {
      emulator.admin.injectFault({
        kind: "drop",
        method: "POST",
        path: "/openai/fine_tuning/jobs",
      });
      const created = await provider.create(await checked());
      expect(emulator.admin.state().jobs.map((j) => j.id)).to.deep.equal([created.id]);
      const routes = emulator.admin.counters().routes;
      expect([
        routes["POST /openai/fine_tuning/jobs"],
        routes["GET /openai/fine_tuning/jobs"],
      ]).to.deep.equal([2, 2]);
    });

    it("creates exactly one job when Azure commits the create but its response is lost", async () => {
      emulator.admin.injectFault({
        kind: "loseResponse",
        method: "POST",
        path: "/openai/fine_tuning/jobs",
      });
      const created = await provider.create(await checked());
      const jobs = emulator.admin.state().jobs as { id: string }[];
      expect(jobs.map((j) => j.id)).to.deep.equal([created.id]);
      expect(emulator.admin.counters().routes["POST /openai/fine_tuning/jobs"]).to.equal(1);
      expect(created.outs.status).to.equal("succeeded");
    });

    it("does not adopt another resource's job with the same training inputs", async () => {
      const first = await provider.create(await checked());
      const second = await provider.create(await checked({ logicalName: "proj/dev/other" }));
      expect(second.id).not.to.equal(first.id);
      expect(emulator.admin.state().jobs).to.have.length(2);
    });

    it("polls no faster than the configured interval", async () => {
      const started = Date.now();
      await provider.create(await checked({ pollIntervalSeconds: 0.05 }));
      const elapsedMs = Date.now() - started;
      const polls = emulator.admin.counters().routes["GET /openai/fine_tuning/jobs/:jobId"];
      expect(polls).to.be.at.most(Math.floor(elapsedMs / 50) + 1);
      expect(
        emulator.admin.counters().routes["GET /openai/fine_tuning/jobs/:jobId/events"],
      ).to.equal(polls);
    });
    it("polls at most every AZURE_OPENAI_JOB_POLL_MS, below the 60 s default", async () => {
      process.env.AZURE_OPENAI_JOB_POLL_MS = "20";
      const started = Date.now();
      const { outs } = await provider.create(await checked({ pollIntervalSeconds: undefined }));
      expect(outs.status).to.equal("succeeded");
      expect(Date.now() - started).to.be.below(5_000);
    });
  });

  describe("read and delete", () => {
    it("refreshes status and model, and reports a job deleted outside Pulumi as gone", async () => {
      const created = await provider.create(await checked());
      expect(
        await provider.read(created.id, {
          ...created.outs,
          status: "running",
          fineTunedModel: null,
        }),
      ).to.deep.equal({
        id: created.id,
        props: created.outs,
      });
      await provider.delete(created.id, created.outs);
      expect(await provider.read(created.id, created.outs)).to.deep.equal({ id: "", props: {} });
    });

    it("cancels a running job and waits for it before deleting it", async () => {
      const err = await rejection(provider.create(await checked({ deadlineMinutes: 0.0005 })));
      await provider.delete(err.id, err.properties as any);
      expect(emulator.admin.state().jobs).to.deep.equal([]);
      const routes = emulator.admin.counters().routes;
      expect([
        routes["POST /openai/fine_tuning/jobs/:jobId/cancel"],
        routes["DELETE /openai/fine_tuning/jobs/:jobId"],
      ]).to.deep.equal([1, 1]);
      expect(lines).to.include(`fine-tuning job ${err.id}: cancelled`);
    });

    it("keeps destroying when a deployment outside the stack holds the model, naming the model that stays", async () => {
      const created = await provider.create(await checked());
      const model = created.outs.fineTunedModel as string;
      emulator.admin.registerDeployment("units-prod", model);
      await provider.delete(created.id, created.outs);
      expect(lines).to.include(
        `fine-tuned model ${model}: stays in the account; Azure refused (409): a deployment outside this stack ` +
          "still serves it; delete that deployment first. Delete it in the Azure AI Foundry portal (Fine-tuning, Models) " +
          "when it is no longer needed; the rest of the job is deleted.",
      );
      expect(emulator.admin.counters().routes["DELETE /openai/v1/models/:modelId"]).to.equal(4);
      const state = emulator.admin.state();
      expect([state.jobs, state.models.map((m: any) => m.id)]).to.deep.equal([[], [model]]);
    });

    for (const status of [400, 405]) {
      it(`reports the model that stays when Azure answers ${status} to its delete`, async () => {
        const model = "gpt-4o-mini-2024-07-18.ft-0123456789abcdef0123456789abcdef";
        const { deleteTunedModel } = await import("../../dynamic-providers/fineTuningJob/azure");
        const answer = Object.assign(new Error(`${status} not supported`), { status });
        const client = {
          delete: () => Promise.reject(answer),
          models: { retrieve: () => Promise.resolve({ id: model }) },
        } as any;
        const logged: string[] = [];
        expect(await deleteTunedModel(client, model, (l) => logged.push(l))).to.equal(model);
        expect(logged).to.deep.equal([
          `fine-tuned model ${model}: stays in the account; Azure does not delete fine-tuned models through the API ` +
            `here (${status}). Delete it in the Azure AI Foundry portal (Fine-tuning, Models) when it is no longer needed; ` +
            "the rest of the job is deleted.",
        ]);
      });
    }

    it("reads the model back after a 404: gone only when the account no longer lists it", async () => {
      const { deleteTunedModel } = await import("../../dynamic-providers/fineTuningJob/azure");
      const notFound = Object.assign(new Error("404 Resource not found"), { status: 404 });
      const model = "gpt-4o-mini-2024-07-18.ft-0123456789abcdef0123456789abcdef";
      const logged: string[] = [];
      const listed = {
        delete: () => Promise.reject(notFound),
        models: { retrieve: () => Promise.resolve({ id: model }) },
      } as any;
      const gone = { ...listed, models: { retrieve: () => Promise.reject(notFound) } } as any;
      expect(await deleteTunedModel(listed, model, (l) => logged.push(l))).to.equal(model);
      expect(await deleteTunedModel(gone, model, (l) => logged.push(l))).to.equal(undefined);
      expect(logged[0]).to.match(
        /: stays in the account; Azure does not delete fine-tuned models through the API here \(404\)/,
      );
      expect(logged[1]).to.equal(`fine-tuned model ${model}: already gone (404)`);
    });

    it("succeeds when the job and its model are already gone", async () => {
      const created = await provider.create(await checked());
      await provider.delete(created.id, created.outs);
      emulator.admin.reset({ state: false, faults: false });
      await provider.delete(created.id, created.outs);
      expect(emulator.admin.counters().routes).to.deep.equal({
        "DELETE /openai/fine_tuning/jobs/:jobId": 1,
        "DELETE /openai/files/:fileId": 1,
        "DELETE /openai/v1/models/:modelId": 1,
        "GET /openai/fine_tuning/jobs/:jobId": 1,
        "GET /openai/models/:modelId": 1,
      });
    });
  });
});

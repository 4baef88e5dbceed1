import { expect } from "chai";
import { validateTrainingBuffer } from "../../../lib/trainingData/validate";
import { metricsAt, resultsCsv } from "../../../emulator/dataPlane/jobLifecycle";
import { autoEpochs } from "../../../lib/cost";
import type { RunningEmulator } from "../../../emulator/server";
import {
  client,
  GA,
  jobParams,
  PREVIEW,
  raw,
  startFast,
  trainingJsonl,
  trainModel,
  uploadProcessed,
  waitFor,
  waitForJob,
} from "../support";

const MINI = "gpt-4o-mini-2024-07-18";
const BASE_NOT_FINE_TUNABLE = {
  code: "invalidPayload",
  message: "The specified base model does not support fine-tuning.",
  target: "model",
};

describe("emulator fine-tuning jobs", () => {
  let emulator: RunningEmulator;

  beforeEach(async () => {
    emulator = await startFast();
  });
  afterEach(() => emulator.close());

  describe("lifecycle", () => {
    it("creates a pending job shaped like Azure's, with 201 and Location on the dated API", async () => {
      const openai = client(emulator);
      const file = await uploadProcessed(openai);
      const res = await raw(emulator, "POST", `/openai/fine_tuning/jobs?api-version=${GA}`, {
        body: jobParams(file.id, { seed: 42 }),
      });
      expect(res.status).to.equal(201);
      const job = res.body as Record<string, unknown>;
      expect(job.id).to.match(/^ftjob-[0-9a-f]{32}$/);
      expect(res.headers.get("location")).to.equal(
        `${emulator.endpoint}/openai/fine_tuning/jobs/${job.id}`,
      );
      expect(job).to.deep.equal({
        object: "fine_tuning.job",
        id: job.id,
        created_at: job.created_at,
        status: "pending",
        model: MINI,
        fine_tuned_model: null,
        training_file: file.id,
        validation_file: null,
        result_files: null,
        finished_at: null,
        organization_id: null,
        trained_tokens: null,
        error: null,
        estimated_finish: null,
        hyperparameters: { n_epochs: -1, batch_size: -1, learning_rate_multiplier: 1 },
        suffix: null,
        seed: 42,
        metadata: null,
        integrations: null,
      });
    });

    it("answers a v1 create with 200, no Location, and the method block", async () => {
      const openai = client(emulator);
      const file = await uploadProcessed(openai);
      const res = await raw(emulator, "POST", "/openai/v1/fine_tuning/jobs", {
        body: jobParams(file.id, {
          method: { type: "supervised", supervised: { hyperparameters: { n_epochs: 2 } } },
        }),
      });
      expect(res.status).to.equal(200);
      expect(res.headers.get("location")).to.equal(null);
      const job = res.body as Record<string, unknown>;
      expect(job.hyperparameters).to.deep.equal({
        n_epochs: 2,
        batch_size: -1,
        learning_rate_multiplier: 1,
      });
      expect(job.method).to.deep.equal({
        type: "supervised",
        supervised: {
          hyperparameters: { n_epochs: 2, batch_size: -1, learning_rate_multiplier: 1 },
        },
      });
    });

    it("trains to succeeded with a tuned model, results.csv, trained tokens, events and checkpoints", async () => {
      const openai = client(emulator);
      const job = await trainModel(openai, {
        seed: 42,
        metadata: { "pulumi-idempotency-key": "k-1" },
      });
      const hex = job.id.slice("ftjob-".length);
      const tuned = `${MINI}.ft-${hex}`;
      // 12 examples: auto epochs = floor(100 / 12) = 8, auto batch size 1 → 12 steps per epoch, 96 steps.
      expect(autoEpochs(12)).to.equal(8);
      const totalTokens = validateTrainingBuffer(trainingJsonl()).totalTokens;
      const resultFile = (job.result_files as string[])[0];
      expect(job).to.deep.equal({
        object: "fine_tuning.job",
        id: job.id,
        created_at: job.created_at,
        status: "succeeded",
        model: MINI,
        fine_tuned_model: tuned,
        training_file: job.training_file,
        validation_file: null,
        result_files: [resultFile],
        finished_at: job.finished_at,
        organization_id: null,
        trained_tokens: totalTokens * 8,
        error: null,
        estimated_finish: null,
        hyperparameters: { n_epochs: 8, batch_size: 1, learning_rate_multiplier: 1 },
        suffix: null,
        seed: 42,
        metadata: { "pulumi-idempotency-key": "k-1" },
        integrations: null,
      });

      const steps = [24, 48, 72, 96];
      const events = await openai.fineTuning.jobs.listEvents(job.id, { limit: 100 });
      const chronological = [...events.data].reverse();
      expect(chronological.map((e) => e.message)).to.deep.equal([
        "Job enqueued. Waiting for jobs ahead to complete.",
        `Validating training file: ${job.training_file}`,
        "Job started.",
        `Step 24: training loss=${metricsAt(24, 96, 42, false).train_loss.toFixed(4)}`,
        "Checkpoint created at step 12.",
        "Checkpoint created at step 24.",
        `Step 48: training loss=${metricsAt(48, 96, 42, false).train_loss.toFixed(4)}`,
        "Checkpoint created at step 36.",
        "Checkpoint created at step 48.",
        `Step 72: training loss=${metricsAt(72, 96, 42, false).train_loss.toFixed(4)}`,
        "Checkpoint created at step 60.",
        "Checkpoint created at step 72.",
        `Step 96: training loss=${metricsAt(96, 96, 42, false).train_loss.toFixed(4)}`,
        "Checkpoint created at step 84.",
        "Checkpoint created at step 96.",
        "Postprocessing started.",
        `Completed results file: ${resultFile}`,
        "Job succeeded.",
      ]);
      const metrics = chronological.filter((e) => e.type === "metrics");
      expect(metrics.map((e) => e.data)).to.deep.equal(
        steps.map((s) => metricsAt(s, 96, 42, false)),
      );
      expect(
        events.data.every((e) => /^ftevent-[0-9a-f]{32}$/.test(e.id) && e.level === "info"),
      ).to.equal(true);

      const checkpoints = await openai.fineTuning.jobs.checkpoints.list(job.id);
      expect(
        checkpoints.data.map((c) => ({
          name: c.fine_tuned_model_checkpoint,
          step: c.step_number,
          metrics: c.metrics,
          job: c.fine_tuning_job_id,
          object: c.object,
        })),
      ).to.deep.equal(
        [96, 84, 72].map((step) => ({
          name: `${tuned}:ckpt-step-${step}`,
          step,
          metrics: metricsAt(step, 96, 42, false),
          job: job.id,
          object: "fine_tuning.job.checkpoint",
        })),
      );
      expect(checkpoints.data.every((c) => /^ftchkpt-[0-9a-f]{32}$/.test(c.id))).to.equal(true);

      const results = await openai.files.retrieve(resultFile);
      expect({
        purpose: results.purpose,
        filename: results.filename,
        status: results.status,
      }).to.deep.equal({
        purpose: "fine-tune-results",
        filename: "results.csv",
        status: "processed",
      });
      const csv = await (await openai.files.content(resultFile)).text();
      expect(csv).to.equal(resultsCsv(steps.map((s) => metricsAt(s, 96, 42, false))));
      expect(csv.split("\n")[0]).to.equal(
        "step,train_loss,train_mean_token_accuracy,valid_loss,validation_mean_token_accuracy,full_valid_loss,full_valid_mean_token_accuracy",
      );

      const model = await openai.models.retrieve(tuned);
      expect(model).to.deep.include({
        id: tuned,
        object: "model",
        status: "succeeded",
        model: MINI,
        fine_tune: job.id,
      });
    });

    it("trains for the requested epochs with validation metrics when a validation file is given", async () => {
      const openai = client(emulator);
      const training = await uploadProcessed(openai);
      const validation = await uploadProcessed(openai);
      const created = await openai.fineTuning.jobs.create(
        jobParams(training.id, {
          validation_file: validation.id,
          hyperparameters: { n_epochs: 2, batch_size: 4 },
          seed: 7,
        }),
      );
      const job = await waitForJob(openai, created.id, ["succeeded"]);
      expect(job.trained_tokens).to.equal(validateTrainingBuffer(trainingJsonl()).totalTokens * 2);
      expect(job.hyperparameters).to.deep.equal({
        n_epochs: 2,
        batch_size: 4,
        learning_rate_multiplier: 1,
      });
      const [last] = (await openai.fineTuning.jobs.checkpoints.list(job.id)).data;
      // 12 examples / batch 4 = 3 steps per epoch, 6 steps in all.
      expect(last.metrics).to.deep.equal(metricsAt(6, 6, 7, true));
      expect(last.metrics.valid_loss).to.be.a("number");
    });

    it("keeps the second job pending while the first one runs, and starts it when the slot frees", async () => {
      const slow = await startFast({ jobTiming: { queuedMs: 2, runningMs: 60_000, steps: 2 } });
      try {
        const openai = client(slow);
        const file = await uploadProcessed(openai);
        const first = await openai.fineTuning.jobs.create(jobParams(file.id));
        await waitForJob(openai, first.id, ["running"]);
        const second = await openai.fineTuning.jobs.create(jobParams(file.id));
        // Longer than queuedMs: only the busy slot can keep the second job pending now.
        await new Promise((resolve) => setTimeout(resolve, 20));
        expect((await openai.fineTuning.jobs.retrieve(second.id)).status).to.equal("pending");
        expect((await openai.fineTuning.jobs.retrieve(first.id)).status).to.equal("running");
        await openai.fineTuning.jobs.cancel(first.id);
        await waitForJob(openai, second.id, ["running"]);
      } finally {
        await slow.close();
      }
    });

    it("refuses a job beyond the queue limit with quotaExceeded", async () => {
      const slow = await startFast({
        jobTiming: { queuedMs: 2, runningMs: 60_000, steps: 1 },
        limits: { maxQueuedJobs: 1 },
      });
      try {
        const openai = client(slow);
        const file = await uploadProcessed(openai);
        const running = await openai.fineTuning.jobs.create(jobParams(file.id));
        await waitForJob(openai, running.id, ["running"]);
        await openai.fineTuning.jobs.create(jobParams(file.id));
        const res = await raw(slow, "POST", `/openai/fine_tuning/jobs?api-version=${GA}`, {
          body: jobParams(file.id),
        });
        expect(res.status).to.equal(400);
        expect(res.body).to.deep.equal({
          error: {
            code: "quotaExceeded",
            message:
              "The resource already has 1 queued fine-tuning jobs; the maximum is 1. Wait for queued jobs to start.",
          },
        });
      } finally {
        await slow.close();
      }
    });

    it("lists jobs newest first with after/limit paging", async () => {
      const openai = client(emulator);
      const file = await uploadProcessed(openai);
      const ids: string[] = [];
      for (let i = 0; i < 3; i++) {
        ids.push((await openai.fineTuning.jobs.create(jobParams(file.id))).id);
      }
      const page = await raw(emulator, "GET", `/openai/fine_tuning/jobs?api-version=${GA}&limit=2`);
      const body = page.body as { data: { id: string }[]; has_more: boolean; object: string };
      expect({
        object: body.object,
        ids: body.data.map((j) => j.id),
        has_more: body.has_more,
      }).to.deep.equal({
        object: "list",
        ids: [ids[2], ids[1]],
        has_more: true,
      });
      const next = await openai.fineTuning.jobs.list({ after: ids[1], limit: 2 });
      expect(next.data.map((j) => j.id)).to.deep.equal([ids[0]]);
      expect(next.has_more).to.equal(false);
    });
  });

  describe("failure injection, cancel and delete", () => {
    it("fails the next job with the injected Azure error", async () => {
      const openai = client(emulator);
      emulator.admin.failJobs({
        code: "invalidTrainingFile",
        message: "The training file has too few examples.",
      });
      const failed = await trainModel(openai);
      expect({
        status: failed.status,
        error: failed.error,
        fine_tuned_model: failed.fine_tuned_model,
        finished: typeof failed.finished_at,
      }).to.deep.equal({
        status: "failed",
        error: {
          code: "invalidTrainingFile",
          message: "The training file has too few examples.",
          param: null,
        },
        fine_tuned_model: null,
        finished: "number",
      });
      const [latest] = (await openai.fineTuning.jobs.listEvents(failed.id)).data;
      expect({ level: latest.level, message: latest.message }).to.deep.equal({
        level: "error",
        message: "The training file has too few examples.",
      });
      expect((await trainModel(openai)).status).to.equal("succeeded");
    });

    it("fails only jobs matching the suffix given over the admin HTTP API, after the delay", async () => {
      const openai = client(emulator);
      const injected = await raw(emulator, "POST", "/_emulator/job-failures", {
        key: false,
        body: { code: "internalFailure", message: "Training crashed.", suffix: "bad", afterMs: 5 },
      });
      expect(injected.status).to.equal(201);
      expect(injected.body).to.deep.equal({
        code: "internalFailure",
        message: "Training crashed.",
        afterMs: 5,
        suffix: "bad",
        remaining: 1,
      });
      expect((await trainModel(openai, { suffix: "good" })).status).to.equal("succeeded");
      const bad = await trainModel(openai, { suffix: "bad" });
      expect({ status: bad.status, error: bad.error }).to.deep.equal({
        status: "failed",
        error: { code: "internalFailure", message: "Training crashed.", param: null },
      });
    });

    it("cancels a pending or running job and refuses to cancel it twice", async () => {
      const slow = await startFast({ jobTiming: { queuedMs: 2, runningMs: 60_000, steps: 2 } });
      try {
        const openai = client(slow);
        const file = await uploadProcessed(openai);
        const running = await openai.fineTuning.jobs.create(jobParams(file.id));
        await waitForJob(openai, running.id, ["running"]);
        const pending = await openai.fineTuning.jobs.create(jobParams(file.id));
        expect((await openai.fineTuning.jobs.cancel(pending.id)).status).to.equal("cancelled");
        const cancelled = await openai.fineTuning.jobs.cancel(running.id);
        expect(cancelled.status).to.equal("cancelled");
        expect((await openai.fineTuning.jobs.listEvents(running.id)).data[0].message).to.equal(
          "Job cancelled.",
        );
        const again = await raw(
          slow,
          "POST",
          `/openai/fine_tuning/jobs/${running.id}/cancel?api-version=${GA}`,
        );
        expect(again.status).to.equal(400);
        expect(again.body).to.deep.equal({
          error: {
            code: "unexpectedEntityState",
            message: `The job '${running.id}' cannot be cancelled because its status is 'cancelled'.`,
          },
        });
      } finally {
        await slow.close();
      }
    });

    it("deletes a finished job with 204 on the dated API and keeps its tuned model", async () => {
      const openai = client(emulator);
      const job = await trainModel(openai);
      const res = await raw(
        emulator,
        "DELETE",
        `/openai/fine_tuning/jobs/${job.id}?api-version=${GA}`,
      );
      expect({ status: res.status, body: res.body }).to.deep.equal({
        status: 204,
        body: undefined,
      });
      const gone = await raw(
        emulator,
        "GET",
        `/openai/fine_tuning/jobs/${job.id}?api-version=${GA}`,
      );
      expect(gone.status).to.equal(404);
      expect(gone.body).to.deep.equal({
        error: { code: "notFound", message: `The fine-tuning job '${job.id}' was not found.` },
      });
      expect((await openai.models.retrieve(job.fine_tuned_model as string)).id).to.equal(
        job.fine_tuned_model,
      );
    });

    it("refuses to delete an unfinished job, and has no delete on v1", async () => {
      const slow = await startFast({ jobTiming: { queuedMs: 60_000, runningMs: 1, steps: 1 } });
      try {
        const openai = client(slow);
        const file = await uploadProcessed(openai);
        const job = await openai.fineTuning.jobs.create(jobParams(file.id));
        const res = await raw(
          slow,
          "DELETE",
          `/openai/fine_tuning/jobs/${job.id}?api-version=${GA}`,
        );
        expect(res.status).to.equal(400);
        expect(res.body).to.deep.equal({
          error: {
            code: "unexpectedEntityState",
            message: `The job '${job.id}' cannot be deleted because its status is 'pending'. Cancel it first.`,
          },
        });
        const v1 = await raw(slow, "DELETE", `/openai/v1/fine_tuning/jobs/${job.id}`);
        expect(v1.status).to.equal(404);
        expect(v1.body).to.deep.equal({ error: { code: "404", message: "Resource not found" } });
      } finally {
        await slow.close();
      }
    });
  });

  describe("pause and resume", () => {
    it("pauses a running job with a checkpoint and resumes it to success on a preview version", async () => {
      const slow = await startFast({ jobTiming: { queuedMs: 2, runningMs: 1000, steps: 2 } });
      try {
        const preview = client(slow, PREVIEW);
        const ga = client(slow, GA);
        const file = await uploadProcessed(preview);
        const job = await preview.fineTuning.jobs.create(
          jobParams(file.id, { hyperparameters: { n_epochs: 1 } }),
        );
        await waitFor(
          () => preview.fineTuning.jobs.listEvents(job.id),
          (events) => events.data.some((e) => e.type === "metrics"),
          "a first training step",
        );
        expect((await preview.fineTuning.jobs.pause(job.id)).status as string).to.equal("pausing");
        await waitForJob(preview, job.id, ["paused"]);
        expect((await ga.fineTuning.jobs.retrieve(job.id)).status).to.equal("running");
        const checkpoints = await preview.fineTuning.jobs.checkpoints.list(job.id);
        expect(checkpoints.data.length).to.equal(1);
        expect((await preview.fineTuning.jobs.resume(job.id)).status as string).to.equal(
          "resuming",
        );
        const done = await waitForJob(preview, job.id, ["succeeded"]);
        const messages = (
          await preview.fineTuning.jobs.listEvents(job.id, { limit: 100 })
        ).data.map((e) => e.message);
        expect(messages).to.include.members(["Job paused.", "Job resumed.", "Job succeeded."]);
        expect(done.fine_tuned_model).to.equal(`${MINI}.ft-${job.id.slice(6)}`);
      } finally {
        await slow.close();
      }
    });

    it("has no pause on the GA version and refuses to pause a job that is not running", async () => {
      const openai = client(emulator);
      const job = await trainModel(openai);
      const ga = await raw(
        emulator,
        "POST",
        `/openai/fine_tuning/jobs/${job.id}/pause?api-version=${GA}`,
      );
      expect(ga.status).to.equal(404);
      expect(ga.body).to.deep.equal({ error: { code: "404", message: "Resource not found" } });
      const preview = await raw(
        emulator,
        "POST",
        `/openai/fine_tuning/jobs/${job.id}/pause?api-version=${PREVIEW}`,
      );
      expect(preview.status).to.equal(400);
      expect(preview.body).to.deep.equal({
        error: {
          code: "unexpectedEntityState",
          message: `The job '${job.id}' cannot be paused: only jobs in 'running' status that have trained at least one step can be paused (status is 'succeeded').`,
        },
      });
    });
  });

  describe("request validation", () => {
    let fileId: string;

    beforeEach(async () => {
      fileId = (await uploadProcessed(client(emulator))).id;
    });

    async function create(path: string, body: unknown) {
      return raw(emulator, "POST", path, { body });
    }

    it("rejects a missing trainingType on preview versions with Azure's misleading model error", async () => {
      const res = await create(`/openai/fine_tuning/jobs?api-version=${PREVIEW}`, {
        model: MINI,
        training_file: fileId,
      });
      expect(res.status).to.equal(400);
      expect(res.body).to.deep.equal({ error: BASE_NOT_FINE_TUNABLE });
      const v1 = await create("/openai/v1/fine_tuning/jobs", {
        model: MINI,
        training_file: fileId,
      });
      expect(v1.body).to.deep.equal({
        error: { ...omitTarget(BASE_NOT_FINE_TUNABLE), param: "model", type: "error" },
      });
    });

    it("defaults trainingType to Standard on the GA version and takes the documented values", async () => {
      const ga = await create(`/openai/fine_tuning/jobs?api-version=${GA}`, {
        model: MINI,
        training_file: fileId,
      });
      expect(ga.status).to.equal(201);
      for (const trainingType of ["GlobalStandard", "developerTier"]) {
        const res = await create(`/openai/fine_tuning/jobs?api-version=${PREVIEW}`, {
          model: "gpt-4.1-mini",
          training_file: fileId,
          trainingType,
        });
        expect(res.status, trainingType).to.equal(201);
      }
      const state = emulator.admin.state();
      expect(state.jobs.map((j) => [j.model, j.trainingType])).to.deep.equal([
        [MINI, "Standard"],
        ["gpt-4.1-mini", "GlobalStandard"],
        ["gpt-4.1-mini", "developerTier"],
      ]);
    });

    it("rejects undocumented trainingType values, case-sensitively, naming the accepted ones", async () => {
      for (const trainingType of ["Premium", "globalstandard", "Developer", "DeveloperTier", 1]) {
        const res = await create(
          `/openai/fine_tuning/jobs?api-version=${GA}`,
          jobParams(fileId, { trainingType }),
        );
        expect(res.body, String(trainingType)).to.deep.equal({
          error: {
            code: "invalidPayload",
            message: `\`trainingType\` ${JSON.stringify(trainingType)} is not supported; use one of: Standard, GlobalStandard, developerTier.`,
            target: "trainingType",
          },
        });
      }
    });

    it("rejects a trainingType the model catalog does not offer for the model", async () => {
      const res = await create(
        `/openai/fine_tuning/jobs?api-version=${PREVIEW}`,
        jobParams(fileId, { model: "o4-mini-2025-04-16", trainingType: "developerTier" }),
      );
      expect(res.status).to.equal(400);
      expect(res.body).to.deep.equal({
        error: {
          code: "invalidPayload",
          message:
            "The model 'o4-mini-2025-04-16' cannot be trained with `trainingType` 'developerTier'; it offers: Standard, GlobalStandard.",
          target: "trainingType",
        },
      });
    });

    it("rejects models that cannot be fine-tuned and unknown tuned models", async () => {
      for (const model of [
        "gpt-4o-2024-11-20",
        "gpt-5",
        `${MINI}.ft-0123456789abcdef0123456789abcdef`,
      ]) {
        const res = await create(
          `/openai/fine_tuning/jobs?api-version=${GA}`,
          jobParams(fileId, { model }),
        );
        expect(res.body, model).to.deep.equal({ error: BASE_NOT_FINE_TUNABLE });
      }
    });

    it("rejects a method the model does not support", async () => {
      const res = await create(
        `/openai/fine_tuning/jobs?api-version=${PREVIEW}`,
        jobParams(fileId, { method: { type: "dpo", dpo: { hyperparameters: { beta: 0.1 } } } }),
      );
      expect(res.body).to.deep.equal({
        error: {
          code: "invalidPayload",
          message: `The model '${MINI}' does not support the fine-tuning method 'dpo'; it supports: supervised.`,
          target: "method.type",
        },
      });
    });

    it("applies the GA suffix rule (40 characters) on the dated API and 64 on v1", async () => {
      const long = "a".repeat(41);
      const dated = await create(
        `/openai/fine_tuning/jobs?api-version=${GA}`,
        jobParams(fileId, { suffix: long }),
      );
      expect(dated.body).to.deep.equal({
        error: {
          code: "invalidPayload",
          message: `\`suffix\` "${long}" is invalid; use 1 to 40 characters from a-z, A-Z, 0-9, - and _.`,
          target: "suffix",
        },
      });
      expect(
        (await create("/openai/v1/fine_tuning/jobs", jobParams(fileId, { suffix: long }))).status,
      ).to.equal(200);
      const dotted = await create(
        `/openai/fine_tuning/jobs?api-version=${GA}`,
        jobParams(fileId, { suffix: "my.model" }),
      );
      expect(dotted.status).to.equal(400);
    });

    it("rejects out-of-range hyperparameters, seed and metadata", async () => {
      const cases: [Record<string, unknown>, string, string][] = [
        [
          { hyperparameters: { n_epochs: 0 } },
          '`hyperparameters.n_epochs` must be "auto" or an integer from 1 to 50, got 0.',
          "hyperparameters.n_epochs",
        ],
        [{ seed: -1 }, "`seed` must be an integer from 0 to 2147483647, got -1.", "seed"],
        [
          { metadata: Object.fromEntries(Array.from({ length: 17 }, (_, i) => [`k${i}`, "v"])) },
          "`metadata` has 17 keys; at most 16 are allowed.",
          "metadata",
        ],
      ];
      for (const [extra, message, target] of cases) {
        const res = await create(
          `/openai/fine_tuning/jobs?api-version=${GA}`,
          jobParams(fileId, extra),
        );
        expect(res.body).to.deep.equal({ error: { code: "invalidPayload", message, target } });
      }
    });

    it("rejects an empty body, a missing training file and an unknown one", async () => {
      expect((await create(`/openai/fine_tuning/jobs?api-version=${GA}`, [])).body).to.deep.equal({
        error: { code: "invalidPayload", message: "The fineTuningJob field is required." },
      });
      expect(
        (await create(`/openai/fine_tuning/jobs?api-version=${GA}`, { model: MINI })).body,
      ).to.deep.equal({
        error: {
          code: "invalidPayload",
          message: "The training_file field is required.",
          target: "training_file",
        },
      });
      expect(
        (await create(`/openai/fine_tuning/jobs?api-version=${GA}`, jobParams("file-nope"))).body,
      ).to.deep.equal({
        error: {
          code: "invalidPayload",
          message: "The training_file 'file-nope' does not exist.",
          target: "training_file",
        },
      });
    });
  });
});

function omitTarget(error: { code: string; message: string; target: string }): {
  code: string;
  message: string;
} {
  return { code: error.code, message: error.message };
}

/**
 * Waiting for a FineTuningJob inside \`pulumi up\`: polling, progress lines, and the outcome as
 * outputs or as an init error that keeps the job in state.
 */
import type { AzureOpenAI } from "openai";
import type {
  FineTuningJob as AzureJob,
  FineTuningJobEvent,
} from "openai/resources/fine-tuning/jobs/jobs";
import { withRetries } from "../../lib/azure/retry";
import { envNumber } from "../../lib/env";
import { resourceInitError, sleep } from "../support";
import {
  DEFAULT_POLL_SECONDS,
  FineTuningJobProviderInputs,
  FineTuningJobProviderOutputs,
  FIRST_POLL_SECONDS,
  TERMINAL,
} from "./types";

function isoOrNull(seconds: number | null | undefined): string | null {
  return typeof seconds === "number" ? new Date(seconds * 1000).toISOString() : null;
}

/** Outputs for a job as Azure last reported it, with the inputs echoed for `diff`. */
export function jobOutputs(
  inputs: FineTuningJobProviderInputs,
  job: AzureJob,
  key: string,
): FineTuningJobProviderOutputs {
  const { __provider: _omit, ...echoed } = inputs as FineTuningJobProviderInputs & {
    __provider?: unknown;
  };
  return {
    ...echoed,
    jobId: job.id,
    status: job.status,
    fineTunedModel: job.fine_tuned_model ?? null,
    trainedTokens: job.trained_tokens ?? null,
    resultFiles: job.result_files ?? [],
    finishedAt: isoOrNull(job.finished_at),
    idempotencyKey: key,
  };
}

function describeEvent(event: FineTuningJobEvent): string {
  const data = event.data as
    { step?: number; train_loss?: number; valid_loss?: number } | undefined;
  if (event.type === "metrics" && data && typeof data.step === "number") {
    const losses = [
      typeof data.train_loss === "number"
        ? `training loss ${data.train_loss.toFixed(4)}`
        : undefined,
      typeof data.valid_loss === "number"
        ? `validation loss ${data.valid_loss.toFixed(4)}`
        : undefined,
    ].filter((part) => part !== undefined);
    return `step ${data.step}${losses.length > 0 ? `: ${losses.join(", ")}` : ""}`;
  }
  return event.message;
}

/**
 * Pid of the engine that started this plugin process: the grandparent, because Pulumi starts
 * the dynamic-provider host through the `pulumi-resource-pulumi-nodejs` shell script. Where
 * /proc is missing it falls back to the parent.
 */
function engineProcess(): string {
  try {
    const stat: string = require("fs").readFileSync(`/proc/${process.ppid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1];
  } catch {
    return String(process.ppid);
  }
}

/**
 * Polls the job until it ends or the deadline passes, printing status changes and new events.
 * Polls every 5 s, 10 s, 20 s, ... while the job is queued, then every `pollIntervalSeconds`
 * once it runs, and never sleeps past the deadline. `AZURE_OPENAI_JOB_POLL_MS` caps both (the
 * sandbox's jobs train in seconds, so a 60 s wait would be most of its `up`).
 */
async function waitForJob(
  client: AzureOpenAI,
  jobId: string,
  inputs: FineTuningJobProviderInputs,
  log: (line: string) => void,
): Promise<{ job: AzureJob; timedOut: boolean }> {
  const deadlineAt = Date.now() + inputs.deadlineMinutes * 60_000;
  const steadyMs = Math.min(
    (inputs.pollIntervalSeconds ?? DEFAULT_POLL_SECONDS) * 1000,
    envNumber("AZURE_OPENAI_JOB_POLL_MS", Infinity),
  );
  let earlyMs = Math.min(FIRST_POLL_SECONDS * 1000, steadyMs);
  const seenEvents = new Set<string>();
  let eventsAvailable = true;
  let lastStatus: string | undefined;
  const engine = engineProcess();
  for (;;) {
    if (engineProcess() !== engine) {
      // The CLI was killed (SIGKILL, a dead CI runner) and this plugin process was orphaned: no one
      // is waiting for the answer. The job trains on in Azure and the next `up` adopts it.
      process.exit(0);
    }
    const job = await withRetries("read fine-tuning job", () =>
      client.fineTuning.jobs.retrieve(jobId),
    );
    if (eventsAvailable) {
      try {
        const page = await withRetries("list fine-tuning job events", () =>
          client.fineTuning.jobs.listEvents(jobId, { limit: 50 }),
        );
        // Azure lists newest first; print oldest first. Messages are service text, never training data.
        for (const event of [...page.data].reverse()) {
          if (!seenEvents.has(event.id)) {
            seenEvents.add(event.id);
            log(`fine-tuning job ${jobId}: ${describeEvent(event)}`);
          }
        }
      } catch (err) {
        // Events came with api-version 2024-05-01-preview (Azure/azure-rest-api-specs
        // specification/cognitiveservices/data-plane/AzureOpenAI/authoring/preview/2024-05-01-preview/
        // examples/get_finetuning_job_events.json @ b2f74197); progress lines are optional.
        eventsAvailable = false;
        log(
          `fine-tuning job ${jobId}: events unavailable (${(err as Error).message}); showing status only`,
        );
      }
    }
    if (job.status !== lastStatus) {
      log(
        `fine-tuning job ${jobId}: ${lastStatus === undefined ? "status" : lastStatus + " →"} ${job.status}`,
      );
      lastStatus = job.status;
    }
    if (TERMINAL.includes(job.status)) {
      return { job, timedOut: false };
    }
    const remaining = deadlineAt - Date.now();
    if (remaining <= 0) {
      return { job, timedOut: true };
    }
    const interval = job.status === "running" ? steadyMs : earlyMs;
    earlyMs = Math.min(earlyMs * 2, steadyMs);
    await sleep(Math.min(interval, remaining));
  }
}

/**
 * Waits for the job and returns its outputs on success. A failed, cancelled or still-running
 * job (deadline) is thrown as a `ResourceInitError` so the engine keeps the job in state:
 * `destroy` can then delete it, and the next `up` replaces a failed job or resumes waiting.
 */
export async function finishJob(
  client: AzureOpenAI,
  jobId: string,
  inputs: FineTuningJobProviderInputs,
  key: string,
  log: (line: string) => void,
): Promise<FineTuningJobProviderOutputs> {
  const { job, timedOut } = await waitForJob(client, jobId, inputs, log);
  const outs = jobOutputs(inputs, job, key);
  if (job.status === "succeeded") {
    log(
      `fine-tuning job ${jobId}: fine-tuned model ${job.fine_tuned_model} (${job.trained_tokens ?? "?"} trained tokens)`,
    );
    return outs;
  }
  const properties = { ...outs, __provider: (inputs as { __provider?: unknown }).__provider };
  if (timedOut) {
    throw resourceInitError(
      `fine-tuning job ${jobId} is still ${job.status} after the ${inputs.deadlineMinutes}-minute deadline; Azure ` +
        "keeps training it. Run `pulumi up` again to keep waiting for this same job, or `pulumi destroy` to cancel and delete it.",
      jobId,
      properties,
    );
  }
  if (job.status === "failed") {
    const code = job.error?.code || "unknown";
    const message = (job.error?.message || "Azure gave no reason").replace(/\.+$/, "");
    throw resourceInitError(
      `fine-tuning job ${jobId} failed: ${code}: ${message}. Fix the cause and run \`pulumi up\` again: ` +
        "a new job replaces the failed one, which is then deleted.",
      jobId,
      properties,
    );
  }
  throw resourceInitError(
    `fine-tuning job ${jobId} was cancelled outside Pulumi. Run \`pulumi up\` again to start a new job.`,
    jobId,
    properties,
  );
}

/**
 * The emulator's own control surface, in process (`EmulatorAdmin`) and over HTTP under
 * `/_emulator/` (not counted, no api-version, no key). It stands in for what Azure does not
 * offer a test: ARM deployments, failure and fault injection, request counts, state inspection.
 */
import type { FastifyInstance } from "fastify";
import type { Surface } from "./dataPlane/apiVersion";
import type { RequestCounters, RequestCounts } from "./counters";
import { deleteDeployment, registerDeployment } from "./dataPlane/deployments";
import { invalidPayload, notFound } from "./errors";
import { FaultInjector, FaultRule, FaultSpec } from "./faults";
import { fileJson } from "./dataPlane/files";
import { JobFailureRule, JobRunner } from "./dataPlane/jobLifecycle";
import { jobJson } from "./dataPlane/jobs";
import { DeploymentRecord, EmulatorContext, emptyState } from "./state";

/** Admin path prefix. */
export const ADMIN_PREFIX = "/_emulator";

/** What `reset` clears; every field defaults to true. */
export interface ResetOptions {
  /** Files, uploads, jobs, tuned models, deployments (running jobs stop). */
  readonly state?: boolean;
  /** Request counters. */
  readonly counters?: boolean;
  /** Pending request faults and job failure rules. */
  readonly faults?: boolean;
}

/** Makes matching jobs fail (body of `POST /_emulator/job-failures`). */
export interface JobFailureSpec {
  /** `error.code` the failed job reports, e.g. "invalidTrainingFile". */
  readonly code: string;
  /** `error.message` the failed job reports. */
  readonly message: string;
  /** Delay from job creation to the failure in ms (default 0: the job fails while pending). */
  readonly afterMs?: number;
  /** Only jobs created with this `model` (as sent, or its resolved base id). */
  readonly model?: string;
  /** Only jobs created with this `suffix`. */
  readonly suffix?: string;
  /** Number of jobs to fail (default 1). */
  readonly count?: number;
}

/** Everything the emulator holds, for assertions and debugging (`GET /_emulator/state`). */
export interface StateDump {
  readonly files: Record<string, unknown>[];
  readonly uploads: Record<string, unknown>[];
  /** Jobs as a preview api-version shows them, plus `trainingType` (not echoed by Azure). */
  readonly jobs: Record<string, unknown>[];
  readonly models: {
    id: string;
    baseModel: string;
    jobId: string;
    createdAt: number;
    examples: number;
  }[];
  readonly deployments: DeploymentRecord[];
  readonly faults: FaultRule[];
  readonly jobFailures: JobFailureRule[];
}

/** In-process admin of a running emulator. */
export interface EmulatorAdmin {
  /** Request counts since start or the last counter reset. */
  counters(): RequestCounts;
  /** Clears state, counters and faults (each selectable). */
  reset(options?: ResetOptions): void;
  /** Injects a fault into the next matching data-plane requests. */
  injectFault(spec: FaultSpec): FaultRule;
  /** Active faults. */
  faults(): FaultRule[];
  /** Makes the next matching job(s) fail with an Azure-shaped error. */
  failJobs(spec: JobFailureSpec): JobFailureRule;
  /** Registers (or replaces) a deployment of a base or fine-tuned model. */
  registerDeployment(name: string, model: string): DeploymentRecord;
  /** Deletes a deployment; false when there was none. */
  deleteDeployment(name: string): boolean;
  /** Snapshot of the resource state. */
  state(): StateDump;
}

const DUMP_SURFACE: Surface = { kind: "dated", apiVersion: "2025-04-01-preview", preview: true };

function validateJobFailure(spec: unknown): JobFailureSpec {
  const s = (spec ?? {}) as Record<string, unknown>;
  if (
    typeof s.code !== "string" ||
    s.code === "" ||
    typeof s.message !== "string" ||
    s.message === ""
  ) {
    throw invalidPayload("A job failure needs a non-empty `code` and `message`.", "code");
  }
  if (s.afterMs !== undefined && (typeof s.afterMs !== "number" || !(s.afterMs >= 0))) {
    throw invalidPayload(
      `\`afterMs\` must be a number ≥ 0, got ${JSON.stringify(s.afterMs)}.`,
      "afterMs",
    );
  }
  if (s.count !== undefined && (!Number.isInteger(s.count) || (s.count as number) < 1)) {
    throw invalidPayload(
      `\`count\` must be an integer ≥ 1, got ${JSON.stringify(s.count)}.`,
      "count",
    );
  }
  for (const key of ["model", "suffix"]) {
    if (s[key] !== undefined && typeof s[key] !== "string") {
      throw invalidPayload(`\`${key}\` must be a string.`, key);
    }
  }
  return s as unknown as JobFailureSpec;
}

/** Builds the in-process admin. */
export function createAdmin(
  ctx: EmulatorContext,
  runner: JobRunner,
  counters: RequestCounters,
  faults: FaultInjector,
): EmulatorAdmin {
  return {
    counters: () => counters.snapshot(),
    reset: (options = {}) => {
      if (options.state !== false) {
        ctx.cancelAll();
        runner.clear();
        ctx.state = emptyState();
      }
      if (options.counters !== false) {
        counters.reset();
      }
      if (options.faults !== false) {
        faults.clear();
        runner.failureRules.length = 0;
      }
    },
    injectFault: (spec) => faults.add(spec),
    faults: () => faults.list(),
    failJobs: (spec) => {
      const s = validateJobFailure(spec);
      const rule: JobFailureRule = {
        code: s.code,
        message: s.message,
        afterMs: s.afterMs ?? 0,
        ...(s.model !== undefined ? { model: s.model } : {}),
        ...(s.suffix !== undefined ? { suffix: s.suffix } : {}),
        remaining: s.count ?? 1,
      };
      runner.failureRules.push(rule);
      return rule;
    },
    registerDeployment: (name, model) => registerDeployment(ctx, name, model),
    deleteDeployment: (name) => deleteDeployment(ctx, name),
    state: () => ({
      files: [...ctx.state.files.values()].map(fileJson),
      uploads: [...ctx.state.uploads.values()].map((u) => ({
        id: u.id,
        filename: u.filename,
        purpose: u.purpose,
        bytes: u.bytes,
        status: u.status,
        parts: u.parts.length,
        file_id: u.fileId,
      })),
      jobs: [...ctx.state.jobs.values()].map((job) => ({
        ...jobJson(job, DUMP_SURFACE),
        trainingType: job.trainingType,
      })),
      models: [...ctx.state.tunedModels.values()].map((m) => ({
        id: m.id,
        baseModel: m.baseModel,
        jobId: m.jobId,
        createdAt: m.createdAt,
        examples: m.exampleCount,
      })),
      deployments: [...ctx.state.deployments.values()],
      faults: faults.list(),
      jobFailures: runner.failureRules.filter((r) => r.remaining > 0).map((r) => ({ ...r })),
    }),
  };
}

/** Registers the admin HTTP API. */
export function registerAdminRoutes(app: FastifyInstance, admin: EmulatorAdmin): void {
  app.get(`${ADMIN_PREFIX}/requests`, async () => admin.counters());
  app.post(`${ADMIN_PREFIX}/reset`, async (request, reply) => {
    admin.reset((request.body ?? {}) as ResetOptions);
    return reply.code(204).send();
  });
  app.get(`${ADMIN_PREFIX}/faults`, async () => ({ data: admin.faults() }));
  app.post(`${ADMIN_PREFIX}/faults`, async (request, reply) =>
    reply.code(201).send(admin.injectFault(request.body as FaultSpec)),
  );
  app.delete(`${ADMIN_PREFIX}/faults`, async (_request, reply) => {
    admin.reset({ state: false, counters: false, faults: true });
    return reply.code(204).send();
  });
  app.post(`${ADMIN_PREFIX}/job-failures`, async (request, reply) =>
    reply.code(201).send(admin.failJobs(request.body as JobFailureSpec)),
  );
  app.get(`${ADMIN_PREFIX}/deployments`, async () => ({ data: admin.state().deployments }));
  app.post(`${ADMIN_PREFIX}/deployments`, async (request, reply) => {
    const body = (request.body ?? {}) as { name?: unknown; model?: unknown };
    return reply
      .code(201)
      .send(admin.registerDeployment(body.name as string, body.model as string));
  });
  app.delete(`${ADMIN_PREFIX}/deployments/:name`, async (request, reply) => {
    const name = (request.params as { name: string }).name;
    if (!admin.deleteDeployment(name)) {
      throw notFound(`Deployment '${name}' does not exist.`);
    }
    return reply.code(204).send();
  });
  app.get(`${ADMIN_PREFIX}/state`, async () => admin.state());
}

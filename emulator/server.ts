/**
 * Local emulator of the Azure OpenAI data plane used for fine-tuning: Files, Uploads, Fine-tuning
 * jobs, Models and chat completions on deployments, on the dated (`?api-version=`) and v1
 * surfaces, with Azure's auth, error bodies, limits and asynchronous lifecycles
 * (see emulator/README.md for what differs from Azure).
 */
import { randomBytes, randomUUID } from "node:crypto";
import type { Socket } from "node:net";
import multipart from "@fastify/multipart";
import Fastify, { FastifyError, FastifyReply, FastifyRequest, FastifyServerOptions } from "fastify";
import { ADMIN_PREFIX, createAdmin, EmulatorAdmin, registerAdminRoutes } from "./admin";
import { isV1Path, resolveSurface } from "./dataPlane/apiVersion";
import { BearerVerifier, checkAuth } from "./dataPlane/auth";
import { RequestCounters } from "./counters";
import { registerChatRoutes } from "./dataPlane/chat";
import { AzureError, errorBody, invalidPayload, routeNotFound } from "./errors";
import { applyFault, FaultInjector, loseResponse } from "./faults";
import { registerFileRoutes } from "./dataPlane/files";
import { JobRunner } from "./dataPlane/jobLifecycle";
import { registerJobRoutes } from "./dataPlane/jobs";
import { registerModelRoutes } from "./dataPlane/models";
import {
  AZURE_LIMITS,
  EmulatorContext,
  EmulatorLimits,
  EmulatorSettings,
  JobTiming,
} from "./state";
import { registerUploadRoutes } from "./dataPlane/uploads";

export type { EmulatorAdmin, JobFailureSpec, ResetOptions, StateDump } from "./admin";
export type { RequestCounts } from "./counters";
export type { FaultKind, FaultRule, FaultSpec } from "./faults";
export type { EmulatorLimits, JobTiming } from "./state";
export type { BearerVerdict, BearerVerifier } from "./dataPlane/auth";

/** Options of `startEmulator`. */
export interface EmulatorOptions {
  /** TCP port on 127.0.0.1; 0 (default) picks a free one. */
  readonly port?: number;
  /** Resource key `api-key` must equal; random when omitted. */
  readonly apiKey?: string;
  /**
   * Accept any `Authorization: Bearer` token unchecked (default false: like Azure, a bearer must be
   * a genuine token for a data-plane audience, see `verifyBearer`). For local tools and tests that
   * authenticate with Entra credentials the emulator cannot check.
   */
  readonly acceptBearer?: boolean;
  /**
   * Checks bearer tokens (signature and expiry); a token passes when the verdict is ok and its
   * audience is https://cognitiveservices.azure.com or https://ai.azure.com. The emulator's own
   * token service plugs in here. Without it (and without `acceptBearer`) every bearer is refused.
   */
  readonly verifyBearer?: BearerVerifier;
  /** Job lifecycle durations (defaults: queuedMs 1000, runningMs 5000, steps 10). */
  readonly jobTiming?: Partial<JobTiming>;
  /** Time from upload to `processed`/`error`, ms (default 500). */
  readonly fileProcessingMs?: number;
  /** Per-resource limits; Azure's by default. Tests lower them to exercise quotas cheaply. */
  readonly limits?: Partial<EmulatorLimits>;
  /** No progress lines (default false). */
  readonly quiet?: boolean;
  /** Where progress lines go when not quiet (default console.log). */
  readonly log?: (line: string) => void;
  /** Serve HTTPS with this PEM key and certificate chain instead of HTTP. */
  readonly https?: { readonly key: string; readonly cert: string };
  /**
   * Replaces the key/bearer check (local Azure plugs in token verification, RBAC, the firewall
   * and `disableLocalAuth`): the error to answer with, or undefined to let the request in.
   */
  readonly authorize?: (request: FastifyRequest) => AzureError | undefined;
}

/** A started emulator. */
export interface RunningEmulator {
  /** Resource endpoint, e.g. "http://127.0.0.1:41234" (pass to `AzureOpenAI({ endpoint })`). */
  readonly endpoint: string;
  /** The resource key. */
  readonly apiKey: string;
  /** In-process admin (same operations as `/_emulator/`). */
  readonly admin: EmulatorAdmin;
  /** Stops the server and every timer. */
  close(): Promise<void>;
}

const DEFAULT_TIMING: JobTiming = { queuedMs: 1000, runningMs: 5000, steps: 10 };

function requireNumber(
  value: number,
  name: string,
  opts: { integer?: boolean; min: number },
): number {
  if (
    typeof value !== "number" ||
    !Number.isFinite(value) ||
    value < opts.min ||
    (opts.integer && !Number.isInteger(value))
  ) {
    throw new Error(
      `startEmulator: \`${name}\` must be ${opts.integer ? "an integer" : "a number"} ≥ ${opts.min}, got ${JSON.stringify(value)}.`,
    );
  }
  return value;
}

/** Applies defaults and checks option values. */
export function resolveSettings(options: EmulatorOptions): EmulatorSettings {
  const timing = { ...DEFAULT_TIMING, ...options.jobTiming };
  const limits = { ...AZURE_LIMITS, ...options.limits };
  for (const [key, value] of Object.entries(limits)) {
    requireNumber(value, `limits.${key}`, { integer: true, min: 0 });
  }
  const apiKey = options.apiKey ?? randomBytes(16).toString("hex");
  if (apiKey === "") {
    throw new Error("startEmulator: `apiKey` must not be empty; omit it to get a random key.");
  }
  return {
    apiKey,
    acceptBearer: options.acceptBearer ?? false,
    verifyBearer: options.verifyBearer,
    jobTiming: {
      queuedMs: requireNumber(timing.queuedMs, "jobTiming.queuedMs", { min: 0 }),
      runningMs: requireNumber(timing.runningMs, "jobTiming.runningMs", { min: 0 }),
      steps: requireNumber(timing.steps, "jobTiming.steps", { integer: true, min: 1 }),
    },
    fileProcessingMs: requireNumber(options.fileProcessingMs ?? 500, "fileProcessingMs", {
      min: 0,
    }),
    limits,
  };
}

function isAdminPath(path: string): boolean {
  return path === ADMIN_PREFIX || path.startsWith(`${ADMIN_PREFIX}/`);
}

/** Our wording for the framework's client errors (Azure's own texts for these are unknown). */
const FRAMEWORK_MESSAGES: Readonly<Record<string, string>> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE:
    "The request's Content-Type is not supported; send application/json, or multipart/form-data to upload a file.",
  FST_ERR_CTP_BODY_TOO_LARGE: "The request body is too large.",
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: "The request's Content-Length does not match its body.",
  FST_ERR_BAD_URL: "The request URL is not valid.",
};

/** Turns framework errors (bad JSON, wrong content type, ...) into Azure-shaped ones. */
function toAzureError(error: FastifyError | Error, log: (line: string) => void): AzureError {
  if (error instanceof AzureError) {
    return error;
  }
  const { statusCode: status, code } = error as FastifyError;
  if (status !== undefined && status >= 400 && status < 500) {
    return new AzureError(status, "invalidPayload", FRAMEWORK_MESSAGES[code] ?? error.message);
  }
  log(`emulator: internal error: ${error.stack ?? error.message}`);
  return new AzureError(500, "internalFailure", "The emulator failed to handle the request.");
}

/** Answers a request the HTTP parser could not read (bad headers, ...) with a JSON 400. */
function clientErrorHandler(_error: Error, socket: Socket): void {
  if (!socket.writable) {
    return;
  }
  const body = JSON.stringify(
    errorBody(invalidPayload("The request is not valid HTTP/1.1."), "dated"),
  );
  socket.end(
    `HTTP/1.1 400 Bad Request\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

/** The fastify app with the emulator's server options and multipart support. */
async function createApp(options: EmulatorOptions, sink: (line: string) => void) {
  // Large uploads are bounded by the multipart limits per route, not by the JSON body limit.
  const serverOptions: FastifyServerOptions & { https?: EmulatorOptions["https"] } = {
    logger: false,
    forceCloseConnections: true,
    bodyLimit: 32 * 1024 * 1024,
    clientErrorHandler,
    // Errors raised before routing (a malformed URL) get the same Azure-shaped body.
    frameworkErrors: (error, _request, reply) => {
      const azure = toAzureError(error, sink);
      void (reply as FastifyReply).code(azure.status).send(errorBody(azure, "dated"));
    },
    ...(options.https ? { https: options.https } : {}),
  };
  const app = Fastify(serverOptions);
  await app.register(multipart);
  app.decorateRequest("surface", null as never);
  return app;
}

type App = Awaited<ReturnType<typeof createApp>>;

/** Tolerates an empty JSON body (POST .../cancel) and answers malformed JSON in Azure's shape. */
function registerJsonParser(app: App): void {
  app.removeContentTypeParser("application/json");
  app.addContentTypeParser("application/json", { parseAs: "string" }, (_request, body, done) => {
    if (body === "") {
      done(null, undefined);
      return;
    }
    try {
      done(null, JSON.parse(body as string));
    } catch {
      done(invalidPayload("The request body is not valid JSON."), undefined);
    }
  });
}

interface GateDeps {
  options: EmulatorOptions;
  settings: EmulatorSettings;
  counters: RequestCounters;
  faults: FaultInjector;
  lostResponses: WeakSet<FastifyRequest>;
}

/** The onRequest hook: request ids, counting, faults, auth and the API surface. */
function requestGate(deps: GateDeps) {
  const { options, settings, counters, faults, lostResponses } = deps;
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const requestId = randomUUID();
    reply.header("apim-request-id", requestId).header("x-request-id", requestId);
    const path = request.url.split("?")[0];
    if (isAdminPath(path)) {
      return;
    }
    const pattern = request.routeOptions.url;
    counters.record(request.method, pattern ?? path);
    const fault = faults.take(request.method, pattern, path);
    const outcome = fault ? await applyFault(fault, request, reply) : "continue";
    if (outcome === "handled") {
      return;
    }
    if (outcome === "loseResponse") {
      lostResponses.add(request);
    }
    const authError = options.authorize
      ? options.authorize(request)
      : checkAuth(request.headers, settings, isV1Path(path));
    if (authError) {
      throw authError;
    }
    if (path === "/openai" || path.startsWith("/openai/")) {
      const version = (request.query as Record<string, unknown>)["api-version"];
      const surface = resolveSurface(path, version);
      if (surface instanceof AzureError) {
        throw surface;
      }
      request.surface = surface;
    }
  };
}

function registerHooks(
  app: App,
  deps: Omit<GateDeps, "lostResponses">,
  log: (line: string) => void,
): void {
  const lostResponses = new WeakSet<FastifyRequest>();
  app.addHook("onRequest", requestGate({ ...deps, lostResponses }));

  // The handler has run (a create is committed); the client never hears back.
  app.addHook("onSend", async (request, _reply, payload) => {
    if (lostResponses.has(request)) {
      loseResponse(request);
    }
    return payload;
  });

  app.addHook("onResponse", async (request, reply) => {
    if (!isAdminPath(request.url.split("?")[0])) {
      log(`emulator: ${request.method} ${request.url} ${reply.statusCode}`);
    }
  });
}

function registerErrorHandlers(app: App, sink: (line: string) => void): void {
  app.setErrorHandler((error: FastifyError | Error, request, reply) => {
    const azure = toAzureError(error, sink);
    return reply
      .code(azure.status)
      .headers(azure.headers)
      .send(errorBody(azure, request.surface?.kind ?? "dated"));
  });
  app.setNotFoundHandler((_request, reply) =>
    reply.code(404).send(errorBody(routeNotFound(), "dated")),
  );
}

/** Starts an emulator on 127.0.0.1. */
export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const settings = resolveSettings(options);
  const port = requireNumber(options.port ?? 0, "port", { integer: true, min: 0 });
  const sink = options.log ?? ((line: string) => console.log(line));
  const log = options.quiet ? () => undefined : sink;
  const ctx = new EmulatorContext(settings, log);
  const runner = new JobRunner(ctx);
  const counters = new RequestCounters();
  const faults = new FaultInjector();
  const admin = createAdmin(ctx, runner, counters, faults);

  const app = await createApp(options, sink);
  registerJsonParser(app);
  registerHooks(app, { options, settings, counters, faults }, log);
  registerErrorHandlers(app, sink);

  registerFileRoutes(app, ctx);
  registerUploadRoutes(app, ctx);
  registerJobRoutes(app, ctx, runner);
  registerModelRoutes(app, ctx);
  registerChatRoutes(app, ctx);
  registerAdminRoutes(app, admin);

  await app.listen({ host: "127.0.0.1", port });
  const address = app.server.address();
  const boundPort = typeof address === "object" && address ? address.port : port;
  return {
    endpoint: `${options.https ? "https" : "http"}://127.0.0.1:${boundPort}`,
    apiKey: settings.apiKey,
    admin,
    close: async () => {
      ctx.cancelAll();
      runner.clear();
      await app.close();
    },
  };
}

/**
 * Local Azure: the management plane (ARM), the token service (managed-identity endpoint) and one
 * data plane per Cognitive Services account, around one state, over HTTPS with a certificate made
 * at start (the HTTP port is kept for clients that want it). `startLocalAzure` is what the CLI and
 * the SDK tests run; `startEmulator` (server.ts) stays the single data plane. Slightly over 400
 * lines: it is the one place that wires the planes' start-up (servers, context, default account).
 */
import { randomBytes, randomUUID } from "node:crypto";
import http from "node:http";
import https from "node:https";
import Fastify, { FastifyError, FastifyServerOptions } from "fastify";
import { ACCOUNT_ROUTES } from "./arm/accounts";
import { AUTHORIZATION_ROUTES } from "./arm/authorization";
import { ArmContext, ArmSettings } from "./arm/context";
import { dataPlaneGuard } from "./arm/dataPlaneAccess";
import { DELETED_ACCOUNT_ROUTES } from "./arm/deletedAccounts";
import { DEPLOYMENT_ROUTES } from "./arm/deployments";
import { RESOURCE_GROUP_ROUTES } from "./arm/resourceGroups";
import { ArmRoute, dispatch } from "./arm/router";
import { AccountDataPlane, AccountRecord, ArmState, DataPlaneHost } from "./arm/state";
import { GraphDirectory, registerGraphRoutes } from "./graph/graph";
import { registerLocalAzureAdmin } from "./localAzureAdmin";
import { AzureError } from "./errors";
import { applyFault, FaultInjector } from "./faults";
import { MSI_PATH, registerMsiEndpoint } from "./identity/msiEndpoint";
import { AUDIENCES, Principal, TokenService } from "./identity/tokens";
import { EmulatorOptions, startEmulator } from "./server";
import { generateLocalCertificates } from "./tls";

/** Every ARM route the emulator serves. */
export const ARM_ROUTES: readonly ArmRoute[] = [
  ...RESOURCE_GROUP_ROUTES,
  ...ACCOUNT_ROUTES,
  ...DEPLOYMENT_ROUTES,
  ...DELETED_ACCOUNT_ROUTES,
  ...AUTHORIZATION_ROUTES,
];

/** The account created at start so a client has a data plane right away. */
export interface DefaultAccountSpec {
  readonly resourceGroup: string;
  readonly name: string;
  readonly location: string;
}

/** Options of `startLocalAzure`. */
export interface LocalAzureOptions {
  /** HTTPS port of ARM (and the token service); 0 (default) picks one. */
  readonly port?: number;
  /** HTTP port serving the same routes; 0 (default) picks one. */
  readonly httpPort?: number;
  readonly subscriptionId?: string;
  readonly tenantId?: string;
  /** Managed identities; the first is the default one. Default: one "deployer" identity. */
  readonly identities?: readonly Principal[];
  /** Give every configured identity Owner on the subscription at start (default true). */
  readonly ownerAssignments?: boolean;
  /** Duration of ARM long-running operations, ms (default 100). */
  readonly operationMs?: number;
  /** Delay before a new role assignment applies, ms (default 0). */
  readonly propagationMs?: number;
  /**
   * Account created at start (default rg-local / aoai-local in swedencentral, the first identity
   * Cognitive Services OpenAI Contributor on it); false for none.
   */
  readonly defaultAccount?: DefaultAccountSpec | false;
  /** Data-plane options for every account (timings, limits). */
  readonly dataPlane?: Pick<EmulatorOptions, "jobTiming" | "fileProcessingMs" | "limits">;
  /** Token lifetime, seconds (default 3600). */
  readonly tokenLifetimeSeconds?: number;
  /** The clock of tokens, operations and model lifecycle checks, ms (default Date.now). */
  readonly clock?: () => number;
  readonly quiet?: boolean;
  readonly log?: (line: string) => void;
}

/** A running local Azure. */
export interface RunningLocalAzure {
  /** `https://127.0.0.1:<port>`: ARM (AZURE_RESOURCE_MANAGER_ENDPOINT). */
  readonly armEndpoint: string;
  /** Microsoft Graph (`/v1.0/...`): the same host as ARM. */
  readonly graphEndpoint: string;
  /** The same routes over HTTP. */
  readonly armHttpEndpoint: string;
  /** IDENTITY_ENDPOINT (http, like App Service's). */
  readonly identityEndpoint: string;
  /** IDENTITY_HEADER. */
  readonly identityHeader: string;
  /** The CA certificate to trust (PEM). */
  readonly caPem: string;
  readonly subscriptionId: string;
  readonly tenantId: string;
  readonly identities: readonly Principal[];
  /** The default account's data plane, when one was created. */
  readonly defaultAccount?: {
    readonly id: string;
    readonly endpoint: string;
    readonly apiKey: string;
  };
  readonly context: ArmContext;
  /** A token for `principal` (default: the first identity) and `resource`. */
  token(resource: string, principal?: Principal): string;
  close(): Promise<void>;
}

function newPrincipal(displayName: string): Principal {
  return { objectId: randomUUID(), clientId: randomUUID(), displayName };
}

function hostFor(
  options: LocalAzureOptions,
  tls: { key: string; cert: string },
  ctxRef: { ctx?: ArmContext },
): DataPlaneHost {
  return {
    async start(account: AccountRecord): Promise<AccountDataPlane> {
      const keys: [string, string] = [
        randomBytes(16).toString("hex"),
        randomBytes(16).toString("hex"),
      ];
      const emulator = await startEmulator({
        ...options.dataPlane,
        apiKey: keys[0],
        https: tls,
        quiet: options.quiet,
        log: options.log,
        authorize: dataPlaneGuard(ctxRef.ctx as ArmContext, account),
      });
      return {
        endpoint: `${emulator.endpoint}/`,
        keys,
        tunedModels: () => emulator.admin.state().models.map((m) => m.id),
        deploy: (name, model) => void emulator.admin.registerDeployment(name, model),
        undeploy: (name) => void emulator.admin.deleteDeployment(name),
        close: () => emulator.close(),
      };
    },
  };
}

interface Servers {
  httpsServer?: https.Server;
  httpServer?: http.Server;
}

function listen(server: http.Server | https.Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => {
      const address = server.address();
      resolve(typeof address === "object" && address ? address.port : port);
    });
  });
}

type Tls = { key: string; cert: string };

/** The ARM context shared by every route; its timers are tracked so `close` can clear them. */
function createArmContext(
  options: LocalAzureOptions,
  tls: Tls,
  tokens: TokenService,
  graph: GraphDirectory,
  timers: Map<NodeJS.Timeout, () => void>,
  ids: { subscriptionId: string; tenantId: string },
  log: (line: string) => void,
): ArmContext {
  const settings: ArmSettings = {
    subscriptionId: ids.subscriptionId,
    tenantId: ids.tenantId,
    operationMs: options.operationMs ?? 100,
    propagationMs: options.propagationMs ?? 0,
    callerAddress: undefined,
  };
  const ref: { ctx?: ArmContext } = {};
  const ctx: ArmContext = {
    state: new ArmState(),
    settings,
    tokens,
    host: hostFor(options, tls, ref),
    principalType: (id) =>
      graph.typeOf(id) ??
      (tokens.findPrincipal(id)?.objectId === id ? "ServicePrincipal" : undefined),
    schedule: (ms, fn) => {
      const run = () => {
        clearTimeout(timer);
        timers.delete(timer);
        fn();
      };
      const timer = setTimeout(run, ms);
      timers.set(timer, run);
    },
    finishScheduled: () => [...timers.values()].forEach((run) => run()),
    now: () => tokens.clock(),
    log,
  };
  ref.ctx = ctx;
  return ctx;
}

function grantOwners(
  ctx: ArmContext,
  identities: readonly Principal[],
  subscriptionId: string,
): void {
  for (const p of identities) {
    ctx.state.roleAssignments.set(randomUUID(), {
      name: randomUUID(),
      scope: `/subscriptions/${subscriptionId}`,
      roleDefinitionId: `/subscriptions/${subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/8e3af657-a8ff-443c-a75c-2fe8c4bcb635`,
      principalId: p.objectId,
      principalType: "ServicePrincipal",
      description: "Owner given at emulator start",
      createdOn: new Date().toISOString(),
      effectiveAt: 0,
    });
  }
}

/** A fastify app served by both an https and an http server, which land in `servers`. */
function createApp(tls: Tls, servers: Servers) {
  const serverOptions: FastifyServerOptions = {
    logger: false,
    forceCloseConnections: true,
    serverFactory: (handler) => {
      servers.httpServer = http.createServer(handler);
      servers.httpsServer = https.createServer(tls, handler);
      return servers.httpsServer as unknown as http.Server;
    },
  };
  const app = Fastify(serverOptions);
  app.setErrorHandler((error: FastifyError | Error, _request, reply) => {
    const azure =
      error instanceof AzureError
        ? error
        : new AzureError(
            (error as FastifyError).statusCode ?? 500,
            "InvalidRequestContent",
            error.message,
            null,
            "gateway",
          );
    return reply
      .code(azure.status)
      .headers(azure.headers)
      .send({ error: { code: azure.code, message: azure.message } });
  });
  return app;
}

/**
 * One line per answered request, errors included: `local-azure: METHOD path status` for ARM,
 * `local-graph: ...` for Graph (the sandbox counts them). Admin and token requests are not logged.
 */
function logRequests(app: ReturnType<typeof createApp>, log: (line: string) => void): void {
  app.addHook("onResponse", async (request, reply) => {
    const path = armPath(request.url);
    if (path.startsWith("/_emulator/") || path === MSI_PATH) return;
    const plane = path.startsWith("/v1.0/") ? "local-graph" : "local-azure";
    log(`${plane}: ${request.method} ${path} ${reply.statusCode}`);
  });
}

/** SDKs join `/{scope}` with a scope that starts with "/": ARM treats "//" as "/". */
function armPath(url: string): string {
  return decodeURIComponent(url.split("?")[0]).replace(/\/{2,}/g, "/");
}

function registerArmCatchAll(
  app: ReturnType<typeof createApp>,
  ctx: ArmContext,
  faults: FaultInjector,
): void {
  app.all("/*", async (request, reply) => {
    const path = armPath(request.url);
    const fault = faults.take(request.method, undefined, path);
    if (fault && (await applyFault(fault, request, reply)) === "handled") {
      return reply;
    }
    const answer = await dispatch(ctx, ARM_ROUTES, {
      method: request.method,
      path,
      query: request.query as Record<string, string | undefined>,
      body: request.body,
      authorization: request.headers.authorization,
      origin: `${request.protocol}://${request.headers.host ?? request.hostname}`,
    });
    reply
      .code(answer.status)
      .headers({ "x-ms-request-id": randomUUID(), ...(answer.headers ?? {}) });
    return answer.body === undefined ? reply.send() : reply.send(answer.body);
  });
}

async function closeLocalAzure(
  app: ReturnType<typeof createApp>,
  ctx: ArmContext,
  servers: Servers,
  timers: Map<NodeJS.Timeout, () => void>,
): Promise<void> {
  timers.forEach((_run, t) => clearTimeout(t));
  await Promise.all([...ctx.state.accounts.values()].map((a) => a.dataPlane?.close()));
  // The servers were started here, not by fastify's listen, so they are closed here too.
  for (const server of [servers.httpServer, servers.httpsServer]) {
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve));
  }
  await app.close();
}

/** Starts local Azure on 127.0.0.1. */
export async function startLocalAzure(options: LocalAzureOptions = {}): Promise<RunningLocalAzure> {
  const certs = generateLocalCertificates();
  const tls = { key: certs.keyPem, cert: certs.certPem };
  const tenantId = options.tenantId ?? randomUUID();
  const subscriptionId = (options.subscriptionId ?? randomUUID()).toLowerCase();
  const tokens = new TokenService({
    tenantId,
    lifetimeSeconds: options.tokenLifetimeSeconds,
    clock: options.clock,
  });
  const identities = options.identities?.length ? options.identities : [newPrincipal("deployer")];
  identities.forEach((p) => tokens.addPrincipal(p));
  const timers = new Map<NodeJS.Timeout, () => void>();
  const graph = new GraphDirectory();
  const log = options.quiet ? () => undefined : (options.log ?? console.log);
  const ids = { subscriptionId, tenantId };
  const ctx = createArmContext(options, tls, tokens, graph, timers, ids, log);
  if (options.ownerAssignments ?? true) {
    grantOwners(ctx, identities, subscriptionId);
  }
  const identityHeader = randomBytes(16).toString("hex");
  const faults = new FaultInjector();
  const servers: Servers = {};
  const app = createApp(tls, servers);
  logRequests(app, log);
  registerMsiEndpoint(app, tokens, identityHeader, () => identities[0]);
  registerLocalAzureAdmin(app, ctx, faults);
  registerGraphRoutes(app, tokens, graph);
  registerArmCatchAll(app, ctx, faults);
  await app.ready();
  const port = await listen(servers.httpsServer as https.Server, options.port ?? 0);
  const httpPort = await listen(servers.httpServer as http.Server, options.httpPort ?? 0);
  const armEndpoint = `https://127.0.0.1:${port}`;
  const token = (resource: string, principal: Principal = identities[0]) =>
    tokens.issue(principal, tokens.audienceFor(resource) ?? resource).accessToken;
  const defaultAccount =
    options.defaultAccount === false
      ? undefined
      : await createDefaultAccount(
          ctx,
          armEndpoint,
          token(AUDIENCES.arm),
          identities[0].objectId,
          options.defaultAccount,
        );
  return {
    armEndpoint,
    graphEndpoint: armEndpoint,
    armHttpEndpoint: `http://127.0.0.1:${httpPort}`,
    identityEndpoint: `http://127.0.0.1:${httpPort}${MSI_PATH}`,
    identityHeader,
    caPem: certs.caPem,
    subscriptionId,
    tenantId,
    identities,
    defaultAccount,
    context: ctx,
    token,
    close: () => closeLocalAzure(app, ctx, servers, timers),
  };
}

async function createDefaultAccount(
  ctx: ArmContext,
  origin: string,
  bearer: string,
  principalId: string,
  spec: DefaultAccountSpec = {
    resourceGroup: "rg-local",
    name: "aoai-local",
    location: "swedencentral",
  },
): Promise<{ id: string; endpoint: string; apiKey: string }> {
  const group = `/subscriptions/${ctx.settings.subscriptionId}/resourceGroups/${spec.resourceGroup}`;
  const id = `${group}/providers/Microsoft.CognitiveServices/accounts/${spec.name}`;
  const put = (path: string, version: string, body: unknown) =>
    dispatch(ctx, ARM_ROUTES, {
      method: "PUT",
      path,
      query: { "api-version": version },
      body,
      authorization: `Bearer ${bearer}`,
      origin,
    });
  await put(group, "2024-03-01", { location: spec.location });
  await put(id, "2025-06-01", {
    location: spec.location,
    kind: "OpenAI",
    sku: { name: "S0" },
    properties: { customSubDomainName: spec.name },
  });
  // The default identity may call the default account keylessly, as a deployer usually can.
  await put(
    `${id}/providers/Microsoft.Authorization/roleAssignments/${randomUUID()}`,
    "2022-04-01",
    {
      properties: {
        roleDefinitionId: `/subscriptions/${ctx.settings.subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/a001fd3d-188f-4b5d-821b-7da978bf7442`,
        principalId: principalId,
        principalType: "ServicePrincipal",
      },
    },
  );
  const account = ctx.state.account(spec.resourceGroup, spec.name) as AccountRecord;
  account.provisioningState = "Succeeded";
  account.busyUntil = 0;
  const plane = account.dataPlane as AccountDataPlane;
  return { id, endpoint: plane.endpoint, apiKey: plane.keys[0] };
}

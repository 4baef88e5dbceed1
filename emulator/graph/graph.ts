/**
 * Microsoft Graph v1.0 for what @pulumi/azuread manages here: applications, service principals and
 * federated identity credentials (https://learn.microsoft.com/graph/api/resources/application,
 * `servicePrincipal`, `federatedIdentityCredential`). Tokens must carry the Graph audience.
 * Rules: a federated credential's `name` is unique in its application, `audiences` holds exactly one
 * value, `issuer` and `subject` are required (subject ≤ 600 characters), one issuer/subject pair
 * per application, at most 20 credentials per application
 * (https://learn.microsoft.com/entra/workload-id/workload-identity-federation-considerations).
 */
import { randomUUID } from "node:crypto";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { AUDIENCES, TokenService } from "../identity/tokens";

type Json = Record<string, unknown>;

/** A Graph directory: applications with their credentials, and service principals. */
export class GraphDirectory {
  readonly applications = new Map<string, Json & { federated: Json[] }>();
  readonly servicePrincipals = new Map<string, Json>();

  /** "ServicePrincipal" when `objectId` is a service principal of this directory. */
  typeOf(objectId: string): string | undefined {
    return this.servicePrincipals.has(objectId) ? "ServicePrincipal" : undefined;
  }
}

/** Maximum federated identity credentials per application. */
export const MAX_FEDERATED_CREDENTIALS = 20;

class GraphError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

function badRequest(message: string): GraphError {
  return new GraphError(400, "Request_BadRequest", message);
}

function notFound(id: string): GraphError {
  return new GraphError(
    404,
    "Request_ResourceNotFound",
    `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`,
  );
}

function appView(app: Json & { federated: Json[] }): Json {
  const { federated, ...rest } = app;
  void federated;
  return {
    "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#applications/$entity",
    ...rest,
  };
}

function findApp(dir: GraphDirectory, key: string): Json & { federated: Json[] } {
  const byAppId = /^\(appId='([^']+)'\)$/.exec(key)?.[1];
  const app = byAppId
    ? [...dir.applications.values()].find((a) => a.appId === byAppId)
    : dir.applications.get(key);
  if (!app) {
    throw notFound(byAppId ?? key);
  }
  return app;
}

function validateFederated(app: { federated: Json[] }, body: Json, replacing?: Json): Json {
  const name = body.name ?? replacing?.name;
  const issuer = body.issuer ?? replacing?.issuer;
  const subject = body.subject ?? replacing?.subject;
  const audiences = body.audiences ?? replacing?.audiences;
  if (typeof name !== "string" || !/^[A-Za-z0-9][A-Za-z0-9_-]{0,119}$/.test(name)) {
    throw badRequest(
      "Federated identity credential name must be 1-120 characters: letters, digits, '-' and '_', starting with a letter or digit.",
    );
  }
  if (typeof issuer !== "string" || !/^https:\/\//.test(issuer)) {
    throw badRequest("Federated identity credential issuer must be an https URL.");
  }
  if (typeof subject !== "string" || subject === "" || subject.length > 600) {
    throw badRequest(
      "Federated identity credential subject is required and at most 600 characters.",
    );
  }
  if (!Array.isArray(audiences) || audiences.length !== 1) {
    throw badRequest("Federated identity credential audiences must contain exactly one value.");
  }
  const others = app.federated.filter((f) => f !== replacing);
  if (others.some((f) => f.name === name)) {
    throw new GraphError(
      409,
      "Request_MultipleObjectsWithSameKeyValue",
      `FederatedIdentityCredential with name ${name} already exists.`,
    );
  }
  if (others.some((f) => f.issuer === issuer && f.subject === subject)) {
    throw new GraphError(
      409,
      "Request_MultipleObjectsWithSameKeyValue",
      `FederatedIdentityCredential with the same issuer and subject already exists.`,
    );
  }
  if (!replacing && app.federated.length >= MAX_FEDERATED_CREDENTIALS) {
    throw badRequest(
      `An application can have at most ${MAX_FEDERATED_CREDENTIALS} federated identity credentials.`,
    );
  }
  return {
    id: replacing?.id ?? randomUUID(),
    name,
    issuer,
    subject,
    audiences,
    description: body.description ?? replacing?.description ?? null,
  };
}

type GraphAnswer = { status: number; body?: unknown };
type GraphHandler = (
  request: FastifyRequest,
  params: Record<string, string>,
  body: Json,
) => GraphAnswer;
type Handle = (
  fn: GraphHandler,
) => (request: FastifyRequest, reply: FastifyReply) => Promise<unknown>;
type FederatedApp = Json & { federated: Json[] };

function unauthorized(kind: string): GraphError {
  return new GraphError(
    401,
    "InvalidAuthenticationToken",
    kind === "missing"
      ? "Access token is empty."
      : "Access token validation failure. Invalid audience.",
  );
}

/** Wraps a route body: checks the Graph audience and turns a GraphError into its Graph reply. */
function graphHandle(tokens: TokenService): Handle {
  return (fn) => async (request, reply) => {
    const check = tokens.verify(request.headers.authorization, [
      AUDIENCES.graph,
      `${AUDIENCES.graph}/`,
    ]);
    try {
      if (!check.ok) {
        throw unauthorized(check.problem.kind);
      }
      const answer = fn(
        request,
        request.params as Record<string, string>,
        (request.body ?? {}) as Json,
      );
      return reply.code(answer.status).send(answer.body);
    } catch (err) {
      if (err instanceof GraphError) {
        return reply.code(err.status).send({ error: { code: err.code, message: err.message } });
      }
      throw err;
    }
  };
}

function createApplication(dir: GraphDirectory, body: Json): GraphAnswer {
  if (typeof body.displayName !== "string" || body.displayName === "") {
    throw badRequest("Property 'displayName' is required.");
  }
  const created = {
    ...body,
    id: randomUUID(),
    appId: randomUUID(),
    createdDateTime: new Date().toISOString(),
    federated: [] as Json[],
  };
  dir.applications.set(created.id, created);
  return { status: 201, body: appView(created) };
}

function registerApplicationRoutes(
  app: FastifyInstance,
  handle: Handle,
  dir: GraphDirectory,
): void {
  app.post(
    "/v1.0/applications",
    handle((_r, _p, body) => createApplication(dir, body)),
  );
  app.get(
    "/v1.0/applications",
    handle(() => ({ status: 200, body: { value: [...dir.applications.values()].map(appView) } })),
  );
  app.get(
    "/v1.0/applications:key",
    handle((_r, p) => ({ status: 200, body: appView(findApp(dir, p.key)) })),
  );
  app.get(
    "/v1.0/applications/:id",
    handle((_r, p) => ({ status: 200, body: appView(findApp(dir, p.id)) })),
  );
  app.patch(
    "/v1.0/applications/:id",
    handle((_r, p, body) => {
      const found = findApp(dir, p.id);
      Object.assign(found, body, { id: found.id, appId: found.appId });
      return { status: 204 };
    }),
  );
  app.delete(
    "/v1.0/applications/:id",
    handle((_r, p) => {
      const found = findApp(dir, p.id);
      dir.applications.delete(found.id as string);
      return { status: 204 };
    }),
  );
}

function createServicePrincipal(
  tokens: TokenService,
  dir: GraphDirectory,
  body: Json,
): GraphAnswer {
  const owner = [...dir.applications.values()].find((a) => a.appId === body.appId);
  if (!owner) {
    throw badRequest(
      `The appId '${String(body.appId)}' of the service principal does not reference a valid application object.`,
    );
  }
  if ([...dir.servicePrincipals.values()].some((s) => s.appId === body.appId)) {
    throw new GraphError(
      409,
      "Request_MultipleObjectsWithSameKeyValue",
      "The service principal cannot be created, updated, or restored because the service principal name is already in use.",
    );
  }
  const sp = {
    ...body,
    id: randomUUID(),
    appId: body.appId,
    displayName: owner.displayName,
    servicePrincipalType: "Application",
    accountEnabled: true,
  };
  dir.servicePrincipals.set(sp.id, sp);
  tokens.addPrincipal({
    objectId: sp.id,
    clientId: String(sp.appId),
    displayName: String(sp.displayName),
  });
  return { status: 201, body: sp };
}

function registerServicePrincipalRoutes(
  app: FastifyInstance,
  handle: Handle,
  tokens: TokenService,
  dir: GraphDirectory,
): void {
  app.post(
    "/v1.0/servicePrincipals",
    handle((_r, _p, body) => createServicePrincipal(tokens, dir, body)),
  );
  app.get(
    "/v1.0/servicePrincipals/:id",
    handle((_r, p) => {
      const sp = dir.servicePrincipals.get(p.id);
      if (!sp) throw notFound(p.id);
      return { status: 200, body: sp };
    }),
  );
  app.delete(
    "/v1.0/servicePrincipals/:id",
    handle((_r, p) => {
      if (!dir.servicePrincipals.delete(p.id)) throw notFound(p.id);
      return { status: 204 };
    }),
  );
}

function findFederated(
  dir: GraphDirectory,
  p: Record<string, string>,
): { found: FederatedApp; credential: Json } {
  const found = findApp(dir, p.id);
  const credential = found.federated.find((f) => f.id === p.fid || f.name === p.fid);
  if (!credential) throw notFound(p.fid);
  return { found, credential };
}

function registerFederatedRoutes(app: FastifyInstance, handle: Handle, dir: GraphDirectory): void {
  const fic = "/v1.0/applications/:id/federatedIdentityCredentials";
  app.post(
    fic,
    handle((_r, p, body) => {
      const found = findApp(dir, p.id);
      const credential = validateFederated(found, body);
      found.federated.push(credential);
      return { status: 201, body: credential };
    }),
  );
  app.get(
    fic,
    handle((_r, p) => ({ status: 200, body: { value: findApp(dir, p.id).federated } })),
  );
  app.get(
    `${fic}/:fid`,
    handle((_r, p) => ({ status: 200, body: findFederated(dir, p).credential })),
  );
  app.patch(
    `${fic}/:fid`,
    handle((_r, p, body) => {
      const { found, credential } = findFederated(dir, p);
      const updated = validateFederated(found, body, credential);
      found.federated[found.federated.indexOf(credential)] = updated;
      return { status: 204 };
    }),
  );
  app.delete(
    `${fic}/:fid`,
    handle((_r, p) => {
      const { found, credential } = findFederated(dir, p);
      found.federated.splice(found.federated.indexOf(credential), 1);
      return { status: 204 };
    }),
  );
}

/** Registers Graph routes under /v1.0 on `app`. */
export function registerGraphRoutes(
  app: FastifyInstance,
  tokens: TokenService,
  dir: GraphDirectory,
): void {
  const handle = graphHandle(tokens);
  registerApplicationRoutes(app, handle, dir);
  registerServicePrincipalRoutes(app, handle, tokens, dir);
  registerFederatedRoutes(app, handle, dir);
}

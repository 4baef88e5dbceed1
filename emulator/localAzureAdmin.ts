/**
 * Admin API of local Azure (`/_emulator/arm/...`, `/_emulator/identity/...`; no token needed):
 * read the ARM state, change timings, the firewall's view of the caller, delete resources out of
 * band (as someone in the portal would), retire base models, inject faults into ARM routes, add
 * principals and mint tokens for them.
 */
import { randomUUID } from "node:crypto";
import type { FastifyInstance } from "fastify";
import { softDeleteAccount } from "./arm/accounts";
import { retiredKey } from "./arm/baseModels";
import type { ArmContext } from "./arm/context";
import { accountView, deletedView } from "./arm/views";
import { invalidPayload } from "./errors";
import { FaultInjector, FaultSpec } from "./faults";
import type { Principal } from "./identity/tokens";

type Body = Record<string, unknown> | undefined;

function dump(ctx: ArmContext): Record<string, unknown> {
  const s = ctx.state;
  return {
    settings: ctx.settings,
    resourceGroups: [...s.resourceGroups.values()],
    accounts: [...s.accounts.values()].map((a) => ({
      ...accountView(ctx, a),
      deployments: [...a.deployments.values()],
      projects: [...a.projects.values()],
    })),
    deletedAccounts: [...s.deletedAccounts.values()].map((d) => deletedView(ctx, d)),
    roleAssignments: [...s.roleAssignments.values()],
    customRoles: [...s.roleDefinitions.values()].filter((r) => r.roleType === "CustomRole"),
    retiredModels: Object.fromEntries(
      [...s.retiredModels].map(([model, since]) => [model, new Date(since).toISOString()]),
    ),
    warnings: s.warnings,
  };
}

/**
 * Retires base model `name` (one `version`, or every version when none is given) from `since`
 * (ISO date; default now): new deployments of it are refused with `ServiceModelDeprecated`.
 */
function registerModelRetirement(app: FastifyInstance, ctx: ArmContext): void {
  app.post("/_emulator/arm/models/:name/retire", async (request) => {
    const { name } = request.params as { name: string };
    const body = (request.body as Body) ?? {};
    const version = body.version === undefined ? undefined : String(body.version);
    const since = body.since === undefined ? ctx.now() : Date.parse(String(body.since));
    if (Number.isNaN(since)) {
      throw invalidPayload(
        `\`since\` must be an ISO date, got ${JSON.stringify(body.since)}.`,
        "since",
      );
    }
    ctx.state.retiredModels.set(retiredKey(name, version), since);
    return { model: name, version: version ?? "*", since: new Date(since).toISOString() };
  });
  app.delete("/_emulator/arm/models/:name/retire", async (request, reply) => {
    const { name } = request.params as { name: string };
    const version = (request.query as Record<string, string | undefined>).version;
    ctx.state.retiredModels.delete(retiredKey(name, version));
    return reply.code(204).send();
  });
}

/** Deletes the resource with ARM id `id` out of band; false when there is none. */
export function deleteOutOfBand(ctx: ArmContext, id: string): boolean {
  const parts = id.split("/").filter(Boolean);
  const lower = parts.map((p) => p.toLowerCase());
  const at = (name: string) => parts[lower.indexOf(name) + 1];
  if (lower.includes("roleassignments")) {
    return ctx.state.roleAssignments.delete(at("roleassignments").toLowerCase());
  }
  if (lower.includes("roledefinitions")) {
    return ctx.state.roleDefinitions.delete(at("roledefinitions").toLowerCase());
  }
  const account = lower.includes("accounts")
    ? ctx.state.account(at("resourcegroups"), at("accounts"))
    : undefined;
  if (!account) {
    return false;
  }
  if (lower.includes("deployments")) {
    account.dataPlane?.undeploy(at("deployments"));
    return account.deployments.delete(at("deployments"));
  }
  softDeleteAccount(ctx, account);
  return true;
}

/** Registers the admin routes. */
export function registerLocalAzureAdmin(
  app: FastifyInstance,
  ctx: ArmContext,
  faults: FaultInjector,
): void {
  app.get("/_emulator/arm/state", async () => dump(ctx));
  registerModelRetirement(app, ctx);
  app.patch("/_emulator/arm/settings", async (request) => {
    const body = (request.body as Body) ?? {};
    for (const key of ["operationMs", "propagationMs"] as const) {
      if (body[key] !== undefined) {
        if (typeof body[key] !== "number" || (body[key] as number) < 0) {
          throw invalidPayload(
            `\`${key}\` must be a number ≥ 0, got ${JSON.stringify(body[key])}.`,
            key,
          );
        }
        ctx.settings[key] = body[key] as number;
      }
    }
    if (body.callerAddress !== undefined) {
      ctx.settings.callerAddress =
        body.callerAddress === null ? undefined : String(body.callerAddress);
    }
    return ctx.settings;
  });
  app.delete("/_emulator/arm/resources", async (request, reply) => {
    const id = (request.query as Record<string, string | undefined>).id ?? "";
    return reply.code(deleteOutOfBand(ctx, id) ? 204 : 404).send();
  });
  app.post("/_emulator/arm/faults", async (request, reply) =>
    reply.code(201).send(faults.add(request.body as FaultSpec)),
  );
  app.get("/_emulator/arm/faults", async () => ({ data: faults.list() }));
  app.delete("/_emulator/arm/faults", async (_request, reply) => {
    faults.clear();
    return reply.code(204).send();
  });
  app.post("/_emulator/identity/principals", async (request, reply) => {
    const body = (request.body as Body) ?? {};
    const principal: Principal = {
      objectId: String(body.objectId ?? randomUUID()),
      clientId: String(body.clientId ?? randomUUID()),
      displayName: String(body.displayName ?? "principal"),
    };
    return reply.code(201).send(ctx.tokens.addPrincipal(principal));
  });
  app.post("/_emulator/identity/tokens", async (request) => {
    const body = (request.body as Body) ?? {};
    const principal = ctx.tokens.findPrincipal(String(body.objectId ?? ""));
    const audience = ctx.tokens.audienceFor(String(body.resource ?? ""));
    if (!principal || !audience) {
      throw invalidPayload("Send a known `objectId` and a known `resource`.");
    }
    const token = ctx.tokens.issue(principal, audience);
    return { access_token: token.accessToken, expires_on: String(token.expiresOn) };
  });
}

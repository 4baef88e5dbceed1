/**
 * Routes a management request: match the route (ARM paths are case-insensitive), check the
 * api-version, authenticate the bearer token (audience https://management.azure.com), authorize
 * the route's action with Azure RBAC, then run the handler.
 */
import type { AzureError } from "../errors";
import { ARM_AUDIENCES, Principal, TokenProblem } from "../identity/tokens";
import { checkApiVersion } from "./apiVersions";
import { ArmContext, ArmRequest, ArmResponse } from "./context";
import { armError } from "./errors";
import { decideAccess } from "./access";
import type { ConditionAttributes } from "./conditions";
import type { Json } from "./state";

/** One management operation. */
export interface ArmRoute {
  readonly method: string;
  readonly pattern: RegExp;
  /** api-version table key (see apiVersions.ts). */
  readonly versions: string;
  /** Resource type named in api-version errors. */
  readonly type: string;
  /** The RBAC action the request needs, and the scope it acts on. */
  permission(params: Readonly<Record<string, string>>): { action: string; scope: string };
  /** Attributes role-assignment conditions may test (`@Request[…]`, `@Resource[…]`). */
  attributes?(
    ctx: ArmContext,
    params: Readonly<Record<string, string>>,
    body: Json | undefined,
  ): ConditionAttributes;
  handle(ctx: ArmContext, request: ArmRequest): ArmResponse | Promise<ArmResponse>;
}

/**
 * A path template with `{name}` segments (`{scope}` matches any prefix, possibly empty) as a
 * case-insensitive pattern with named groups.
 */
export function template(path: string): RegExp {
  const source = path
    .split(/(\{[a-zA-Z]+\})/)
    .map((part) => {
      const name = /^\{([a-zA-Z]+)\}$/.exec(part)?.[1];
      if (name === "scope") {
        return "(?<scope>(?:/[^?]*?)?)";
      }
      return name ? `(?<${name}>[^/]+)` : part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    })
    .join("");
  return new RegExp(`^${source}/?$`, "i");
}

/** ARM's 401 for a token problem (ARM's observed wordings; the expiry format is .NET's). */
export function tokenError(problem: TokenProblem): AzureError {
  switch (problem.kind) {
    case "missing":
      return armError(
        401,
        "AuthenticationFailed",
        "Authentication failed. The 'Authorization' header is missing.",
      );
    case "invalid":
      return armError(401, "InvalidAuthenticationToken", "The access token is invalid.");
    case "expired":
      return armError(
        401,
        "ExpiredAuthenticationToken",
        `The access token expiry UTC time '${new Date(problem.expiresOn * 1000).toUTCString()}' ` +
          `is earlier than current UTC time '${new Date(problem.now * 1000).toUTCString()}'.`,
      );
    case "audience":
      return armError(
        401,
        "InvalidAuthenticationTokenAudience",
        `The access token has been obtained for wrong audience or resource '${problem.audience}'. ` +
          `It should exactly match with one of the allowed audiences ${ARM_AUDIENCES.map((a) => `'${a}'`).join(",")}.`,
      );
  }
}

/**
 * ARM's 403 `AuthorizationFailed` (observed: Azure/azure-cli#5321, microsoft/foundry-dev-tools#407).
 * For role-assignment actions, which conditions may guard, ARM says "does not have authorization or
 * an ABAC condition not fulfilled to perform action" (MicrosoftDocs/azure-docs
 * articles/role-based-access-control/troubleshooting.md, "Symptom - Unable to assign a role").
 */
export function authorizationFailed(
  principal: Principal,
  action: string,
  scope: string,
): AzureError {
  const abac = /^Microsoft\.Authorization\/roleAssignments\//i.test(action)
    ? " or an ABAC condition not fulfilled"
    : "";
  return armError(
    403,
    "AuthorizationFailed",
    `The client '${principal.clientId}' with object id '${principal.objectId}' does not have ` +
      `authorization${abac} to perform action '${action}' over scope '${scope}' or the scope is invalid. ` +
      "If access was recently granted, please refresh your credentials.",
  );
}

/**
 * Local Azure's own refusal when the only grant of `action` carries a condition it cannot evaluate
 * (a known difference, emulator/README.md): never allowed silently.
 */
export function conditionNotSupported(
  action: string,
  scope: string,
  unsupported: { assignment: string; reason: string },
): AzureError {
  return armError(
    403,
    "ConditionNotSupportedByLocalAzure",
    `Role assignment '${unsupported.assignment}' grants '${action}' over scope '${scope}' only under a ` +
      `condition local Azure cannot evaluate (${unsupported.reason}); local Azure refuses the request. ` +
      "Use a condition of the forms listed in emulator/README.md, or an assignment without a condition.",
  );
}

/** A request before routing. */
export interface RawArmRequest {
  readonly method: string;
  readonly path: string;
  readonly query: Readonly<Record<string, string | undefined>>;
  readonly body: unknown;
  readonly authorization: string | undefined;
  readonly origin: string;
}

/** Routes and runs one request; throws an `AzureError` for ARM's refusals. */
export async function dispatch(
  ctx: ArmContext,
  routes: readonly ArmRoute[],
  raw: RawArmRequest,
): Promise<ArmResponse> {
  const method = raw.method === "HEAD" ? "HEAD" : raw.method;
  let params: Record<string, string> | undefined;
  const route = routes.find((r) => {
    const match = r.method === method ? r.pattern.exec(raw.path) : null;
    params = match ? { ...(match.groups ?? {}) } : undefined;
    return match !== null;
  });
  if (!route || !params) {
    throw armError(
      404,
      "InvalidResourceType",
      `The resource type could not be found in the namespace for path '${raw.path}'.`,
    );
  }
  const versionError = checkApiVersion(route.versions, route.type, raw.query["api-version"]);
  if (versionError) {
    throw versionError;
  }
  const check = ctx.tokens.verify(raw.authorization, ARM_AUDIENCES);
  if (!check.ok) {
    throw tokenError(check.problem);
  }
  if (params.subscription && params.subscription.toLowerCase() !== ctx.settings.subscriptionId) {
    throw armError(
      404,
      "SubscriptionNotFound",
      `The subscription '${params.subscription}' could not be found.`,
    );
  }
  const body =
    raw.body && typeof raw.body === "object" && !Array.isArray(raw.body)
      ? (raw.body as Json)
      : undefined;
  const { action, scope } = route.permission(params);
  if (action !== "") {
    const attributes = route.attributes?.(ctx, params, body);
    const decision = decideAccess(ctx, check.principal.objectId, {
      action,
      scope,
      data: false,
      attributes,
    });
    if (decision.unsupported && !decision.allowed) {
      throw conditionNotSupported(action, scope, decision.unsupported);
    }
    if (!decision.allowed) {
      throw authorizationFailed(check.principal, action, scope);
    }
  }
  return route.handle(ctx, { ...raw, method, body, principal: check.principal, params });
}

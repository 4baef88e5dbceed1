/**
 * What an account's data plane lets in, decided from the account's ARM state on every request:
 * the firewall (`publicNetworkAccess`, `networkAcls`), `disableLocalAuth`, the account keys, and
 * for Entra tokens the data actions granted by role assignments covering the account
 * (https://learn.microsoft.com/azure/ai-services/authentication,
 * https://learn.microsoft.com/azure/ai-services/cognitive-services-virtual-networks).
 */
import type { FastifyRequest } from "fastify";
import {
  DATA_PLANE_AUDIENCES,
  invalidKey,
  invalidToken,
  presentedCredential,
} from "../dataPlane/auth";
import { isV1Path } from "../dataPlane/apiVersion";
import { AzureError } from "../errors";
import { isAllowed } from "./access";
import type { ArmContext } from "./context";
import type { AccountRecord, Json } from "./state";
import { accountId } from "./views";

function gateway(status: number, code: string, message: string): AzureError {
  return new AzureError(status, code, message, null, "gateway");
}

function ipv4(address: string): number | undefined {
  const parts = address
    .replace(/^::ffff:/, "")
    .split(".")
    .map(Number);
  if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255)) {
    return undefined;
  }
  return ((parts[0] << 24) | (parts[1] << 16) | (parts[2] << 8) | parts[3]) >>> 0;
}

/** Whether `address` is inside `rule` (an IPv4 address or CIDR range). */
export function inRange(address: string, rule: string): boolean {
  const [base, bits = "32"] = rule.split("/");
  const a = ipv4(address);
  const b = ipv4(base);
  const n = Number(bits);
  if (a === undefined || b === undefined || !Number.isInteger(n) || n < 0 || n > 32) {
    return false;
  }
  const mask = n === 0 ? 0 : (0xffffffff << (32 - n)) >>> 0;
  return (a & mask) === (b & mask);
}

/** The firewall's 403s (observed: Azure-Samples/azure-search-openai-demo#1157, Azure-Samples/azure-sql-db-chatbot#3). */
function firewall(account: AccountRecord, caller: string): AzureError | undefined {
  if (account.properties.publicNetworkAccess === "Disabled") {
    return gateway(403, "403", "Public access is disabled. Please configure private endpoint.");
  }
  const acls = (account.properties.networkAcls ?? {}) as Json;
  if (acls.defaultAction !== "Deny") {
    return undefined;
  }
  const rules = ((acls.ipRules ?? []) as Json[]).map((r) => String(r.value ?? ""));
  return rules.some((rule) => inRange(caller, rule))
    ? undefined
    : gateway(403, "403", "Access denied due to Virtual Network/Firewall rules.");
}

/** The data action a data-plane request needs (Microsoft.CognitiveServices/accounts/OpenAI/...). */
export function dataActionFor(method: string, path: string): string {
  const rest = path.replace(/^\/openai(\/v1)?/, "");
  const verb = method === "GET" ? "read" : method === "DELETE" ? "delete" : "write";
  const base = "Microsoft.CognitiveServices/accounts/OpenAI";
  if (/\/chat\/completions$/.test(rest)) {
    return `${base}/deployments/chat/completions/action`;
  }
  if (rest.startsWith("/fine_tuning")) {
    return `${base}/fine-tunes/${verb}`;
  }
  const area = /^\/(files|uploads|models|deployments)/.exec(rest)?.[1] ?? "files";
  return `${base}/${area === "uploads" ? "files" : area}/${verb}`;
}

/**
 * The request guard for `account`'s data plane: the firewall first, then the credential as
 * dataPlane/auth.ts reads it (the same rules as the single emulator), then the account's own
 * rules — `disableLocalAuth`, both keys, and for tokens the data action by role assignment.
 */
export function dataPlaneGuard(ctx: ArmContext, account: AccountRecord) {
  return (request: FastifyRequest): AzureError | undefined => {
    const blocked = firewall(account, ctx.settings.callerAddress ?? request.ip);
    if (blocked) {
      return blocked;
    }
    const keys: readonly string[] = account.dataPlane?.keys ?? [];
    const path = request.url.split("?")[0];
    const presented = presentedCredential(request.headers, keys, isV1Path(path));
    switch (presented.kind) {
      case "key":
        return keyProblem(account, keys, presented.key);
      case "none":
        return invalidKey();
      case "keyAsBearerOffV1":
        return invalidToken();
      case "bearer":
        return tokenProblem(ctx, account, request, path);
    }
  };
}

function keyProblem(
  account: AccountRecord,
  keys: readonly string[],
  key: string,
): AzureError | undefined {
  if (account.properties.disableLocalAuth === true) {
    // Wording unverified (no public source found): Azure refuses keys on such an account.
    return gateway(
      403,
      "AuthenticationTypeDisabled",
      "Key based authentication is disabled for this resource.",
    );
  }
  return keys.includes(key) ? undefined : invalidKey();
}

function tokenProblem(
  ctx: ArmContext,
  account: AccountRecord,
  request: FastifyRequest,
  path: string,
): AzureError | undefined {
  const check = ctx.tokens.verify(request.headers.authorization, DATA_PLANE_AUDIENCES);
  if (!check.ok) {
    return invalidToken();
  }
  const action = dataActionFor(request.method, path);
  if (isAllowed(ctx, check.principal.objectId, action, accountId(ctx, account), true)) {
    return undefined;
  }
  // Observed wording: davrous/AzureAgentToM365#3, microsoft/ai-agent-evals#43.
  return gateway(
    401,
    "PermissionDenied",
    `The principal \`${check.principal.objectId}\` lacks the required data action \`${action}\` to perform ` +
      `\`${request.method} ${request.routeOptions.url ?? path}\` operation.`,
  );
}

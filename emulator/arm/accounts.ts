/**
 * Microsoft.CognitiveServices accounts (Azure/azure-rest-api-specs
 * `specification/cognitiveservices/resource-manager/Microsoft.CognitiveServices/stable/2025-06-01/cognitiveservices.json`):
 * create (LRO, starts the account's own data plane), get, update, list, keys, and delete — a soft
 * delete: the name and subdomain stay taken until the deleted account is purged
 * (https://learn.microsoft.com/azure/ai-services/recover-purge-resources).
 */
import { randomUUID } from "node:crypto";
import { ArmContext, ArmRequest, ArmResponse, isoNow, startOperation } from "./context";
import { armError, invalidRequest, resourceNotFound } from "./errors";
import { requireGroup } from "./resourceGroups";
import { ArmRoute, template } from "./router";
import { AccountRecord, deletedKey, Json } from "./state";
import { accountView, accountId } from "./views";

const PROVIDER = "Microsoft.CognitiveServices";
const ACCOUNT = `/subscriptions/{subscription}/resourceGroups/{group}/providers/${PROVIDER}/accounts/{name}`;
const versions = "microsoft.cognitiveservices";
const type = "accounts";

/** The account, or ARM's 404. */
export function requireAccount(ctx: ArmContext, group: string, name: string): AccountRecord {
  requireGroup(ctx, group);
  const account = ctx.state.account(group, name);
  if (!account) {
    throw resourceNotFound(`${PROVIDER}/accounts`, name, group);
  }
  return account;
}

/**
 * 409 `CustomDomainInUse` when another account (active or soft-deleted) uses the subdomain
 * (observed wording: Azure-Samples/azuresandbox#164).
 */
function checkSubdomain(
  ctx: ArmContext,
  account: { name: string; resourceGroup: string },
  subdomain: unknown,
): void {
  if (typeof subdomain !== "string" || subdomain === "") {
    return;
  }
  const owner = ctx.state.subdomainOwner(subdomain);
  const same =
    owner &&
    owner.name.toLowerCase() === account.name.toLowerCase() &&
    owner.resourceGroup.toLowerCase() === account.resourceGroup.toLowerCase();
  if (owner && !same) {
    throw armError(
      409,
      "CustomDomainInUse",
      `Please pick a different name. The subdomain name '${subdomain}' is not available as it's already used by a resource. ` +
        "If the resource using the name was deleted in the last 48 hours, you may need to purge the deleted resource. " +
        'Learn more at "https://go.microsoft.com/fwlink/?linkid=2215493"',
    );
  }
}

/** Runs `finish` when the account's current write ends and marks it busy until then. */
export function lockAccount(
  ctx: ArmContext,
  request: ArmRequest,
  account: AccountRecord,
  finish: () => void,
): Record<string, string> {
  account.busyUntil = ctx.now() + ctx.settings.operationMs;
  return startOperation(ctx, request, PROVIDER, account.location, () => {
    account.busyUntil = 0;
    finish();
  });
}

/**
 * 409 `RequestConflict` while another write runs on the account (observed wording:
 * Azure/Vector-Search-AI-Assistant#11, hashicorp/terraform-provider-azurerm#22607).
 */
export function requireIdle(ctx: ArmContext, account: AccountRecord): void {
  if (account.busyUntil > ctx.now()) {
    throw armError(
      409,
      "RequestConflict",
      `Another operation is being performed on the parent resource '${accountId(ctx, account)}'. Please try again later.`,
    );
  }
}

function restoreOrRefuse(
  ctx: ArmContext,
  request: ArmRequest,
  location: string,
): AccountRecord | undefined {
  const key = deletedKey(location, request.params.group, request.params.name);
  const deleted = ctx.state.deletedAccounts.get(key);
  if (!deleted) {
    return undefined;
  }
  if ((request.body?.properties as Json | undefined)?.restore !== true) {
    // Observed wording: Azure/azure-cli#18146, Azure-Samples/azure-search-openai-demo#155.
    throw armError(
      409,
      "FlagMustBeSetForRestore",
      `An existing resource with ID '${accountId(ctx, deleted.account)}' has been soft-deleted. ` +
        "To restore the resource, you must specify 'restore' to be 'true' in the property. " +
        "If you don't want to restore existing resource, please purge it first.",
    );
  }
  ctx.state.deletedAccounts.delete(key);
  return deleted.account;
}

async function create(
  ctx: ArmContext,
  request: ArmRequest,
  location: string,
): Promise<AccountRecord> {
  const body = request.body ?? {};
  const properties = { ...((body.properties as Json | undefined) ?? {}) };
  delete properties.restore;
  const restored = restoreOrRefuse(ctx, request, location);
  const account: AccountRecord = restored ?? {
    name: request.params.name,
    resourceGroup: requireGroup(ctx, request.params.group).name,
    location,
    kind: String(body.kind ?? ""),
    sku: (body.sku as Json | undefined) ?? {},
    tags: (body.tags as Json | undefined) ?? {},
    identity: body.identity as Json | undefined,
    properties,
    provisioningState: "Creating",
    internalId: randomUUID().replace(/-/g, ""),
    dateCreated: isoNow(ctx),
    deployments: new Map(),
    projects: new Map(),
    busyUntil: 0,
    dataPlane: undefined,
  };
  checkSubdomain(ctx, account, properties.customSubDomainName);
  ctx.state.accounts.set(`${account.resourceGroup}/${account.name}`.toLowerCase(), account);
  account.dataPlane = await ctx.host.start(account);
  return account;
}

function validateBody(request: ArmRequest): string {
  const body = request.body ?? {};
  if (typeof body.location !== "string" || body.location === "") {
    throw invalidRequest(
      "LocationRequired",
      "The location property is required for this definition.",
    );
  }
  if (typeof body.kind !== "string" || body.kind === "") {
    throw invalidRequest(
      "InvalidKind",
      "The kind property is required for this resource (OpenAI, AIServices, ...).",
    );
  }
  if (typeof (body.sku as Json | undefined)?.name !== "string") {
    throw invalidRequest(
      "InvalidSku",
      "The sku.name property is required for this resource (for example S0).",
    );
  }
  return body.location.replace(/\s+/g, "").toLowerCase();
}

async function put(ctx: ArmContext, request: ArmRequest): Promise<ArmResponse> {
  const location = validateBody(request);
  const existing = ctx.state.account(request.params.group, request.params.name);
  if (!existing) {
    const account = await create(ctx, request, location);
    const headers = lockAccount(
      ctx,
      request,
      account,
      () => (account.provisioningState = "Succeeded"),
    );
    return { status: 201, body: accountView(ctx, account), headers };
  }
  requireIdle(ctx, existing);
  if (existing.location !== location) {
    throw invalidRequest(
      "InvalidResourceLocation",
      `The resource '${existing.name}' already exists in location '${existing.location}' in resource group '${existing.resourceGroup}'. ` +
        `A resource with the same name cannot be created in location '${location}'. Please select a new resource name.`,
    );
  }
  const body = request.body ?? {};
  const properties = { ...((body.properties as Json | undefined) ?? {}) };
  checkSubdomain(ctx, existing, properties.customSubDomainName);
  existing.properties = properties;
  existing.sku = (body.sku as Json | undefined) ?? existing.sku;
  existing.tags = (body.tags as Json | undefined) ?? {};
  existing.identity = body.identity as Json | undefined;
  existing.provisioningState = "Accepted";
  const headers = lockAccount(
    ctx,
    request,
    existing,
    () => (existing.provisioningState = "Succeeded"),
  );
  return { status: 200, body: accountView(ctx, existing), headers };
}

function patch(ctx: ArmContext, request: ArmRequest): ArmResponse {
  const account = requireAccount(ctx, request.params.group, request.params.name);
  requireIdle(ctx, account);
  const body = request.body ?? {};
  if (body.properties && typeof body.properties === "object") {
    const merged = { ...account.properties, ...(body.properties as Json) };
    checkSubdomain(ctx, account, merged.customSubDomainName);
    account.properties = merged;
  }
  account.tags = (body.tags as Json | undefined) ?? account.tags;
  account.sku = (body.sku as Json | undefined) ?? account.sku;
  account.provisioningState = "Accepted";
  const headers = lockAccount(
    ctx,
    request,
    account,
    () => (account.provisioningState = "Succeeded"),
  );
  return { status: 200, body: accountView(ctx, account), headers };
}

/** Soft-deletes an account: its data plane stops and its data goes (Azure keeps 48 hours). */
export function softDeleteAccount(ctx: ArmContext, account: AccountRecord): void {
  ctx.state.accounts.delete(`${account.resourceGroup}/${account.name}`.toLowerCase());
  const plane = account.dataPlane;
  account.dataPlane = undefined;
  account.deployments.clear();
  account.projects.clear();
  void plane?.close();
  const now = ctx.now();
  ctx.state.deletedAccounts.set(deletedKey(account.location, account.resourceGroup, account.name), {
    account,
    deletionDate: new Date(now).toISOString(),
    scheduledPurgeDate: new Date(now + 48 * 3600_000).toISOString(),
  });
}

function remove(ctx: ArmContext, request: ArmRequest): ArmResponse {
  requireGroup(ctx, request.params.group);
  const account = ctx.state.account(request.params.group, request.params.name);
  if (!account) {
    return { status: 204 };
  }
  requireIdle(ctx, account);
  softDeleteAccount(ctx, account);
  return {
    status: 202,
    headers: startOperation(ctx, request, PROVIDER, account.location, () => undefined),
  };
}

function listKeys(ctx: ArmContext, request: ArmRequest): ArmResponse {
  const account = requireAccount(ctx, request.params.group, request.params.name);
  if (account.properties.disableLocalAuth === true) {
    // Wording unverified (no public source found); Azure refuses to list keys of such an account.
    throw armError(400, "BadRequest", "Failed to list key. disableLocalAuth is set to be true");
  }
  const [key1, key2] = account.dataPlane?.keys ?? ["", ""];
  return { status: 200, body: { key1, key2 } };
}

function accountPermission(verb: string) {
  return (p: Readonly<Record<string, string>>) => ({
    action: `${PROVIDER}/accounts/${verb}`,
    scope:
      `/subscriptions/${p.subscription}/resourceGroups/${p.group}/providers/${PROVIDER}/accounts/${p.name ?? ""}`.replace(
        /\/$/,
        "",
      ),
  });
}

const route = (
  method: string,
  path: string,
  verb: string,
  handle: ArmRoute["handle"],
): ArmRoute => ({
  method,
  pattern: template(path),
  versions,
  type,
  permission: accountPermission(verb),
  handle,
});

/** Account routes. */
export const ACCOUNT_ROUTES: readonly ArmRoute[] = [
  route("PUT", ACCOUNT, "write", put),
  route("PATCH", ACCOUNT, "write", patch),
  route("DELETE", ACCOUNT, "delete", remove),
  route("GET", ACCOUNT, "read", (ctx, r) => ({
    status: 200,
    body: accountView(ctx, requireAccount(ctx, r.params.group, r.params.name)),
  })),
  route("POST", `${ACCOUNT}/listKeys`, "listKeys/action", listKeys),
  route(
    "GET",
    `/subscriptions/{subscription}/resourceGroups/{group}/providers/${PROVIDER}/accounts`,
    "read",
    (ctx, r) => {
      requireGroup(ctx, r.params.group);
      const value = [...ctx.state.accounts.values()]
        .filter((a) => a.resourceGroup.toLowerCase() === r.params.group.toLowerCase())
        .map((a) => accountView(ctx, a));
      return { status: 200, body: { value } };
    },
  ),
];

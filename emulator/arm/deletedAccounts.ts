/**
 * Soft-deleted accounts (`deletedAccounts` list, get, purge) and the operation status/result
 * endpoints that LRO pollers follow. Purging needs
 * `Microsoft.CognitiveServices/locations/resourceGroups/deletedAccounts/delete` at a scope containing
 * `/subscriptions/{id}/providers/Microsoft.CognitiveServices/locations/...` — so a role assignment
 * at resource-group scope is not enough, as https://learn.microsoft.com/azure/ai-services/recover-purge-resources says.
 */
import { ArmContext, ArmRequest, ArmResponse, operationStatus, startOperation } from "./context";
import { armError } from "./errors";
import { ArmRoute, template } from "./router";
import { deletedKey } from "./state";
import { deletedView } from "./views";

const PROVIDER = "Microsoft.CognitiveServices";
const DELETED = `/subscriptions/{subscription}/providers/${PROVIDER}/locations/{location}/resourceGroups/{group}/deletedAccounts/{name}`;
const versions = "microsoft.cognitiveservices";

function find(ctx: ArmContext, request: ArmRequest) {
  const { location, group, name } = request.params;
  const deleted = ctx.state.deletedAccounts.get(deletedKey(location, group, name));
  if (!deleted) {
    throw armError(
      404,
      "ResourceNotFound",
      `The Resource '${PROVIDER}/locations/${location}/resourceGroups/${group}/deletedAccounts/${name}' was not found.`,
    );
  }
  return deleted;
}

function purge(ctx: ArmContext, request: ArmRequest): ArmResponse {
  const deleted = find(ctx, request);
  const { location, group, name } = request.params;
  ctx.state.deletedAccounts.delete(deletedKey(location, group, name));
  return {
    status: 202,
    headers: startOperation(ctx, request, PROVIDER, deleted.account.location, () => undefined),
  };
}

function operation(ctx: ArmContext, request: ArmRequest, results: boolean): ArmResponse {
  const op = ctx.state.operations.get(request.params.id);
  if (!op) {
    throw armError(404, "OperationNotFound", `The operation '${request.params.id}' was not found.`);
  }
  if (!results) {
    return { status: 200, body: operationStatus(op) };
  }
  if (op.status === "InProgress") {
    return {
      status: 202,
      headers: {
        location: `${request.origin}${request.path}?api-version=${request.query["api-version"] ?? ""}`,
      },
    };
  }
  if (op.error) {
    throw op.error;
  }
  return { status: 204 };
}

function deletedPermission(verb: string) {
  return (p: Readonly<Record<string, string>>) => ({
    action: `${PROVIDER}/locations/resourceGroups/deletedAccounts/${verb}`,
    scope: p.name
      ? `/subscriptions/${p.subscription}/providers/${PROVIDER}/locations/${p.location}/resourceGroups/${p.group}/deletedAccounts/${p.name}`
      : `/subscriptions/${p.subscription}`,
  });
}

/** Operation polls are not authorized separately here: the caller started the operation. */
const noPermission = () => ({ action: "", scope: "" });

/** Deleted-account and operation routes. */
export const DELETED_ACCOUNT_ROUTES: readonly ArmRoute[] = [
  {
    method: "GET",
    pattern: template(`/subscriptions/{subscription}/providers/${PROVIDER}/deletedAccounts`),
    versions,
    type: "deletedAccounts",
    permission: deletedPermission("read"),
    handle: (ctx) => ({
      status: 200,
      body: { value: [...ctx.state.deletedAccounts.values()].map((d) => deletedView(ctx, d)) },
    }),
  },
  {
    method: "GET",
    pattern: template(DELETED),
    versions,
    type: "deletedAccounts",
    permission: deletedPermission("read"),
    handle: (ctx, r) => ({ status: 200, body: deletedView(ctx, find(ctx, r)) }),
  },
  {
    method: "DELETE",
    pattern: template(DELETED),
    versions,
    type: "deletedAccounts",
    permission: deletedPermission("delete"),
    handle: purge,
  },
  ...["operationStatuses", "operationResults"].map((kind): ArmRoute => ({
    method: "GET",
    pattern: template(
      `/subscriptions/{subscription}/providers/{provider}/locations/{location}/${kind}/{id}`,
    ),
    versions: "*",
    type: kind,
    permission: noPermission,
    handle: (ctx, r) => operation(ctx, r, kind === "operationResults"),
  })),
];

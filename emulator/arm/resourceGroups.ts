/**
 * Microsoft.Resources resource groups (Azure/azure-rest-api-specs
 * `specification/resources/resource-manager/Microsoft.Resources/stable/2024-03-01/resources.json`):
 * create or update, get, check existence (HEAD), patch tags, list, and delete — an LRO that
 * deletes everything in the group (accounts are soft-deleted).
 */
import { ArmContext, ArmRequest, ArmResponse, startOperation } from "./context";
import { invalidRequest, resourceGroupNotFound } from "./errors";
import { softDeleteAccount } from "./accounts";
import { ArmRoute, template } from "./router";
import type { Json, ResourceGroupRecord } from "./state";

const RG = "/subscriptions/{subscription}/resourcegroups/{group}";
const TYPE = "Microsoft.Resources/resourceGroups";

function groupId(ctx: ArmContext, name: string): string {
  return `/subscriptions/${ctx.settings.subscriptionId}/resourceGroups/${name}`;
}

function view(ctx: ArmContext, group: ResourceGroupRecord): Json {
  return {
    id: groupId(ctx, group.name),
    name: group.name,
    type: TYPE,
    location: group.location,
    tags: group.tags,
    properties: { provisioningState: "Succeeded" },
  };
}

/** The group, or ARM's 404. */
export function requireGroup(ctx: ArmContext, name: string): ResourceGroupRecord {
  const group = ctx.state.resourceGroups.get(name.toLowerCase());
  if (!group) {
    throw resourceGroupNotFound(name);
  }
  return group;
}

function put(ctx: ArmContext, request: ArmRequest): ArmResponse {
  const name = request.params.group;
  const location = request.body?.location;
  if (typeof location !== "string" || location === "") {
    throw invalidRequest(
      "LocationRequired",
      "The location property is required for this definition.",
    );
  }
  const existing = ctx.state.resourceGroups.get(name.toLowerCase());
  if (existing && existing.location.toLowerCase() !== location.toLowerCase()) {
    throw invalidRequest(
      "InvalidResourceGroupLocation",
      `Invalid resource group location '${location}'. The Resource group already exists in location '${existing.location}'.`,
    );
  }
  const group: ResourceGroupRecord = existing ?? { name, location, tags: {} };
  group.tags = (request.body?.tags as Json | undefined) ?? {};
  ctx.state.resourceGroups.set(name.toLowerCase(), group);
  return { status: existing ? 200 : 201, body: view(ctx, group) };
}

function remove(ctx: ArmContext, request: ArmRequest): ArmResponse {
  const group = ctx.state.resourceGroups.get(request.params.group.toLowerCase());
  if (!group) {
    throw resourceGroupNotFound(request.params.group);
  }
  ctx.state.resourceGroups.delete(group.name.toLowerCase());
  for (const account of [...ctx.state.accounts.values()]) {
    if (account.resourceGroup.toLowerCase() === group.name.toLowerCase()) {
      softDeleteAccount(ctx, account);
    }
  }
  const prefix = groupId(ctx, group.name).toLowerCase();
  for (const [key, assignment] of ctx.state.roleAssignments) {
    const scope = assignment.scope.toLowerCase();
    if (scope === prefix || scope.startsWith(`${prefix}/`)) {
      ctx.state.roleAssignments.delete(key);
    }
  }
  const headers = startOperation(
    ctx,
    request,
    "Microsoft.Resources",
    group.location,
    () => undefined,
  );
  return { status: 202, headers: { location: headers.location } };
}

function permission(verb: string) {
  return (p: Readonly<Record<string, string>>) => ({
    action: `Microsoft.Resources/subscriptions/resourceGroups/${verb}`,
    scope: `/subscriptions/${p.subscription}/resourceGroups/${p.group ?? ""}`.replace(/\/$/, ""),
  });
}

const versions = "microsoft.resources/resourcegroups";
const type = "resourceGroups";

/** Resource group routes. */
export const RESOURCE_GROUP_ROUTES: readonly ArmRoute[] = [
  {
    method: "PUT",
    pattern: template(RG),
    versions,
    type,
    permission: permission("write"),
    handle: put,
  },
  {
    method: "GET",
    pattern: template(RG),
    versions,
    type,
    permission: permission("read"),
    handle: (ctx, r) => ({ status: 200, body: view(ctx, requireGroup(ctx, r.params.group)) }),
  },
  {
    method: "HEAD",
    pattern: template(RG),
    versions,
    type,
    permission: permission("read"),
    handle: (ctx, r) => ({
      status: ctx.state.resourceGroups.has(r.params.group.toLowerCase()) ? 204 : 404,
    }),
  },
  {
    method: "PATCH",
    pattern: template(RG),
    versions,
    type,
    permission: permission("write"),
    handle: (ctx, r) => {
      const group = requireGroup(ctx, r.params.group);
      if (r.body?.tags && typeof r.body.tags === "object") {
        group.tags = r.body.tags as Json;
      }
      return { status: 200, body: view(ctx, group) };
    },
  },
  {
    method: "DELETE",
    pattern: template(RG),
    versions,
    type,
    permission: permission("delete"),
    handle: remove,
  },
  {
    method: "GET",
    pattern: template("/subscriptions/{subscription}/resourcegroups"),
    versions,
    type,
    permission: permission("read"),
    handle: (ctx) => ({
      status: 200,
      body: { value: [...ctx.state.resourceGroups.values()].map((g) => view(ctx, g)) },
    }),
  },
];

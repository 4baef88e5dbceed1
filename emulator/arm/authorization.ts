/**
 * Microsoft.Authorization role assignments and role definitions at any scope
 * (Azure/azure-rest-api-specs `specification/authorization/resource-manager/Microsoft.Authorization/stable/2022-04-01/`).
 * Assignments are checked as Azure checks them: the definition must exist, the principal must
 * exist with the stated `principalType` (unless it is new and `principalType` is given, which skips
 * the directory lookup), and one principal/role/scope triple exists once.
 */
import { ArmContext, ArmRequest, ArmResponse, isoNow } from "./context";
import { armError, invalidRequest } from "./errors";
import { ArmRoute, template } from "./router";
import type { ConditionAttributes } from "./conditions";
import type { RoleDefinitionRecord } from "./roles";
import type { Json, RoleAssignmentRecord } from "./state";

const AUTH = "Microsoft.Authorization";
const ASSIGNMENT = `{scope}/providers/${AUTH}/roleAssignments/{name}`;
const DEFINITION = `{scope}/providers/${AUTH}/roleDefinitions/{name}`;

function assignmentView(a: RoleAssignmentRecord): Json {
  return {
    id: `${a.scope}/providers/${AUTH}/roleAssignments/${a.name}`,
    name: a.name,
    type: `${AUTH}/roleAssignments`,
    properties: {
      roleDefinitionId: a.roleDefinitionId,
      principalId: a.principalId,
      principalType: a.principalType,
      scope: a.scope,
      condition: a.condition ?? null,
      conditionVersion: a.condition ? (a.conditionVersion ?? "2.0") : null,
      description: a.description,
      createdOn: a.createdOn,
      updatedOn: a.createdOn,
    },
  };
}

function definitionView(ctx: ArmContext, scope: string, role: RoleDefinitionRecord): Json {
  const at =
    role.roleType === "BuiltInRole" ? `/subscriptions/${ctx.settings.subscriptionId}` : scope;
  return {
    id: `${at}/providers/${AUTH}/roleDefinitions/${role.name}`,
    name: role.name,
    type: `${AUTH}/roleDefinitions`,
    properties: {
      roleName: role.roleName,
      type: role.roleType,
      description: role.description,
      assignableScopes: role.assignableScopes,
      permissions: role.permissions,
      createdOn: role.createdOn,
      updatedOn: role.createdOn,
    },
  };
}

/** Checks the principal (observed wordings: Azure/modern-web-app-pattern-dotnet#129, Azure/HubAndSpokeResearchEnclave#50). */
function checkPrincipal(ctx: ArmContext, principalId: string, stated: string | undefined): string {
  const actual = ctx.principalType(principalId);
  if (actual && stated && actual.toLowerCase() !== stated.toLowerCase()) {
    throw invalidRequest(
      "UnmatchedPrincipalType",
      `The PrincipalId '${principalId}' has type '${actual}' , which is different from specified PrincipalType '${stated}'.`,
    );
  }
  if (!actual && !stated) {
    throw invalidRequest(
      "PrincipalNotFound",
      `Principal ${principalId.replace(/-/g, "")} does not exist in the directory ${ctx.settings.tenantId}. Check that you have the correct principal ID. ` +
        "If you are creating this principal and then immediately assigning a role, this error might be related to a replication delay. " +
        "In this case, set the role assignment principalType property to a value, such as ServicePrincipal, User, or Group.  See https://aka.ms/docs-principaltype",
    );
  }
  return stated ?? actual ?? "ServicePrincipal";
}

/**
 * The assignment's condition; a condition without `conditionVersion` gets "2.0"
 * (https://learn.microsoft.com/azure/role-based-access-control/conditions-role-assignments-rest).
 */
function conditionOf(properties: Json): { condition?: string; conditionVersion?: string } {
  const condition = properties.condition;
  if (typeof condition !== "string" || condition.trim() === "") {
    return {};
  }
  return { condition, conditionVersion: String(properties.conditionVersion ?? "2.0") };
}

/** The attributes a condition reads: `@Request` from the body (PUT), `@Resource` from the stored assignment. */
function assignmentAttributes(
  ctx: ArmContext,
  params: Readonly<Record<string, string>>,
  body: Json | undefined,
): ConditionAttributes {
  const of = (roleDefinitionId: unknown, principalId: unknown, principalType: unknown) => ({
    RoleDefinitionId: [
      String(roleDefinitionId ?? "")
        .split("/")
        .pop() ?? "",
    ],
    PrincipalId: [String(principalId ?? "")],
    PrincipalType: principalType === undefined ? [] : [String(principalType)],
  });
  const properties = (body?.properties ?? undefined) as Json | undefined;
  const stored = ctx.state.roleAssignments.get(params.name.toLowerCase());
  return {
    ...(properties
      ? {
          request: of(
            properties.roleDefinitionId,
            properties.principalId,
            properties.principalType ?? ctx.principalType(String(properties.principalId ?? "")),
          ),
        }
      : {}),
    ...(stored
      ? { resource: of(stored.roleDefinitionId, stored.principalId, stored.principalType) }
      : {}),
  };
}

function putAssignment(ctx: ArmContext, request: ArmRequest): ArmResponse {
  const scope = request.params.scope;
  const name = request.params.name.toLowerCase();
  const properties = (request.body?.properties ?? {}) as Json;
  const roleDefinitionId = String(properties.roleDefinitionId ?? "");
  const principalId = String(properties.principalId ?? "");
  const guid = roleDefinitionId.split("/").pop()?.toLowerCase() ?? "";
  if (!ctx.state.roleDefinitions.has(guid)) {
    // Observed code: JulianHayward/AzAPICall#23; wording as ARM words it.
    throw invalidRequest(
      "RoleDefinitionDoesNotExist",
      `The specified role definition with ID '${guid}' does not exist.`,
    );
  }
  const principalType = checkPrincipal(
    ctx,
    principalId,
    properties.principalType as string | undefined,
  );
  const existing = ctx.state.roleAssignments.get(name);
  const same = (a: RoleAssignmentRecord) =>
    a.scope.toLowerCase() === scope.toLowerCase() &&
    a.principalId.toLowerCase() === principalId.toLowerCase() &&
    a.roleDefinitionId.split("/").pop()?.toLowerCase() === guid;
  if (existing && !same(existing)) {
    throw invalidRequest(
      "RoleAssignmentUpdateNotPermitted",
      "Tenant ID, application ID, principal ID, and scope are not allowed to be updated.",
    );
  }
  if (!existing && [...ctx.state.roleAssignments.values()].some(same)) {
    // Observed: Azure-Samples/azure-search-openai-demo#1091.
    throw armError(409, "RoleAssignmentExists", "The role assignment already exists.");
  }
  const assignment: RoleAssignmentRecord = existing ?? {
    name,
    scope,
    roleDefinitionId,
    principalId,
    principalType,
    description: (properties.description as string | undefined) ?? null,
    ...conditionOf(properties),
    createdOn: isoNow(ctx),
    effectiveAt: ctx.now() + ctx.settings.propagationMs,
  };
  ctx.state.roleAssignments.set(name, assignment);
  return { status: existing ? 200 : 201, body: assignmentView(assignment) };
}

function listAssignments(ctx: ArmContext, request: ArmRequest): ArmResponse {
  const scope = request.params.scope.toLowerCase();
  const filter = request.query.$filter ?? "";
  const principal = /principalId\s+eq\s+'([^']+)'/i.exec(filter)?.[1]?.toLowerCase();
  const value = [...ctx.state.roleAssignments.values()]
    .filter((a) => {
      const at = a.scope.toLowerCase();
      const related =
        at === scope || scope.startsWith(`${at}/`) || at.startsWith(`${scope}/`) || at === "";
      return related && (!principal || a.principalId.toLowerCase() === principal);
    })
    .map(assignmentView);
  return { status: 200, body: { value } };
}

function putDefinition(ctx: ArmContext, request: ArmRequest): ArmResponse {
  const properties = (request.body?.properties ?? {}) as Json;
  const name = request.params.name.toLowerCase();
  const existing = ctx.state.roleDefinitions.get(name);
  if (existing?.roleType === "BuiltInRole") {
    throw armError(
      403,
      "AuthorizationFailed",
      `The built-in role definition '${name}' cannot be changed.`,
    );
  }
  const permissions = ((properties.permissions ?? []) as Json[]).map((p) => ({
    actions: (p.actions as string[] | undefined) ?? [],
    notActions: (p.notActions as string[] | undefined) ?? [],
    dataActions: (p.dataActions as string[] | undefined) ?? [],
    notDataActions: (p.notDataActions as string[] | undefined) ?? [],
  }));
  const role: RoleDefinitionRecord = {
    name,
    roleName: String(properties.roleName ?? name),
    description: String(properties.description ?? ""),
    roleType: "CustomRole",
    permissions,
    assignableScopes: (properties.assignableScopes as string[] | undefined) ?? [
      request.params.scope,
    ],
    createdOn: existing?.createdOn ?? isoNow(ctx),
  };
  ctx.state.roleDefinitions.set(name, role);
  return { status: existing ? 200 : 201, body: definitionView(ctx, request.params.scope, role) };
}

function getDefinition(ctx: ArmContext, request: ArmRequest): ArmResponse {
  const role = ctx.state.roleDefinitions.get(request.params.name.toLowerCase());
  if (!role) {
    throw armError(
      404,
      "RoleDefinitionDoesNotExist",
      `The specified role definition with ID '${request.params.name}' does not exist.`,
    );
  }
  return { status: 200, body: definitionView(ctx, request.params.scope, role) };
}

function listDefinitions(ctx: ArmContext, request: ArmRequest): ArmResponse {
  const wanted = /roleName\s+eq\s+'([^']+)'/i.exec(request.query.$filter ?? "")?.[1]?.toLowerCase();
  const value = [...ctx.state.roleDefinitions.values()]
    .filter((r) => !wanted || r.roleName.toLowerCase() === wanted)
    .map((r) => definitionView(ctx, request.params.scope, r));
  return { status: 200, body: { value } };
}

function deleteOne(kind: "roleAssignments" | "roleDefinitions") {
  return (ctx: ArmContext, request: ArmRequest): ArmResponse => {
    const name = request.params.name.toLowerCase();
    if (kind === "roleAssignments") {
      const a = ctx.state.roleAssignments.get(name);
      ctx.state.roleAssignments.delete(name);
      return a ? { status: 200, body: assignmentView(a) } : { status: 204 };
    }
    const role = ctx.state.roleDefinitions.get(name);
    if (role?.roleType === "BuiltInRole") {
      throw armError(
        403,
        "AuthorizationFailed",
        `The built-in role definition '${name}' cannot be deleted.`,
      );
    }
    ctx.state.roleDefinitions.delete(name);
    return role
      ? { status: 200, body: definitionView(ctx, request.params.scope, role) }
      : { status: 204 };
  };
}

function route(
  method: string,
  path: string,
  kind: "roleAssignments" | "roleDefinitions",
  verb: string,
  handle: ArmRoute["handle"],
): ArmRoute {
  const one = kind === "roleAssignments" && path.endsWith("{name}");
  return {
    method,
    pattern: template(path),
    versions: `microsoft.authorization/${kind.toLowerCase()}`,
    type: kind,
    // One assignment is authorized at its own id, as ARM names it in AuthorizationFailed.
    permission: (p) => ({
      action: `${AUTH}/${kind}/${verb}`,
      scope: one ? `${p.scope}/providers/${AUTH}/roleAssignments/${p.name}` : p.scope || "/",
    }),
    ...(one ? { attributes: assignmentAttributes } : {}),
    handle,
  };
}

/** Role assignment and role definition routes. */
export const AUTHORIZATION_ROUTES: readonly ArmRoute[] = [
  route("PUT", ASSIGNMENT, "roleAssignments", "write", putAssignment),
  route("GET", ASSIGNMENT, "roleAssignments", "read", (ctx, r) => {
    const a = ctx.state.roleAssignments.get(r.params.name.toLowerCase());
    if (!a) {
      throw armError(
        404,
        "RoleAssignmentNotFound",
        "The role assignment '" + r.params.name + "' is not found.",
      );
    }
    return { status: 200, body: assignmentView(a) };
  }),
  route("DELETE", ASSIGNMENT, "roleAssignments", "delete", deleteOne("roleAssignments")),
  route(
    "GET",
    `{scope}/providers/${AUTH}/roleAssignments`,
    "roleAssignments",
    "read",
    listAssignments,
  ),
  route("PUT", DEFINITION, "roleDefinitions", "write", putDefinition),
  route("GET", DEFINITION, "roleDefinitions", "read", getDefinition),
  route("DELETE", DEFINITION, "roleDefinitions", "delete", deleteOne("roleDefinitions")),
  route(
    "GET",
    `{scope}/providers/${AUTH}/roleDefinitions`,
    "roleDefinitions",
    "read",
    listDefinitions,
  ),
];

/**
 * Access decisions against the emulated role assignments, for ARM actions and data actions alike:
 * allowed when an assignment of the principal, already effective (propagation delay passed), at a
 * scope containing the target, has a role that grants the action and, when the assignment has a
 * condition, the condition holds for the request
 * (https://learn.microsoft.com/azure/role-based-access-control/overview#how-azure-rbac-determines-if-a-user-has-access-to-a-resource).
 */
import { ConditionAttributes, conditionAllows, UnsupportedCondition } from "./conditions";
import type { ArmContext } from "./context";
import { roleGrants, scopeContains } from "./roles";
import type { RoleAssignmentRecord } from "./state";

/** The decision, and why a grant could not be used when local Azure cannot evaluate it. */
export interface AccessDecision {
  readonly allowed: boolean;
  /** A granting assignment whose condition local Azure cannot evaluate, with the reason. */
  readonly unsupported?: { readonly assignment: string; readonly reason: string };
}

/** The decision for `principalId` performing `action` (a data action when `data`) on `scope`. */
export function decideAccess(
  ctx: ArmContext,
  principalId: string,
  request: { action: string; scope: string; data: boolean; attributes?: ConditionAttributes },
): AccessDecision {
  const now = ctx.now();
  let unsupported: AccessDecision["unsupported"];
  for (const assignment of ctx.state.roleAssignments.values()) {
    if (
      assignment.principalId.toLowerCase() !== principalId.toLowerCase() ||
      assignment.effectiveAt > now ||
      !scopeContains(assignment.scope, request.scope)
    ) {
      continue;
    }
    const guid = assignment.roleDefinitionId.split("/").pop()?.toLowerCase() ?? "";
    const role = ctx.state.roleDefinitions.get(guid);
    if (!role || !roleGrants(role, request.action, request.data)) {
      continue;
    }
    try {
      if (conditionHolds(assignment, request.action, request.attributes ?? {})) {
        return { allowed: true };
      }
    } catch (err) {
      if (!(err instanceof UnsupportedCondition)) throw err;
      unsupported = { assignment: assignment.name, reason: err.message };
    }
  }
  return { allowed: false, unsupported };
}

function conditionHolds(
  assignment: RoleAssignmentRecord,
  action: string,
  attributes: ConditionAttributes,
): boolean {
  return (
    !assignment.condition ||
    conditionAllows(assignment.condition, assignment.conditionVersion ?? "2.0", action, attributes)
  );
}

/** Whether `principalId` may perform `action` (a data action when `data`) on `scope`. */
export function isAllowed(
  ctx: ArmContext,
  principalId: string,
  action: string,
  scope: string,
  data: boolean,
): boolean {
  return decideAccess(ctx, principalId, { action, scope, data }).allowed;
}

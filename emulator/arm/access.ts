/**
 * Access decisions against the emulated role assignments, for ARM actions and data actions alike:
 * allowed when an assignment of the principal, already effective (propagation delay passed), at a
 * scope containing the target, has a role that grants the action.
 */
import type { ArmContext } from "./context";
import { roleGrants, scopeContains } from "./roles";

/** Whether `principalId` may perform `action` (a data action when `data`) on `scope`. */
export function isAllowed(
  ctx: ArmContext,
  principalId: string,
  action: string,
  scope: string,
  data: boolean,
): boolean {
  const now = ctx.now();
  for (const assignment of ctx.state.roleAssignments.values()) {
    if (
      assignment.principalId.toLowerCase() !== principalId.toLowerCase() ||
      assignment.effectiveAt > now ||
      !scopeContains(assignment.scope, scope)
    ) {
      continue;
    }
    const guid = assignment.roleDefinitionId.split("/").pop()?.toLowerCase() ?? "";
    const role = ctx.state.roleDefinitions.get(guid);
    if (role && roleGrants(role, action, data)) {
      return true;
    }
  }
  return false;
}

import * as azure from "@pulumi/azure-native";
import * as pulumi from "@pulumi/pulumi";
import { deterministicGuid } from "../lib/naming";
import { roleDefinitionId } from "../lib/roles";

/** One role granted to one principal. */
export interface RoleGrant {
  /** Stable key of the grant; part of the child's logical name (`<name>-<key>`). */
  readonly key: string;
  /** Entra object id of the user, group or service principal. */
  readonly principalId: pulumi.Input<string>;
  /** `User`, `Group` or `ServicePrincipal`; set it so ARM does not wait on directory replication. */
  readonly principalType?: pulumi.Input<string>;
  /** Role definition GUID: built-in (see lib/roles.ts) or a custom role's name output. */
  readonly roleGuid: pulumi.Input<string>;
  /**
   * ABAC condition (version 2.0) that narrows the grant, e.g. which roles a Role Based Access
   * Control Administrator may assign. Syntax:
   * https://learn.microsoft.com/azure/role-based-access-control/conditions-format
   */
  readonly condition?: string;
  /** Why the grant exists; shown in the portal. */
  readonly description: string;
}

/** Arguments of {@link AccountAccess}. */
export interface AccountAccessArgs {
  /** ARM id of the scope the roles apply to (the account, or a resource group). */
  readonly scope: pulumi.Input<string>;
  /** Subscription of the role definitions. */
  readonly subscriptionId: pulumi.Input<string>;
  /** The grants. Plain list: each entry creates one role assignment. */
  readonly grants: readonly RoleGrant[];
}

/**
 * Role assignments on one scope. Each assignment's name is a GUID derived from scope, principal
 * and role, so re-running `up` (or importing an existing grant) never duplicates an assignment.
 */
export class AccountAccess extends pulumi.ComponentResource {
  /** The assignments, keyed like the grants. */
  public readonly assignments: Readonly<Record<string, azure.authorization.RoleAssignment>>;

  constructor(name: string, args: AccountAccessArgs, opts?: pulumi.ComponentResourceOptions) {
    super("azure-openai-finetune:access:AccountAccess", name, {}, opts);

    const problems = validateAccountAccessArgs(args);
    if (problems.length > 0) {
      throw new pulumi.ResourceError(problems.join(" "), this);
    }

    const assignments: Record<string, azure.authorization.RoleAssignment> = {};
    for (const grant of args.grants) {
      assignments[grant.key] = new azure.authorization.RoleAssignment(
        `${name}-${grant.key}`,
        {
          scope: args.scope,
          principalId: grant.principalId,
          ...(grant.principalType !== undefined ? { principalType: grant.principalType } : {}),
          ...(grant.condition !== undefined
            ? { condition: grant.condition, conditionVersion: "2.0" }
            : {}),
          roleDefinitionId: pulumi
            .all([args.subscriptionId, grant.roleGuid])
            .apply(([s, role]) => roleDefinitionId(s, role)),
          roleAssignmentName: pulumi
            .all([args.scope, grant.principalId, grant.roleGuid])
            .apply(([scope, principal, role]) =>
              deterministicGuid(scope.toLowerCase(), principal.toLowerCase(), role),
            ),
          description: grant.description,
        },
        { parent: this },
      );
    }
    this.assignments = assignments;

    this.registerOutputs({ assignmentIds: Object.values(assignments).map((a) => a.id) });
  }
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Problems with the grants, each naming the grant, its value and the fix. */
export function validateAccountAccessArgs(args: Pick<AccountAccessArgs, "grants">): string[] {
  const problems: string[] = [];
  const keys = args.grants.map((g) => g.key);
  const duplicate = keys.find((k, i) => keys.indexOf(k) !== i);
  if (duplicate !== undefined) {
    problems.push(`\`grants\` has the key "${duplicate}" twice; give each grant its own key.`);
  }
  for (const grant of args.grants) {
    // A custom role's GUID is an output, known at deployment; only plain GUIDs are checked here.
    if (typeof grant.roleGuid === "string" && !GUID.test(grant.roleGuid)) {
      problems.push(
        `\`grants\` "${grant.key}" has the role "${grant.roleGuid}", which is not a role definition GUID; use one of lib/roles.ts.`,
      );
    }
  }
  return problems;
}

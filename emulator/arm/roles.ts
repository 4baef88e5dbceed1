/**
 * Role definitions and how Azure RBAC evaluates them: an action is allowed when some role
 * assignment whose scope contains the target grants it in `actions` (or `dataActions`) and the
 * same permission does not exclude it in `notActions` (`notDataActions`); `*` matches any run of
 * characters, case-insensitively (https://learn.microsoft.com/azure/role-based-access-control/role-definitions).
 * Built-in roles: MicrosoftDocs/azure-docs `articles/role-based-access-control/built-in-roles/`
 * `privileged.md` @ cc5826fc, `general.md` @ c5bb127f and `ai-machine-learning.md` @ 51eb3126.
 */

/** One permission block of a role definition. */
export interface Permission {
  readonly actions: readonly string[];
  readonly notActions: readonly string[];
  readonly dataActions: readonly string[];
  readonly notDataActions: readonly string[];
}

/** A role definition (built-in or custom). */
export interface RoleDefinitionRecord {
  /** The GUID (`name`). */
  readonly name: string;
  readonly roleName: string;
  readonly description: string;
  readonly roleType: "BuiltInRole" | "CustomRole";
  readonly permissions: readonly Permission[];
  readonly assignableScopes: readonly string[];
  readonly createdOn: string;
}

function builtIn(
  name: string,
  roleName: string,
  description: string,
  permission: Partial<Permission>,
): RoleDefinitionRecord {
  return {
    name,
    roleName,
    description,
    roleType: "BuiltInRole",
    permissions: [
      {
        actions: permission.actions ?? [],
        notActions: permission.notActions ?? [],
        dataActions: permission.dataActions ?? [],
        notDataActions: permission.notDataActions ?? [],
      },
    ],
    assignableScopes: ["/"],
    createdOn: "2015-02-02T21:55:09.8806423Z",
  };
}

const OPENAI = "Microsoft.CognitiveServices/accounts/OpenAI";

/** Built-in roles the program, its CI identities and its users assign. */
export const BUILT_IN_ROLES: readonly RoleDefinitionRecord[] = [
  builtIn(
    "8e3af657-a8ff-443c-a75c-2fe8c4bcb635",
    "Owner",
    "Grants full access to manage all resources, including the ability to assign roles in Azure RBAC.",
    { actions: ["*"] },
  ),
  builtIn(
    "b24988ac-6180-42a0-ab88-20f7382dd24c",
    "Contributor",
    "Grants full access to manage all resources, but does not allow you to assign roles in Azure RBAC, manage assignments in Azure Blueprints, or share image galleries.",
    {
      actions: ["*"],
      notActions: [
        "Microsoft.Authorization/*/Delete",
        "Microsoft.Authorization/*/Write",
        "Microsoft.Authorization/elevateAccess/Action",
        "Microsoft.Blueprint/blueprintAssignments/write",
        "Microsoft.Blueprint/blueprintAssignments/delete",
        "Microsoft.Compute/galleries/share/action",
        "Microsoft.Purview/consents/write",
        "Microsoft.Purview/consents/delete",
        "Microsoft.Resources/deploymentStacks/manageDenySetting/action",
        "Microsoft.Subscription/cancel/action",
        "Microsoft.Subscription/enable/action",
      ],
    },
  ),
  builtIn(
    "acdd72a7-3385-48ef-bd42-f606fba81ae7",
    "Reader",
    "View all resources, but does not allow you to make any changes.",
    {
      actions: ["*/read"],
    },
  ),
  builtIn(
    "f58310d9-a9f6-439a-9e8d-f62e7b41a168",
    "Role Based Access Control Administrator",
    "Manage access to Azure resources by assigning roles using Azure RBAC. This role does not allow you to manage access using other ways, such as Azure Policy.",
    {
      actions: [
        "Microsoft.Authorization/roleAssignments/write",
        "Microsoft.Authorization/roleAssignments/delete",
        "*/read",
        "Microsoft.Support/*",
      ],
    },
  ),
  builtIn(
    "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9",
    "User Access Administrator",
    "Lets you manage user access to Azure resources.",
    { actions: ["*/read", "Microsoft.Authorization/*", "Microsoft.Support/*"] },
  ),
  builtIn(
    "a001fd3d-188f-4b5d-821b-7da978bf7442",
    "Cognitive Services OpenAI Contributor",
    "Full access including the ability to fine-tune, deploy and generate text",
    {
      actions: [
        "Microsoft.CognitiveServices/*/read",
        "Microsoft.CognitiveServices/accounts/deployments/write",
        "Microsoft.CognitiveServices/accounts/deployments/delete",
        "Microsoft.CognitiveServices/accounts/raiPolicies/read",
        "Microsoft.CognitiveServices/accounts/raiPolicies/write",
        "Microsoft.CognitiveServices/accounts/raiPolicies/delete",
        "Microsoft.CognitiveServices/accounts/commitmentplans/read",
        "Microsoft.CognitiveServices/accounts/commitmentplans/write",
        "Microsoft.CognitiveServices/accounts/commitmentplans/delete",
        "Microsoft.Authorization/roleAssignments/read",
        "Microsoft.Authorization/roleDefinitions/read",
      ],
      dataActions: [`${OPENAI}/*`],
    },
  ),
  builtIn(
    "5e0bd9bd-7b93-4f28-af87-19fc36ad61bd",
    "Cognitive Services OpenAI User",
    "Ability to view files, models, deployments. Readers can't make any changes They can inference and create images",
    {
      actions: [
        "Microsoft.CognitiveServices/*/read",
        "Microsoft.Authorization/roleAssignments/read",
        "Microsoft.Authorization/roleDefinitions/read",
      ],
      dataActions: [
        `${OPENAI}/*/read`,
        `${OPENAI}/engines/completions/action`,
        `${OPENAI}/engines/search/action`,
        `${OPENAI}/engines/generate/action`,
        `${OPENAI}/deployments/search/action`,
        `${OPENAI}/deployments/completions/action`,
        `${OPENAI}/deployments/chat/completions/action`,
        `${OPENAI}/deployments/extensions/chat/completions/action`,
        `${OPENAI}/deployments/embeddings/action`,
        `${OPENAI}/images/generations/action`,
      ],
    },
  ),
];

function wildcard(pattern: string): RegExp {
  const body = pattern
    .split("*")
    .map((part) => part.replace(/[.+?^${}()|[\]\\/]/g, "\\$&"))
    .join(".*");
  return new RegExp(`^${body}$`, "i");
}

/** Whether `action` matches `pattern` (`*` any run of characters, case-insensitive). */
export function actionMatches(pattern: string, action: string): boolean {
  return wildcard(pattern).test(action);
}

function matchesAny(patterns: readonly string[], action: string): boolean {
  return patterns.some((pattern) => actionMatches(pattern, action));
}

/** Whether `role` grants `action` (a data action when `data`). */
export function roleGrants(role: RoleDefinitionRecord, action: string, data: boolean): boolean {
  return role.permissions.some((p) =>
    data
      ? matchesAny(p.dataActions, action) && !matchesAny(p.notDataActions, action)
      : matchesAny(p.actions, action) && !matchesAny(p.notActions, action),
  );
}

/** Whether `scope` is `target` or one of its ancestors (ARM ids, case-insensitive). */
export function scopeContains(scope: string, target: string): boolean {
  const outer = scope.replace(/\/+$/, "").toLowerCase();
  const inner = target.replace(/\/+$/, "").toLowerCase();
  return outer === "" || inner === outer || inner.startsWith(`${outer}/`);
}

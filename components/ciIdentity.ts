import * as azure from "@pulumi/azure-native";
import * as azuread from "@pulumi/azuread";
import * as pulumi from "@pulumi/pulumi";
import { deterministicGuid } from "../lib/naming";
import { ROLES } from "../lib/roles";
import { AccountAccess, RoleGrant } from "./accountAccess";

/** GitHub's OIDC issuer and the audience Entra expects for token exchange. */
export const GITHUB_OIDC_ISSUER = "https://token.actions.githubusercontent.com";
export const ENTRA_TOKEN_EXCHANGE_AUDIENCE = "api://AzureADTokenExchange";

/**
 * Entra allows at most 20 federated identity credentials per application
 * (https://learn.microsoft.com/entra/workload-id/workload-identity-federation-considerations).
 */
export const MAX_FEDERATED_CREDENTIALS = 20;

// Permission names and meanings: "Azure permissions for AI + machine learning", Microsoft.CognitiveServices
// (MicrosoftDocs/azure-docs articles/role-based-access-control/permissions/ai-machine-learning.md @ 01365cd5,
// https://learn.microsoft.com/azure/role-based-access-control/permissions/ai-machine-learning).

/**
 * What a refreshing preview reads on the data plane and nothing more: the TrainingFile provider's
 * `read` (GET /openai/files/{id}, "Gets information about files"), the FineTuningJob provider's
 * `read` (GET /openai/fine_tuning/jobs/{id}, "Gets information about fine-tuned models") and model
 * look-ups (GET /openai/models/{id}, "Gets information about models"). No built-in role is this
 * narrow: Cognitive Services OpenAI User also calls models, which bills.
 */
export const PREVIEW_DATA_ACTIONS = [
  "Microsoft.CognitiveServices/accounts/OpenAI/files/read",
  "Microsoft.CognitiveServices/accounts/OpenAI/fine-tunes/read",
  "Microsoft.CognitiveServices/accounts/OpenAI/models/read",
] as const;

/**
 * Purging a soft-deleted account ("Purge deleted account") and polling the purge's asynchronous
 * operation ("Read the status of an asynchronous operation"). The purge is addressed under
 * /subscriptions/{id}/providers/Microsoft.CognitiveServices/locations/…, so the grant must be at
 * subscription scope; resource-group Contributor is not enough
 * (https://learn.microsoft.com/azure/ai-services/recover-purge-resources).
 */
export const PURGE_ACTIONS = [
  "Microsoft.CognitiveServices/locations/resourceGroups/deletedAccounts/delete",
  "Microsoft.CognitiveServices/locations/operationresults/read",
] as const;

/**
 * Reading role definitions and assignments. A stack that purges holds a subscription-scope role
 * and assignment, and every refresh (previews, drift, `up --refresh`) reads them back there.
 */
export const ACCESS_READ_ACTIONS = [
  "Microsoft.Authorization/roleAssignments/read",
  "Microsoft.Authorization/roleDefinitions/read",
] as const;

/** Roles the deploy identity may assign and remove: the data-plane roles the program grants. */
export const DELEGABLE_ROLES = [
  ROLES.cognitiveServicesOpenAIContributor,
  ROLES.cognitiveServicesOpenAIUser,
] as const;

/** Arguments of {@link CiIdentity}. */
export interface CiIdentityArgs {
  /** GitHub `owner/repository` whose workflows may sign in. */
  readonly repository: string;
  /** Default branch: scheduled drift checks run on it and sign in as the preview identity. */
  readonly branch: string;
  /** GitHub environments of the deploy jobs; one federated credential each. Plain: each creates a child. */
  readonly environments: readonly string[];
  /** Display name of the deploy application; the preview application adds `-preview`. */
  readonly displayName: string;
  /**
   * Resource group the stack manages (or, in connect mode, the connected account's group). The
   * custom roles are defined there: Azure documents management groups, subscriptions and resource
   * groups as a custom role's assignable scopes and advises against a resource instance, while the
   * assignment may still be on a single resource ("create your custom roles with AssignableScopes
   * of management group, subscription, or resource group, but assign the custom roles with narrow
   * scope": MicrosoftDocs/azure-docs articles/role-based-access-control/role-definitions.md
   * @ 9cd196dd, https://learn.microsoft.com/azure/role-based-access-control/role-definitions#assignablescopes).
   */
  readonly resourceGroupId: pulumi.Input<string>;
  /**
   * Connect mode: the account the stack fine-tunes in but does not own. Every grant is then on
   * this account, never on its group, and the deploy identity gets no Contributor: OpenAI
   * Contributor already writes and deletes deployments, which are the account's child resources.
   */
  readonly connectedAccountId?: pulumi.Input<string>;
  /** Subscription of the role definitions and of the purge grant. */
  readonly subscriptionId: pulumi.Input<string>;
  /** The stack purges its soft-deleted account (on destroy or replacement): grant the purge. */
  readonly purge: boolean;
}

/** One Entra application with its service principal, trusted for the given OIDC subjects. */
interface FederatedApp {
  readonly clientId: pulumi.Output<string>;
  readonly principalId: pulumi.Output<string>;
}

/**
 * The identities GitHub Actions use for one stack, both federated with GitHub's OIDC (no client
 * secret exists anywhere):
 *
 * - **deploy** runs `pulumi up`. It trusts only the jobs of the stack's GitHub environments
 *   (`repo:<owner>/<repo>:environment:<env>`), so a write needs the environment's protection rules
 *   (reviewers, `main` only). Contributor, OpenAI Contributor and a Role Based Access Control
 *   Administrator limited to the data-plane roles on the group; with `purge`, the purge action at
 *   subscription scope.
 * - **preview** runs pull-request previews and drift checks (subjects `pull_request` and the
 *   default branch). Reader plus a data-plane read role on the group: it cannot write.
 *
 * The identities' own grants are made by the person who runs the first `up`; neither identity can
 * change them (the deploy identity may only assign OpenAI Contributor and User).
 */
export class CiIdentity extends pulumi.ComponentResource {
  /** Client id of the deploy identity, for `azure/login` in environment jobs. */
  public readonly clientId: pulumi.Output<string>;
  /** Object id of the deploy identity's service principal. */
  public readonly principalId: pulumi.Output<string>;
  /** Client id of the read-only preview identity. */
  public readonly previewClientId: pulumi.Output<string>;
  /** Object id of the preview identity's service principal. */
  public readonly previewPrincipalId: pulumi.Output<string>;

  constructor(name: string, args: CiIdentityArgs, opts?: pulumi.ComponentResourceOptions) {
    super("azure-openai-finetune:ci:CiIdentity", name, {}, opts);

    const problems = validateCiIdentity(args);
    if (problems.length > 0) {
      throw new pulumi.ResourceError(problems.join(" "), this);
    }

    // The deploy application keeps the logical names of the single identity it replaces, so
    // existing stacks keep its client id and lose only its branch and pull-request trust.
    const subjects = federatedSubjects(args.repository, args.branch, args.environments);
    const deploy = this.federatedApp(
      name,
      "",
      args.displayName,
      args.environments.map((e, i) => ({ label: `env-${e}`, subject: subjects.deploy[i] })),
    );
    const preview = this.federatedApp(name, "preview-", `${args.displayName}-preview`, [
      { label: "pull-request", subject: subjects.preview[0] },
      { label: "branch", subject: subjects.preview[1] },
    ]);

    const previewRead = this.customRole(`${name}-preview-data-read`, {
      scope: args.resourceGroupId,
      displayName: args.displayName,
      purpose: "reads fine-tuning files, jobs and models",
      permissions: { actions: [], dataActions: [...PREVIEW_DATA_ACTIONS] },
    });
    const grants = resourceGroupGrants(deploy.principalId, preview.principalId, previewRead);
    new AccountAccess(
      args.connectedAccountId === undefined ? `${name}-rg-access` : `${name}-account-access`,
      {
        scope: args.connectedAccountId ?? args.resourceGroupId,
        subscriptionId: args.subscriptionId,
        // Contributor manages the stack's own group and account; a connected account is not the
        // stack's to change, only its deployments (OpenAI Contributor) and grants.
        grants:
          args.connectedAccountId === undefined
            ? grants
            : grants.filter((g) => g.key !== "contributor"),
      },
      { parent: this },
    );

    if (args.purge) {
      this.grantPurge(name, args, deploy.principalId, preview.principalId);
    }

    this.clientId = deploy.clientId;
    this.principalId = deploy.principalId;
    this.previewClientId = preview.clientId;
    this.previewPrincipalId = preview.principalId;
    this.registerOutputs({
      clientId: this.clientId,
      principalId: this.principalId,
      previewClientId: this.previewClientId,
      previewPrincipalId: this.previewPrincipalId,
    });
  }

  /** An application, its service principal and one federated credential per subject. */
  private federatedApp(
    name: string,
    prefix: string,
    displayName: string,
    credentials: readonly { label: string; subject: string }[],
  ): FederatedApp {
    const application = new azuread.Application(
      `${name}-${prefix}app`,
      { displayName, signInAudience: "AzureADMyOrg" },
      { parent: this },
    );
    const principal = new azuread.ServicePrincipal(
      `${name}-${prefix}sp`,
      { clientId: application.clientId },
      { parent: this },
    );
    for (const { label, subject } of credentials) {
      new azuread.ApplicationFederatedIdentityCredential(
        `${name}-${prefix}${label}`,
        {
          applicationId: application.id,
          displayName: `github-${prefix}${label}`.replace(/[^A-Za-z0-9-]/g, "-"),
          description: `GitHub Actions OIDC: ${subject}`,
          audiences: [ENTRA_TOKEN_EXCHANGE_AUDIENCE],
          issuer: GITHUB_OIDC_ISSUER,
          subject,
        },
        { parent: this },
      );
    }
    return { clientId: application.clientId, principalId: principal.objectId };
  }

  /** A custom role assignable at its own scope only; returns its GUID (the definition's name). */
  private customRole(
    name: string,
    role: {
      scope: pulumi.Input<string>;
      displayName: string;
      purpose: string;
      permissions: { actions: string[]; dataActions: string[] };
    },
  ): pulumi.Output<string> {
    const guid = pulumi.output(role.scope).apply((s) => deterministicGuid(s.toLowerCase(), name));
    const definition = new azure.authorization.RoleDefinition(
      name,
      {
        scope: role.scope,
        roleDefinitionId: guid,
        // Custom role names are unique in the tenant; the GUID's head keeps two stacks apart.
        roleName: guid.apply((g) => `${role.displayName} ${role.purpose} (${g.slice(0, 8)})`),
        description: `CI: ${role.purpose}`,
        roleType: "CustomRole",
        permissions: [{ ...role.permissions, notActions: [], notDataActions: [] }],
        assignableScopes: [role.scope],
      },
      { parent: this },
    );
    return definition.name;
  }

  /** The purge (deploy identity) and the reads every refresh of those grants needs (both). */
  private grantPurge(
    name: string,
    args: CiIdentityArgs,
    deployId: pulumi.Output<string>,
    previewId: pulumi.Output<string>,
  ): void {
    const subscription = pulumi.interpolate`/subscriptions/${args.subscriptionId}`;
    const purge = this.customRole(`${name}-purge`, {
      scope: subscription,
      displayName: args.displayName,
      purpose: "purges soft-deleted AI accounts",
      permissions: { actions: [...PURGE_ACTIONS], dataActions: [] },
    });
    const accessRead = this.customRole(`${name}-access-read`, {
      scope: subscription,
      displayName: args.displayName,
      purpose: "reads role assignments",
      permissions: { actions: [...ACCESS_READ_ACTIONS], dataActions: [] },
    });
    const sp = (
      principalId: pulumi.Output<string>,
      key: string,
      roleGuid: pulumi.Input<string>,
      description: string,
    ): RoleGrant => ({
      key,
      principalId,
      principalType: "ServicePrincipal",
      roleGuid,
      description,
    });
    new AccountAccess(
      `${name}-subscription-access`,
      {
        scope: subscription,
        subscriptionId: args.subscriptionId,
        grants: [
          sp(deployId, "purge", purge, "CI deploy: purge the stack's soft-deleted account"),
          sp(deployId, "access-read", accessRead, "CI deploy: refresh the purge grant"),
          sp(previewId, "preview-access-read", accessRead, "CI preview: refresh the purge grant"),
        ],
      },
      { parent: this },
    );
  }
}

/** The resource-group grants of both identities. */
function resourceGroupGrants(
  deployId: pulumi.Output<string>,
  previewId: pulumi.Output<string>,
  previewRead: pulumi.Output<string>,
): RoleGrant[] {
  const sp = { principalType: "ServicePrincipal" } as const;
  return [
    {
      ...sp,
      key: "contributor",
      principalId: deployId,
      roleGuid: ROLES.contributor,
      description: "CI deploy: manage the fine-tuning stack's resources",
    },
    {
      ...sp,
      key: "rbac-admin",
      principalId: deployId,
      roleGuid: ROLES.roleBasedAccessControlAdministrator,
      condition: delegationCondition(DELEGABLE_ROLES),
      description: "CI deploy: grant and revoke OpenAI Contributor and User only",
    },
    {
      ...sp,
      key: "openai-contributor",
      principalId: deployId,
      roleGuid: ROLES.cognitiveServicesOpenAIContributor,
      description: "CI deploy: upload training files and run fine-tuning jobs",
    },
    {
      ...sp,
      key: "preview-reader",
      principalId: previewId,
      roleGuid: ROLES.reader,
      description: "CI preview: read the stack's resources (refresh)",
    },
    {
      ...sp,
      key: "preview-data-read",
      principalId: previewId,
      roleGuid: previewRead,
      description: "CI preview: read training files, jobs and models (refresh)",
    },
  ];
}

/**
 * ABAC condition that lets a Role Based Access Control Administrator add and remove assignments
 * of the given roles only ("Example: Constrain roles",
 * https://learn.microsoft.com/azure/role-based-access-control/delegate-role-assignments-examples#example-constrain-roles):
 * without it the deploy identity could grant itself Owner.
 */
export function delegationCondition(roleGuids: readonly string[]): string {
  const set = `{${roleGuids.join(", ")}}`;
  return [
    "(",
    " (",
    "  !(ActionMatches{'Microsoft.Authorization/roleAssignments/write'})",
    " )",
    " OR",
    " (",
    `  @Request[Microsoft.Authorization/roleAssignments:RoleDefinitionId] ForAnyOfAnyValues:GuidEquals ${set}`,
    " )",
    ")",
    "AND",
    "(",
    " (",
    "  !(ActionMatches{'Microsoft.Authorization/roleAssignments/delete'})",
    " )",
    " OR",
    " (",
    `  @Resource[Microsoft.Authorization/roleAssignments:RoleDefinitionId] ForAnyOfAnyValues:GuidEquals ${set}`,
    " )",
    ")",
  ].join("\n");
}

/**
 * Federated credential subjects per identity: the deploy identity trusts only environment jobs;
 * the preview identity trusts pull requests and pushes/schedules on the default branch.
 * https://docs.github.com/actions/security-for-github-actions/security-hardening-your-deployments/about-security-hardening-with-openid-connect#example-subject-claims
 */
export function federatedSubjects(
  repository: string,
  branch: string,
  environments: readonly string[],
): { deploy: string[]; preview: string[] } {
  return {
    deploy: environments.map((e) => `repo:${repository}:environment:${e}`),
    preview: [`repo:${repository}:pull_request`, `repo:${repository}:ref:refs/heads/${branch}`],
  };
}

/** Problems with the CI identity's arguments; empty when they are valid. */
export function validateCiIdentity(
  args: Pick<CiIdentityArgs, "repository" | "environments"> &
    Partial<Pick<CiIdentityArgs, "purge" | "connectedAccountId">>,
): string[] {
  const problems: string[] = [];
  if (args.purge && args.connectedAccountId !== undefined) {
    problems.push(
      "`purge` is true but `connectedAccountId` is set; a connected account is never the stack's to purge: set `purge` to false.",
    );
  }
  if (!/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/.test(args.repository)) {
    problems.push(`\`repository\` "${args.repository}" must be "owner/repository".`);
  }
  if (args.environments.length === 0) {
    problems.push(
      "`environments` is empty; list the GitHub environment(s) whose jobs deploy this stack.",
    );
  }
  const dup = args.environments.find((e, i) => args.environments.indexOf(e) !== i);
  if (dup !== undefined) {
    problems.push(`\`environments\` lists "${dup}" twice; list each GitHub environment once.`);
  }
  if (args.environments.length > MAX_FEDERATED_CREDENTIALS) {
    problems.push(
      `\`environments\` has ${args.environments.length} entries; an Entra application holds at most ${MAX_FEDERATED_CREDENTIALS} federated credentials.`,
    );
  }
  return problems;
}

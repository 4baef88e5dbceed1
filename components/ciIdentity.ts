import * as azuread from "@pulumi/azuread";
import * as pulumi from "@pulumi/pulumi";
import { ROLES } from "../lib/roles";
import { AccountAccess } from "./accountAccess";

/** GitHub's OIDC issuer and the audience Entra expects for token exchange. */
export const GITHUB_OIDC_ISSUER = "https://token.actions.githubusercontent.com";
export const ENTRA_TOKEN_EXCHANGE_AUDIENCE = "api://AzureADTokenExchange";

/** Arguments of {@link CiIdentity}. */
export interface CiIdentityArgs {
  /** GitHub `owner/repository` whose workflows may sign in. */
  readonly repository: string;
  /** Branch whose pushes run `pulumi up` (default branch, usually `main`). */
  readonly branch: string;
  /** GitHub environments of the deploy jobs; one federated credential each. Plain: each creates a child. */
  readonly environments: readonly string[];
  /** Display name of the Entra application. */
  readonly displayName: pulumi.Input<string>;
  /** Resource group the pipeline manages (ARM writes and role assignments). */
  readonly resourceGroupId: pulumi.Input<string>;
  /** Account the pipeline uploads data to and fine-tunes on. */
  readonly accountId: pulumi.Input<string>;
  /** Subscription of the role definitions. */
  readonly subscriptionId: pulumi.Input<string>;
}

/**
 * The identity GitHub Actions use to run this stack: an Entra application and service principal
 * with federated credentials for the branch, pull requests and each environment (OIDC, so no
 * client secret exists anywhere), and the least-privilege roles a `pulumi up` of this stack needs.
 */
export class CiIdentity extends pulumi.ComponentResource {
  /** Client (application) id for `azure/login` and `ARM_CLIENT_ID`. */
  public readonly clientId: pulumi.Output<string>;
  /** Object id of the service principal. */
  public readonly principalId: pulumi.Output<string>;
  /** Subjects of the federated credentials, in creation order. */
  public readonly subjects: readonly string[];

  constructor(name: string, args: CiIdentityArgs, opts?: pulumi.ComponentResourceOptions) {
    super("azure-openai-finetune:ci:CiIdentity", name, {}, opts);

    const problems = validateCiIdentity(args);
    if (problems.length > 0) {
      throw new pulumi.ResourceError(problems.join(" "), this);
    }

    const application = new azuread.Application(
      `${name}-app`,
      { displayName: args.displayName, signInAudience: "AzureADMyOrg" },
      { parent: this },
    );
    const principal = new azuread.ServicePrincipal(
      `${name}-sp`,
      { clientId: application.clientId },
      { parent: this },
    );

    this.subjects = federatedSubjects(args.repository, args.branch, args.environments);
    const labels = ["branch", "pull-request", ...args.environments.map((e) => `env-${e}`)];
    this.subjects.forEach((subject, i) => {
      new azuread.ApplicationFederatedIdentityCredential(
        `${name}-${labels[i]}`,
        {
          applicationId: application.id,
          displayName: `github-${labels[i]}`.replace(/[^A-Za-z0-9-]/g, "-"),
          description: `GitHub Actions OIDC: ${subject}`,
          audiences: [ENTRA_TOKEN_EXCHANGE_AUDIENCE],
          issuer: GITHUB_OIDC_ISSUER,
          subject,
        },
        { parent: this },
      );
    });

    // Contributor and RBAC Administrator are scoped to the stack's resource group only; the
    // data-plane role is what lets the pipeline upload training data and start fine-tunes.
    new AccountAccess(
      `${name}-rg-access`,
      {
        scope: args.resourceGroupId,
        subscriptionId: args.subscriptionId,
        grants: [
          {
            key: "contributor",
            principalId: principal.objectId,
            principalType: "ServicePrincipal",
            roleGuid: ROLES.contributor,
            description: "CI: manage the fine-tuning stack's resources",
          },
          {
            key: "rbac-admin",
            principalId: principal.objectId,
            principalType: "ServicePrincipal",
            roleGuid: ROLES.roleBasedAccessControlAdministrator,
            description: "CI: manage the stack's role assignments",
          },
        ],
      },
      { parent: this },
    );
    new AccountAccess(
      `${name}-account-access`,
      {
        scope: args.accountId,
        subscriptionId: args.subscriptionId,
        grants: [
          {
            key: "openai-contributor",
            principalId: principal.objectId,
            principalType: "ServicePrincipal",
            roleGuid: ROLES.cognitiveServicesOpenAIContributor,
            description: "CI: upload training files and run fine-tuning jobs",
          },
        ],
      },
      { parent: this },
    );

    this.clientId = application.clientId;
    this.principalId = principal.objectId;
    this.registerOutputs({ clientId: this.clientId, principalId: this.principalId });
  }
}

/**
 * Federated credential subjects GitHub puts in its OIDC tokens: pushes to the branch, pull
 * requests, and jobs bound to each environment (environment jobs carry only the environment
 * subject, not the branch one).
 */
export function federatedSubjects(
  repository: string,
  branch: string,
  environments: readonly string[],
): string[] {
  return [
    `repo:${repository}:ref:refs/heads/${branch}`,
    `repo:${repository}:pull_request`,
    ...environments.map((e) => `repo:${repository}:environment:${e}`),
  ];
}

/** Problems with the CI identity's arguments; empty when they are valid. */
export function validateCiIdentity(
  args: Pick<CiIdentityArgs, "repository" | "environments">,
): string[] {
  const problems: string[] = [];
  if (!/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/.test(args.repository)) {
    problems.push(`\`repository\` "${args.repository}" must be "owner/repository".`);
  }
  const dup = args.environments.find((e, i) => args.environments.indexOf(e) !== i);
  if (dup !== undefined) {
    problems.push(`\`environments\` lists "${dup}" twice; list each GitHub environment once.`);
  }
  // Entra allows at most 20 federated credentials per application.
  if (args.environments.length > 18) {
    problems.push(
      `\`environments\` has ${args.environments.length} entries; at most 18 fit beside the branch and pull-request credentials.`,
    );
  }
  return problems;
}

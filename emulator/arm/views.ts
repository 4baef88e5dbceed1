/**
 * JSON shapes ARM returns for Cognitive Services resources (the `Account`, `Deployment`,
 * `Project` and `DeletedAccount` definitions of the 2025-06-01 spec): the caller's properties plus
 * the read-only ones (`provisioningState`, `endpoint`, `internalId`, `dateCreated`, ...).
 */
import type { ArmContext } from "./context";
import type {
  AccountRecord,
  ArmDeploymentRecord,
  DeletedAccountRecord,
  Json,
  ProjectRecord,
} from "./state";

/** The ARM id of an account. */
export function accountId(ctx: ArmContext, account: AccountRecord): string {
  return `/subscriptions/${ctx.settings.subscriptionId}/resourceGroups/${account.resourceGroup}/providers/Microsoft.CognitiveServices/accounts/${account.name}`;
}

/** An account as GET returns it. */
export function accountView(ctx: ArmContext, account: AccountRecord): Json {
  const endpoint = account.dataPlane?.endpoint ?? "";
  return {
    id: accountId(ctx, account),
    name: account.name,
    type: "Microsoft.CognitiveServices/accounts",
    etag: `"${account.internalId.slice(0, 8)}"`,
    location: account.location,
    kind: account.kind,
    sku: account.sku,
    tags: account.tags,
    ...(account.identity ? { identity: account.identity } : {}),
    properties: {
      ...account.properties,
      provisioningState: account.provisioningState,
      endpoint,
      endpoints: { "OpenAI Language Model Instance API": endpoint },
      internalId: account.internalId,
      dateCreated: account.dateCreated,
      isMigrated: false,
    },
  };
}

/** A deployment as GET returns it. */
export function deploymentView(
  ctx: ArmContext,
  account: AccountRecord,
  deployment: ArmDeploymentRecord,
): Json {
  return {
    id: `${accountId(ctx, account)}/deployments/${deployment.name}`,
    name: deployment.name,
    type: "Microsoft.CognitiveServices/accounts/deployments",
    sku: deployment.sku,
    properties: { ...deployment.properties, provisioningState: deployment.provisioningState },
    systemData: { createdAt: deployment.createdAt },
  };
}

/** A project as GET returns it. */
export function projectView(ctx: ArmContext, account: AccountRecord, project: ProjectRecord): Json {
  return {
    id: `${accountId(ctx, account)}/projects/${project.name}`,
    name: project.name,
    type: "Microsoft.CognitiveServices/accounts/projects",
    location: project.location,
    tags: project.tags,
    ...(project.identity ? { identity: project.identity } : {}),
    properties: { ...project.properties, provisioningState: project.provisioningState },
  };
}

/** A soft-deleted account as the deletedAccounts API returns it. */
export function deletedView(ctx: ArmContext, deleted: DeletedAccountRecord): Json {
  const account = deleted.account;
  return {
    ...accountView(ctx, account),
    id: `/subscriptions/${ctx.settings.subscriptionId}/providers/Microsoft.CognitiveServices/locations/${account.location}/resourceGroups/${account.resourceGroup}/deletedAccounts/${account.name}`,
    type: "Microsoft.CognitiveServices/locations/resourceGroups/deletedAccounts",
    properties: {
      ...account.properties,
      provisioningState: "Succeeded",
      deletionDate: deleted.deletionDate,
      scheduledPurgeDate: deleted.scheduledPurgeDate,
      internalId: account.internalId,
      dateCreated: account.dateCreated,
    },
  };
}

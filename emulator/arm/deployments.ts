/**
 * Model deployments and Foundry projects of an account (2025-06-01 spec, `Deployment` and
 * `Project`). A deployment write holds the account: a second write while one runs is refused with
 * `RequestConflict`, as Azure does. A deployment's model must be a known base model or a succeeded
 * fine-tuned model of the same account, and cannot be changed afterwards.
 */
import {
  findModel,
  TUNED_DEPLOYMENT_SKUS,
  TunedDeploymentSku,
  tunedDeploymentProblem,
} from "../../lib/models";
import { ArmContext, ArmRequest, ArmResponse, isoNow } from "./context";
import {
  baseModelWarnings,
  baseSkuProblem,
  isKnownBaseModel,
  modelLabel,
  retiredKey,
  retiredModel,
} from "./baseModels";
import { armError, invalidRequest } from "./errors";
import { lockAccount, requireAccount, requireIdle } from "./accounts";
import { ArmRoute, template } from "./router";
import type { AccountRecord, ArmDeploymentRecord, Json, ProjectRecord } from "./state";
import { deploymentView, projectView } from "./views";

const PROVIDER = "Microsoft.CognitiveServices";
const ACCOUNT = `/subscriptions/{subscription}/resourceGroups/{group}/providers/${PROVIDER}/accounts/{account}`;
const versions = "microsoft.cognitiveservices";

/** Fine-tuned deployments per account (Azure quota: 5, azure-ai-docs `quotas-limits.md`). */
export const MAX_TUNED_DEPLOYMENTS = 5;

function modelOf(properties: Json): { format: string; name: string; version: string } {
  const model = (properties.model ?? {}) as Json;
  return {
    format: String(model.format ?? ""),
    name: String(model.name ?? ""),
    version: String(model.version ?? ""),
  };
}

/** The data-plane model id a deployment serves, after checking the model is deployable. */
function resolveModel(
  ctx: ArmContext,
  account: AccountRecord,
  request: { properties: Json; sku: string; creating: boolean },
): string {
  const { format, name, version } = modelOf(request.properties);
  if (name.includes(".ft-") && account.dataPlane?.tunedModels().includes(name)) {
    return name;
  }
  if (!name.includes(".ft-") && format === "OpenAI" && isKnownBaseModel(name, version)) {
    checkBaseModel(ctx, account, { format, name, version }, request);
    return version === "1" ? name : `${name}-${version}`;
  }
  // Observed wording: microsoft/microsoft-foundry-for-vscode#497, dotnet/eShop#342.
  throw invalidRequest(
    "DeploymentModelNotSupported",
    `The model '${modelLabel(format, name, version)}' of account deployment is not supported.`,
  );
}

/**
 * A new deployment of a base model must not use a retired model (admin API; existing deployments
 * keep working), and the model must offer the SKU in the account's region; published retirement
 * dates that passed are logged and kept as admin-visible warnings.
 */
function checkBaseModel(
  ctx: ArmContext,
  account: AccountRecord,
  model: { format: string; name: string; version: string },
  request: { sku: string; creating: boolean },
): void {
  const { format, name, version } = model;
  const retired = ["*", version]
    .map((v) => ctx.state.retiredModels.get(retiredKey(name, v)))
    .find((since) => since !== undefined);
  if (retired !== undefined && request.creating) {
    throw retiredModel(format, name, version, retired);
  }
  const problem = baseSkuProblem(name, version, request.sku, account.location);
  if (problem) {
    throw problem;
  }
  for (const warning of baseModelWarnings(name, version, new Date(ctx.now()))) {
    if (!ctx.state.warnings.includes(warning)) {
      ctx.state.warnings.push(warning);
      ctx.log(`local-azure: warning: ${warning}`);
    }
  }
}

/**
 * A fine-tuned model deploys only with the SKUs and regions Microsoft publishes (lib/models.ts
 * catalog); otherwise ARM's 400 `InvalidResourceProperties` (observed wording:
 * thunderbug1/LibreChatAzureDeployment#5).
 */
function checkTunedSku(account: AccountRecord, model: string, sku: string): void {
  const found = model.includes(".ft-") ? findModel(model) : undefined;
  if (!found) {
    return;
  }
  const known = (TUNED_DEPLOYMENT_SKUS as readonly string[]).includes(sku);
  if (
    !known ||
    tunedDeploymentProblem(found.id, found.model, sku as TunedDeploymentSku, account.location)
  ) {
    throw invalidRequest(
      "InvalidResourceProperties",
      `The specified SKU '${sku}' of account deployment is not supported by the model '${model}' version: '1'.`,
    );
  }
}

function validateDeployment(
  ctx: ArmContext,
  account: AccountRecord,
  request: ArmRequest,
  existing: ArmDeploymentRecord | undefined,
): string {
  const properties = (request.body?.properties ?? {}) as Json;
  const sku = (request.body?.sku ?? {}) as Json;
  if (typeof sku.capacity === "number" && sku.capacity <= 0) {
    // Emulator wording: Azure's message for a zero capacity is unknown.
    throw invalidRequest(
      "InvalidCapacity",
      `The sku.capacity ${sku.capacity} is invalid; it must be at least 1.`,
    );
  }
  if (existing) {
    const before = modelOf(existing.properties);
    const after = modelOf(properties);
    if (
      before.name !== after.name ||
      before.version !== after.version ||
      before.format !== after.format
    ) {
      // Observed: Azure-Samples/azure-search-openai-demo#1330, #1429.
      throw invalidRequest(
        "CannotChangeDeploymentModel",
        "The model of deployment cannot be changed.",
      );
    }
  }
  const model = resolveModel(ctx, account, {
    properties,
    sku: String(sku.name ?? ""),
    creating: existing === undefined,
  });
  checkTunedSku(account, model, String(sku.name ?? ""));
  const tuned = [...account.deployments.values()].filter(
    (d) => d.name !== request.params.name && modelOf(d.properties).name.includes(".ft-"),
  );
  if (model.includes(".ft-") && tuned.length >= MAX_TUNED_DEPLOYMENTS) {
    // Emulator wording: Azure's code and message for the sixth tuned deployment are unverified.
    throw armError(
      409,
      "QuotaExceeded",
      `The account already has ${MAX_TUNED_DEPLOYMENTS} fine-tuned model deployments, the most it may have. Delete one first.`,
    );
  }
  return model;
}

function putDeployment(ctx: ArmContext, request: ArmRequest): ArmResponse {
  const account = requireAccount(ctx, request.params.group, request.params.account);
  requireIdle(ctx, account);
  const existing = account.deployments.get(request.params.name);
  const model = validateDeployment(ctx, account, request, existing);
  const deployment: ArmDeploymentRecord = {
    name: existing?.name ?? request.params.name,
    sku: (request.body?.sku as Json | undefined) ?? {},
    properties: { ...((request.body?.properties ?? {}) as Json) },
    provisioningState: existing ? "Updating" : "Creating",
    createdAt: existing?.createdAt ?? isoNow(ctx),
  };
  account.deployments.set(deployment.name, deployment);
  const headers = lockAccount(ctx, request, account, () => {
    deployment.provisioningState = "Succeeded";
    account.dataPlane?.deploy(deployment.name, model);
  });
  return { status: existing ? 200 : 201, body: deploymentView(ctx, account, deployment), headers };
}

function deleteDeployment(ctx: ArmContext, request: ArmRequest): ArmResponse {
  const account = requireAccount(ctx, request.params.group, request.params.account);
  const deployment = account.deployments.get(request.params.name);
  if (!deployment) {
    return { status: 204 };
  }
  requireIdle(ctx, account);
  account.deployments.delete(deployment.name);
  account.dataPlane?.undeploy(deployment.name);
  return { status: 202, headers: lockAccount(ctx, request, account, () => undefined) };
}

function putProject(ctx: ArmContext, request: ArmRequest): ArmResponse {
  const account = requireAccount(ctx, request.params.group, request.params.account);
  requireIdle(ctx, account);
  const existing = account.projects.get(request.params.name);
  const project: ProjectRecord = {
    name: existing?.name ?? request.params.name,
    location: String(request.body?.location ?? account.location),
    tags: (request.body?.tags as Json | undefined) ?? {},
    identity: request.body?.identity as Json | undefined,
    properties: { ...((request.body?.properties ?? {}) as Json) },
    provisioningState: existing ? "Updating" : "Creating",
  };
  account.projects.set(project.name, project);
  const headers = lockAccount(
    ctx,
    request,
    account,
    () => (project.provisioningState = "Succeeded"),
  );
  return { status: existing ? 200 : 201, body: projectView(ctx, account, project), headers };
}

function deleteProject(ctx: ArmContext, request: ArmRequest): ArmResponse {
  const account = requireAccount(ctx, request.params.group, request.params.account);
  if (!account.projects.has(request.params.name)) {
    return { status: 204 };
  }
  requireIdle(ctx, account);
  account.projects.delete(request.params.name);
  return { status: 202, headers: lockAccount(ctx, request, account, () => undefined) };
}

function child<T>(
  kind: "deployments" | "projects",
  find: (account: AccountRecord, name: string) => T | undefined,
  view: (ctx: ArmContext, account: AccountRecord, item: T) => Json,
) {
  return (ctx: ArmContext, request: ArmRequest): ArmResponse => {
    const account = requireAccount(ctx, request.params.group, request.params.account);
    const item = find(account, request.params.name);
    if (!item) {
      throw armError(
        404,
        "ResourceNotFound",
        `The Resource '${PROVIDER}/accounts/${account.name}/${kind}/${request.params.name}' under resource group '${account.resourceGroup}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix`,
      );
    }
    return { status: 200, body: view(ctx, account, item) };
  };
}

function routes(
  kind: "deployments" | "projects",
  put: ArmRoute["handle"],
  remove: ArmRoute["handle"],
  get: ArmRoute["handle"],
  list: (ctx: ArmContext, a: AccountRecord) => Json[],
): ArmRoute[] {
  const one = `${ACCOUNT}/${kind}/{name}`;
  const permission = (verb: string) => (p: Readonly<Record<string, string>>) => ({
    action: `${PROVIDER}/accounts/${kind}/${verb}`,
    scope: `/subscriptions/${p.subscription}/resourceGroups/${p.group}/providers/${PROVIDER}/accounts/${p.account}/${kind}${p.name ? `/${p.name}` : ""}`,
  });
  const base = { versions, type: `accounts/${kind}` };
  return [
    {
      ...base,
      method: "PUT",
      pattern: template(one),
      permission: permission("write"),
      handle: put,
    },
    {
      ...base,
      method: "DELETE",
      pattern: template(one),
      permission: permission("delete"),
      handle: remove,
    },
    { ...base, method: "GET", pattern: template(one), permission: permission("read"), handle: get },
    {
      ...base,
      method: "GET",
      pattern: template(`${ACCOUNT}/${kind}`),
      permission: permission("read"),
      handle: (ctx, r) => ({
        status: 200,
        body: { value: list(ctx, requireAccount(ctx, r.params.group, r.params.account)) },
      }),
    },
  ];
}

/** Deployment and project routes. */
export const DEPLOYMENT_ROUTES: readonly ArmRoute[] = [
  ...routes(
    "deployments",
    putDeployment,
    deleteDeployment,
    child("deployments", (a, n) => a.deployments.get(n), deploymentView),
    (ctx, a) => [...a.deployments.values()].map((d) => deploymentView(ctx, a, d)),
  ),
  ...routes(
    "projects",
    putProject,
    deleteProject,
    child("projects", (a, n) => a.projects.get(n), projectView),
    (ctx, a) => [...a.projects.values()].map((p) => projectView(ctx, a, p)),
  ),
];

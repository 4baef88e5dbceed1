/**
 * Deployments. They are ARM resources in Azure, which the data plane does not serve; tests and
 * the admin API register them here, with Azure's limit on fine-tuned deployments.
 */
import { invalidPayload, quotaExceeded } from "../errors";
import type { DeploymentRecord, EmulatorContext } from "../state";
import { modelExists, unknownModel } from "./models";

/** Registers (or replaces, as an ARM PUT does) a deployment of a model the resource has. */
export function registerDeployment(
  ctx: EmulatorContext,
  name: string,
  model: string,
): DeploymentRecord {
  if (typeof name !== "string" || !/^[A-Za-z0-9][A-Za-z0-9._-]{1,63}$/.test(name)) {
    throw invalidPayload(
      `Deployment \`name\` ${JSON.stringify(name)} is invalid; use 2 to 64 characters from letters, digits, '.', '-' and '_'.`,
      "name",
    );
  }
  if (typeof model !== "string" || !modelExists(ctx, model)) {
    throw unknownModel(String(model));
  }
  const tuned = ctx.state.tunedModels.has(model);
  const existing = ctx.state.deployments.get(name);
  const tunedDeployments = [...ctx.state.deployments.values()].filter(
    (d) => d.name !== name && ctx.state.tunedModels.has(d.model),
  ).length;
  if (tuned && tunedDeployments >= ctx.settings.limits.maxFineTunedDeployments) {
    throw quotaExceeded(
      `The resource already has ${tunedDeployments} fine-tuned model deployments; the maximum is ${ctx.settings.limits.maxFineTunedDeployments}.`,
    );
  }
  const record: DeploymentRecord = {
    name,
    model,
    createdAt: existing?.createdAt ?? ctx.nowSeconds(),
  };
  ctx.state.deployments.set(name, record);
  return record;
}

/** Deletes a deployment; false when there was none. */
export function deleteDeployment(ctx: EmulatorContext, name: string): boolean {
  return ctx.state.deployments.delete(name);
}

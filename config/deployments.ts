import { tunedDeploymentProblem, TUNED_DEPLOYMENT_SKUS, type CatalogModel } from "../lib/models";
import { configKey, ConfigReader } from "./reader";
import { BASE_DEPLOYMENT_SKUS, type DeploymentSettings } from "./types";

const DEPLOYMENT_NAME = /^[a-zA-Z0-9][a-zA-Z0-9._-]{1,63}$/;
/** The tuned deployment's name is `<prefix>-<8 hex>` and must stay within ARM's 64 characters. */
const TUNED_PREFIX = /^[a-zA-Z0-9][a-zA-Z0-9._-]{1,54}$/;
const DATED_ID = /^(.+)-(\d{4}-\d{2}-\d{2})$/;

/**
 * The ARM model reference (`name`, `version`) of a base model: the catalog's, or split from a
 * dated id (`<name>-YYYY-MM-DD`); undefined when neither applies (an undated unknown id).
 */
export function baseModelReference(
  baseModel: string,
  model?: CatalogModel,
): { name: string; version: string } | undefined {
  if (model !== undefined) {
    return model.version !== undefined && model.openAI
      ? { name: model.name, version: model.version }
      : undefined;
  }
  const dated = DATED_ID.exec(baseModel);
  return dated ? { name: dated[1], version: dated[2] } : undefined;
}

export interface DeploymentContext {
  readonly baseModel: string;
  readonly model?: CatalogModel;
  readonly location: string;
  readonly suffix: string;
  readonly suffixValid: boolean;
}

/** The optional base deployment and the fine-tuned deployment: names, SKUs, capacities. */
export function validateDeployments(r: ConfigReader, ctx: DeploymentContext): DeploymentSettings {
  const reference = baseModelReference(ctx.baseModel, ctx.model);
  const shortName = reference?.name ?? ctx.model?.name ?? ctx.baseModel;
  const baseDeployment = r.bool("baseDeployment", reference !== undefined);
  if (baseDeployment && reference === undefined) {
    r.problems.push(
      `${configKey("baseDeployment")} is true but the program cannot deploy ${ctx.baseModel} as an Azure OpenAI model; set ${configKey("baseDeployment")} to false`,
    );
  }
  const baseDeploymentName = r.str("baseDeploymentName") ?? `${shortName}-base`;
  if (!DEPLOYMENT_NAME.test(baseDeploymentName)) {
    r.bad(
      "baseDeploymentName",
      baseDeploymentName,
      "use 2-64 letters, digits, '.', '_' or '-', starting with a letter or digit",
    );
  }
  const tunedDeploymentName = r.str("tunedDeploymentName") ?? `${shortName}-${ctx.suffix}`;
  // A derived name is only as good as the suffix, which is reported on its own.
  if (
    (r.str("tunedDeploymentName") !== undefined || ctx.suffixValid) &&
    !TUNED_PREFIX.test(tunedDeploymentName)
  ) {
    r.bad(
      "tunedDeploymentName",
      tunedDeploymentName,
      "use 2-55 letters, digits, '.', '_' or '-', starting with a letter or digit (the deployment's name adds '-' and 8 characters of the fine-tuned model's hash)",
    );
  }
  const tunedDeploymentSku = r.oneOf("tunedDeploymentSku", TUNED_DEPLOYMENT_SKUS, "GlobalStandard");
  const problem = ctx.model
    ? tunedDeploymentProblem(ctx.baseModel, ctx.model, tunedDeploymentSku, ctx.location)
    : undefined;
  if (problem !== undefined) {
    r.problems.push(`${configKey("tunedDeploymentSku")} is "${tunedDeploymentSku}" but ${problem}`);
  }
  return {
    baseDeployment,
    baseDeploymentName,
    baseDeploymentSku: r.oneOf("baseDeploymentSku", BASE_DEPLOYMENT_SKUS, "GlobalStandard"),
    baseDeploymentCapacity: r.int("baseDeploymentCapacity", 10, 1, 10000),
    tunedDeploymentName,
    tunedDeploymentSku,
    tunedDeploymentCapacity: r.int("tunedDeploymentCapacity", 1, 1, 10000),
  };
}

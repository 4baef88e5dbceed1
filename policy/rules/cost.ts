import type { ResourceValidationPolicy } from "@pulumi/policy";
import { PRODUCTION_SCHEMA, resolveProduction } from "../production";
import { isTunedDeployment, setting, shown, TYPES } from "../resources";

/** Default platform cap on one training run's estimated billed tokens. */
export const DEFAULT_MAX_BILLED_TOKENS = 5_000_000;
/**
 * Tuned-deployment types allowed outside production. Standard and Global deployments of a
 * fine-tuned model bill an hourly hosting fee; a Developer deployment bills per token only
 * (https://learn.microsoft.com/en-us/azure/ai-services/openai/how-to/fine-tune-test,
 * https://learn.microsoft.com/en-us/azure/ai-services/openai/how-to/fine-tuning-deploy).
 */
export const DEFAULT_NON_PRODUCTION_SKUS: readonly string[] = ["DeveloperTier"];
/** Default cap on a deployment's capacity (thousands of tokens per minute). */
export const DEFAULT_MAX_CAPACITY = 100;

/** The program names a validation upload `<component>-validation-file` (components/fineTunedModel.ts). */
function isValidationFile(name: string): boolean {
  return name.endsWith("-validation-file");
}

export const trainingTokensCap: ResourceValidationPolicy = {
  name: "training-tokens-cap",
  description:
    "A training file's estimated billed tokens (tokens × epochs, measured at preview) stay under the platform's cap. " +
    "Training bills the training file's tokens times the epochs; validation data is not counted " +
    "(https://learn.microsoft.com/azure/foundry/openai/how-to/fine-tuning-cost-management).",
  enforcementLevel: "mandatory",
  configSchema: {
    properties: {
      maxBilledTokens: { type: "integer", minimum: 1, default: DEFAULT_MAX_BILLED_TOKENS },
    },
  },
  validateResource: (args, reportViolation) => {
    if (args.type !== TYPES.trainingFile || isValidationFile(args.name)) return;
    const { maxBilledTokens = DEFAULT_MAX_BILLED_TOKENS } = args.getConfig<{
      maxBilledTokens?: number;
    }>();
    const estimated = args.props.estimatedBilledTokens as number | undefined;
    if (estimated === undefined) {
      // `check` leaves the estimate out only while the content is unknown (sha256 unknown):
      // reading it lets the runtime report "can't be known during preview".
      const sha256 = args.props.sha256;
      reportViolation(
        `estimatedBilledTokens is not set (sha256 ${shown(sha256)}); create the file through the TrainingFile class, which measures it`,
      );
      return;
    }
    if (estimated > maxBilledTokens) {
      reportViolation(
        `training on ${args.props.path} would bill about ${estimated} tokens, above the policy cap maxBilledTokens ${maxBilledTokens}; ` +
          `shrink the data, lower ${setting("epochs")}, or raise maxBilledTokens in the stack's policy config`,
      );
    }
  },
};

export const tunedDeploymentSku: ResourceValidationPolicy = {
  name: "tuned-deployment-no-hourly-sku-outside-production",
  description:
    "Outside production the fine-tuned model is deployed only as a type without an hourly hosting fee (DeveloperTier by default).",
  enforcementLevel: "mandatory",
  configSchema: {
    properties: {
      production: PRODUCTION_SCHEMA,
      nonProductionSkus: {
        type: "array",
        items: { type: "string" },
        default: [...DEFAULT_NON_PRODUCTION_SKUS],
      },
    },
  },
  validateResource: (args, reportViolation) => {
    if (args.type !== TYPES.deployment || !isTunedDeployment(args.urn, args.props)) return;
    const config = args.getConfig<{ production?: boolean; nonProductionSkus?: string[] }>();
    const production = resolveProduction(config);
    if (production.production === undefined) {
      reportViolation(production.problem);
      return;
    }
    if (production.production) return;
    const allowed = config.nonProductionSkus ?? DEFAULT_NON_PRODUCTION_SKUS;
    const sku = args.props.sku?.name;
    if (!allowed.includes(sku)) {
      reportViolation(
        `the fine-tuned model is deployed as ${shown(sku)}, which bills an hourly hosting fee, in a non-production stack (${production.source}); ` +
          `set ${setting("tunedDeploymentSku")} to one of ${allowed.join(", ")}, or list ${shown(sku)} in nonProductionSkus of the stack's policy config`,
      );
    }
  },
};

export const deploymentCapacityCap: ResourceValidationPolicy = {
  name: "deployment-capacity-cap",
  description:
    "A deployment's capacity (thousands of tokens per minute) stays under the cap for its type.",
  enforcementLevel: "mandatory",
  configSchema: {
    properties: {
      maxCapacity: { type: "integer", minimum: 1, default: DEFAULT_MAX_CAPACITY },
      maxCapacityBySku: { type: "object", additionalProperties: { type: "integer", minimum: 1 } },
    },
  },
  validateResource: (args, reportViolation) => {
    if (args.type !== TYPES.deployment) return;
    const config = args.getConfig<{
      maxCapacity?: number;
      maxCapacityBySku?: Record<string, number>;
    }>();
    const sku = args.props.sku?.name as string | undefined;
    const capacity = args.props.sku?.capacity as number | undefined;
    const cap =
      (sku !== undefined ? config.maxCapacityBySku?.[sku] : undefined) ??
      config.maxCapacity ??
      DEFAULT_MAX_CAPACITY;
    if (capacity !== undefined && capacity > cap) {
      const key = isTunedDeployment(args.urn, args.props)
        ? "tunedDeploymentCapacity"
        : "baseDeploymentCapacity";
      reportViolation(
        `sku.capacity ${capacity} (${shown(sku)}) is above the cap ${cap}; lower ${setting(key)} or raise the cap in the stack's policy config`,
      );
    }
  },
};

export const COST_POLICIES = [trainingTokensCap, tunedDeploymentSku, deploymentCapacityCap];

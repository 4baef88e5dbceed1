import type { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { type Clock, findModel, modelLifecycleWarnings, systemClock } from "../../lib/models";
import { peek, TYPES } from "../resources";

/**
 * The model a resource trains or serves, as the catalog can resolve it: a TrainingFile's `model`,
 * a FineTuningJob's `baseModel`, a deployment's `<name>-<version>` (a base model) or its
 * `<base>.ft-<id>` name (a fine-tuned one). Undefined while unknown at preview.
 */
export function modelOf(resource: Pick<PolicyResource, "type" | "props">): string | undefined {
  const read = (f: () => unknown) => {
    const value = peek(f);
    return value.known && typeof value.value === "string" ? value.value : undefined;
  };
  switch (resource.type) {
    case TYPES.trainingFile:
      return read(() => resource.props.model);
    case TYPES.fineTuningJob:
      return read(() => resource.props.baseModel);
    case TYPES.deployment: {
      const name = read(() => resource.props.properties?.model?.name);
      const version = read(() => resource.props.properties?.model?.version);
      if (name === undefined || name.includes(".ft-")) return name;
      return findModel(`${name}-${version}`) !== undefined ? `${name}-${version}` : name;
    }
    default:
      return undefined;
  }
}

/**
 * Warns, once per model, about every published lifecycle date (deprecation, retirements) that is
 * on or before today, with the source. Advisory by default: Microsoft's dates are floors that
 * often move and Azure is the authority; the providers ask the account at create time.
 */
export function modelRetirementPolicy(clock: Clock = systemClock): StackValidationPolicy {
  return {
    name: "model-retirement",
    description:
      "The models the stack trains and deploys are not past a date the model catalog (lib/models) publishes for them; change `azure-openai-finetune:baseModel` to move on.",
    enforcementLevel: "advisory",
    validateStack: (args, reportViolation) => {
      const seen = new Set<string>();
      for (const resource of args.resources) {
        const model = modelOf(resource);
        const found = model === undefined ? undefined : findModel(model);
        if (found === undefined || seen.has(found.id)) continue;
        seen.add(found.id);
        for (const warning of modelLifecycleWarnings(found.id, found.model, clock())) {
          reportViolation(warning, resource.urn);
        }
      }
    },
  };
}

export const modelRetirement = modelRetirementPolicy();

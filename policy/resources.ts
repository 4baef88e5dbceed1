import { UnknownValueError } from "@pulumi/policy";

/**
 * The resource types this program registers, as the engine names them to a policy pack. Dynamic
 * providers get `pulumi-nodejs:dynamic/<module>:<type>` from the module and type names their
 * classes pass to `pulumi.dynamic.Resource` (dynamic-providers/*.ts).
 */
export const TYPES = {
  resourceGroup: "azure-native:resources:ResourceGroup",
  account: "azure-native:cognitiveservices:Account",
  deployment: "azure-native:cognitiveservices:Deployment",
  project: "azure-native:cognitiveservices:Project",
  privateEndpoint: "azure-native:network:PrivateEndpoint",
  trainingFile: "pulumi-nodejs:dynamic/azure-openai:TrainingFile",
  fineTuningJob: "pulumi-nodejs:dynamic/azure-openai:FineTuningJob",
  accountPurge: "pulumi-nodejs:dynamic/azure-openai:AccountPurge",
} as const;

/** Component that owns the fine-tuned model's deployment (components/fineTunedModel.ts). */
export const FINE_TUNED_MODEL_COMPONENT = "azure-openai-finetune:model:FineTunedModel";

/** The config namespace of the program (`azure-openai-finetune:<key>`), named in fixes. */
export const NAMESPACE = "azure-openai-finetune";

/** `azure-openai-finetune:<key>` in backticks, for messages that name the setting to change. */
export function setting(key: string): string {
  return `\`${NAMESPACE}:${key}\``;
}

/** A value for a message: JSON, or "not set". */
export function shown(value: unknown): string {
  return value === undefined ? "not set" : JSON.stringify(value);
}

/** What a property holds at preview: its value, or "unknown" when it depends on an output. */
export type Peeked<T> = { known: true; value: T } | { known: false };

/**
 * Reads a property without letting an unknown value abort the policy. The runtime wraps props in
 * @pulumi/policy's `unknownCheckingProxy`, which throws `UnknownValueError` on reading a value
 * that is unknown during preview; a policy that can still decide without that value uses this.
 */
export function peek<T>(read: () => T): Peeked<T> {
  try {
    return { known: true, value: read() };
  } catch (err) {
    if (err instanceof UnknownValueError) return { known: false };
    throw err;
  }
}

/**
 * The types in a URN's type chain (`urn:pulumi:<stack>::<project>::<parent$...$type>::<name>`):
 * the resource's own type last, its ancestors' before it.
 */
export function typeChain(urn: string): string[] {
  const parts = urn.split("::");
  return parts.length >= 4 ? parts[2].split("$") : [];
}

/** Whether a deployment serves a fine-tuned model: it sits in FineTunedModel or names an `.ft-` model. */
export function isTunedDeployment(urn: string, props: Record<string, any>): boolean {
  if (typeChain(urn).includes(FINE_TUNED_MODEL_COMPONENT)) return true;
  const model = peek(() => props.properties?.model?.name as unknown);
  // The job's output is unknown until the job has run: only the tuned deployment is fed by it.
  return !model.known || (typeof model.value === "string" && model.value.includes(".ft-"));
}

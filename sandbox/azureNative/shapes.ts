/**
 * Conversions between the SDK's input/output shapes and ARM's request/response bodies for one
 * resource type (what azure-native's converter does from its schema metadata).
 */
import { copy, isObject, Props, UNKNOWN } from "../plugin/wire";
import { ArmResourceType, pathParameters, Shape } from "./resources";

/** Inputs that are not body fields: path parameters and the provider's own keys. */
function isBodyInput(type: ArmResourceType, key: string): boolean {
  return !pathParameters(type).includes(key) && key !== "azureApiVersion" && !key.startsWith("__");
}

/** The resource id (path) for the inputs; throws naming a missing path parameter. */
export function resourceId(type: ArmResourceType, inputs: Props, subscriptionId: string): string {
  return type.path.replace(/\{(\w+)\}/g, (_, name: string) => {
    if (name === "subscriptionId") return subscriptionId;
    const value = inputs[name];
    if (typeof value !== "string" || value === "") {
      throw new Error(`missing required property '${name}'`);
    }
    // `scope` is itself a resource id: its slashes are path separators.
    return name === "scope" ? value.replace(/\/+$/, "") : encodeURIComponent(value);
  });
}

/** The PUT body: body inputs, with flattened ones moved under `properties`. */
export function requestBody(type: ArmResourceType, inputs: Props): Props {
  const body: Props = {};
  const nested: Props = {};
  for (const [key, value] of Object.entries(inputs)) {
    if (!isBodyInput(type, key) || value === undefined) continue;
    if (type.flattened?.includes(key)) nested[type.renamed?.[key] ?? key] = copy(value);
    else body[key] = copy(value);
  }
  if (Object.keys(nested).length > 0) {
    body.properties = { ...(isObject(body.properties) ? body.properties : {}), ...nested };
  }
  return body;
}

/** SDK outputs from an ARM response: no `id` (the resource's id), flattened `properties`, the api-version. */
export function responseOutputs(type: ArmResourceType, response: Props, apiVersion: string): Props {
  const outputs: Props = copy(response);
  delete outputs.id;
  if (type.flattened && isObject(outputs.properties)) {
    const props = outputs.properties;
    delete outputs.properties;
    for (const [key, value] of Object.entries(props)) {
      const sdk = Object.entries(type.renamed ?? {}).find(([, arm]) => arm === key)?.[0];
      outputs[sdk ?? key] = value;
    }
  }
  outputs.azureApiVersion = apiVersion;
  return outputs;
}

/** Marks every response-only field the value does not already have as unknown. */
function withUnknowns(value: unknown, shape: Shape): Props {
  const out: Props = isObject(value) ? copy(value) : {};
  for (const [key, sub] of Object.entries(shape)) {
    if (sub === true) {
      if (out[key] === undefined) out[key] = UNKNOWN;
    } else if (out[key] !== UNKNOWN) {
      out[key] = withUnknowns(out[key], sub);
    }
  }
  return out;
}

/**
 * What a preview says the outputs will be: the body inputs as given, every response-only field
 * unknown (azure-native's PreviewOutputs). `scope` is both a path parameter and an output.
 */
export function previewOutputs(type: ArmResourceType, inputs: Props): Props {
  const known: Props = {};
  for (const [key, value] of Object.entries(inputs)) {
    if (isBodyInput(type, key) || key === "azureApiVersion" || key === "scope") known[key] = value;
  }
  return withUnknowns(known, type.computed);
}

/**
 * Inputs after a refresh: the old inputs, except where the live resource changed a value the
 * inputs set (old outputs and new outputs differ there), which takes the live value. Values Azure
 * filled in by default never enter the inputs, so a refresh of an untouched resource is quiet.
 */
export function refreshedInputs(oldInputs: Props, oldOutputs: Props, newOutputs: Props): Props {
  const walk = (inputs: Props, before: unknown, after: unknown): Props => {
    const out: Props = copy(inputs);
    for (const [key, value] of Object.entries(inputs)) {
      const b = isObject(before) ? before[key] : undefined;
      const a = isObject(after) ? after[key] : undefined;
      if (isObject(value) && isObject(a)) out[key] = walk(value, b, a);
      else if (a !== undefined && JSON.stringify(a) !== JSON.stringify(b)) out[key] = copy(a);
    }
    return out;
  };
  return walk(oldInputs, oldOutputs, newOutputs);
}

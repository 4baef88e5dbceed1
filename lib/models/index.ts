/**
 * The model catalog and its small API: which models can be fine-tuned where, how, until when, and
 * where their fine-tuned deployments may run. Data in ./catalog.ts, sources in ./sources.ts,
 * dates in ./lifecycle.ts.
 */
import {
  CatalogModel,
  FINE_TUNABLE_MODELS,
  FineTuningMethod,
  GLOBAL_TRAINING_REGIONS,
  MODEL_CATALOG,
  TunedDeploymentSku,
} from "./catalog";
import { SOURCES } from "./sources";

export * from "./catalog";
export { parseLenientDate, modelLifecycleWarnings, systemClock } from "./lifecycle";
export type { Clock } from "./lifecycle";
export { SOURCES } from "./sources";

/** Full ids of the models the providers handle, in a stable order for error messages. */
export const FINE_TUNABLE_MODEL_IDS: readonly string[] = Object.keys(FINE_TUNABLE_MODELS);

/** Every region where at least one catalog model can be fine-tuned. */
export const FINE_TUNING_REGIONS: readonly string[] = [
  ...new Set([
    ...GLOBAL_TRAINING_REGIONS,
    ...Object.values(MODEL_CATALOG).flatMap((m) => m.standardRegions),
  ]),
].sort();

/**
 * Azure's bounds on fine-tuning job inputs (GA spec: suffix ≤ 40 of `[a-zA-Z0-9-_]`, seed a
 * 31-bit integer). The stack config and the job provider both check against these, so the two
 * cannot drift apart.
 */
export const JOB_INPUT_LIMITS = {
  suffix: /^[a-zA-Z0-9_-]{1,40}$/,
  seedMax: 2147483647,
  nEpochs: { min: 1, max: 50, whole: true },
  batchSize: { min: 1, max: 256, whole: true },
  learningRateMultiplier: { min: 0.01, max: 10, whole: false },
} as const;

const FINE_TUNED_ID = /^(.+)\.ft-[0-9a-zA-Z]+(?::ckpt-step-\d+)?$/;
const has = (o: object, k: string) => Object.prototype.hasOwnProperty.call(o, k);

/** Resolves `id` (full id, unique short alias, or `<base>.ft-<id>`) to a key of `table`. */
function resolveIn(table: Readonly<Record<string, CatalogModel>>, id: string): string | undefined {
  if (has(table, id)) return id;
  const tuned = FINE_TUNED_ID.exec(id);
  if (tuned) return resolveIn(table, tuned[1]);
  const byAlias = Object.keys(table).filter((full) => table[full].name === id);
  return byAlias.length === 1 ? byAlias[0] : undefined;
}

/**
 * Resolves a model id to a provider-handled base model id: a full id is returned as is, a short
 * alias (`gpt-4o`) maps to its one dated version, and a fine-tuned id (`<base>.ft-<id>`, used for
 * continuous fine-tuning) maps to its base. Returns undefined for anything else.
 */
export function resolveBaseModel(id: string): string | undefined {
  return resolveIn(FINE_TUNABLE_MODELS, id);
}

/** The catalog entry for `id` (full id, alias or fine-tuned id), with its full id; or undefined. */
export function findModel(id: string): { id: string; model: CatalogModel } | undefined {
  const full = resolveIn(MODEL_CATALOG, id);
  return full === undefined ? undefined : { id: full, model: MODEL_CATALOG[full] };
}

/**
 * Why a fine-tuned deployment of `model` with `sku` in `location` is not documented, or
 * undefined when it is — or when the catalog publishes nothing for the model (Azure decides).
 */
export function tunedDeploymentProblem(
  id: string,
  model: CatalogModel,
  sku: TunedDeploymentSku,
  location: string,
): string | undefined {
  const deployments = model.tunedDeployments;
  if (Object.keys(deployments).length === 0) return undefined;
  const regions = deployments[sku];
  if (regions === "every-region" || regions?.includes(location)) return undefined;
  const offered = (Object.keys(deployments) as TunedDeploymentSku[])
    .filter((s) => deployments[s] === "every-region" || deployments[s]!.includes(location))
    .join(", ");
  const where =
    regions === undefined
      ? `is not offered for ${id}`
      : `runs for ${id} only in ${regions.join(", ")}`;
  return `a ${sku} fine-tuned deployment ${where} (source: ${SOURCES.tunedDeployments}); in ${location} use one of: ${offered}`;
}

/** Full ids of the catalog models that Microsoft lists with `method`, in catalog order. */
export function modelsWithMethod(method: FineTuningMethod): string[] {
  return Object.keys(MODEL_CATALOG).filter((id) => MODEL_CATALOG[id].methods.includes(method));
}

/**
 * Why the catalog's `id` cannot be fine-tuned with `method`, naming the models that can; or
 * undefined when it can, or when the catalog does not know `id` (then Azure decides at create).
 * @param input The input or config key naming the model, for the message.
 */
export function methodProblem(
  input: string,
  id: string,
  method: FineTuningMethod,
): string | undefined {
  const found = findModel(id);
  if (found === undefined || found.model.methods.includes(method)) return undefined;
  return (
    `\`${input}\` ${found.id} cannot be fine-tuned with method "${method}" (Microsoft lists: ` +
    `${found.model.methods.join(", ")}; source: ${SOURCES.fineTuneModels}); ` +
    `models that can: ${modelsWithMethod(method).join(", ")}`
  );
}

/**
 * The warning for a model the catalog does not know: allowed, because Azure adds models before
 * this catalog does; the account answers at create (`GET /openai/models/{id}`).
 */
export function unknownModelWarning(input: string, id: string): string {
  return (
    `\`${input}\` "${id}" is not in this program's model catalog (lib/models/catalog.ts), so its ` +
    "methods, limits and tokenizer are not checked here; the account decides when the resource " +
    `is created (GET /openai/models/${id}). docs/models.md says how to check a model.`
  );
}

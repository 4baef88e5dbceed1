import * as pulumi from "@pulumi/pulumi";
import {
  FINE_TUNABLE_MODEL_IDS,
  FINE_TUNABLE_MODELS,
  FINE_TUNING_REGIONS,
  GLOBAL_TRAINING_REGIONS,
  JOB_INPUT_LIMITS,
  resolveBaseModel,
} from "./lib/models";
import { DATED_API_VERSION, DEFAULT_API_VERSION } from "./lib/azure/apiVersion";
import { TRAINING_TYPES, type AutoOr, type TrainingType } from "./lib/fineTuning";

/** The config namespace: keys are `azure-openai-finetune:<key>`. */
export const CONFIG_NAMESPACE = "azure-openai-finetune";

export const ACCOUNT_KINDS = ["AIServices", "OpenAI"] as const;
export const NETWORK_ACCESS = ["Enabled", "Disabled"] as const;
export const BASE_DEPLOYMENT_SKUS = [
  "Standard",
  "GlobalStandard",
  "DataZoneStandard",
  "ProvisionedManaged",
  "GlobalProvisionedManaged",
] as const;
/** Deployment types Azure documents for fine-tuned models. */
export const TUNED_DEPLOYMENT_SKUS = [
  "Standard",
  "GlobalStandard",
  "DeveloperTier",
  "ProvisionedManaged",
] as const;
export const PRINCIPAL_TYPES = ["User", "Group", "ServicePrincipal"] as const;

export type PrincipalType = (typeof PRINCIPAL_TYPES)[number];

/** An Entra principal that gets data-plane roles on the account. */
export interface Principal {
  readonly type: PrincipalType;
  readonly objectId: string;
}

/** The stack's configuration, validated and with every default applied. */
export interface StackConfig {
  readonly environment: string;
  readonly location: string;
  /** Name of an existing resource group to deploy into; undefined creates one. */
  readonly existingResourceGroupName?: string;
  readonly accountKind: (typeof ACCOUNT_KINDS)[number];
  readonly accountSku: string;
  readonly disableLocalAuth: boolean;
  readonly publicNetworkAccess: (typeof NETWORK_ACCESS)[number];
  readonly allowedIpRanges: readonly string[];
  readonly baseModel: string;
  readonly baseDeploymentName: string;
  readonly baseDeploymentSku: (typeof BASE_DEPLOYMENT_SKUS)[number];
  readonly baseDeploymentCapacity: number;
  readonly trainingFile: string;
  readonly validationFile?: string;
  readonly trainingType: TrainingType;
  readonly epochs: AutoOr<number>;
  readonly batchSize: AutoOr<number>;
  readonly learningRateMultiplier: AutoOr<number>;
  readonly suffix: string;
  readonly seed?: number;
  readonly jobDeadlineMinutes: number;
  readonly maxBilledTokens: number;
  readonly tunedDeploymentName: string;
  readonly tunedDeploymentSku: (typeof TUNED_DEPLOYMENT_SKUS)[number];
  readonly tunedDeploymentCapacity: number;
  /** Principal type of whoever runs `pulumi up`; ARM rejects a role assignment whose type is wrong. */
  readonly deployerPrincipalType: PrincipalType;
  readonly principals: readonly Principal[];
  readonly inferencePrincipals: readonly Principal[];
  /** `owner/repo` whose GitHub Actions get a federated CI identity; undefined creates none. */
  readonly ciRepository?: string;
  readonly ciBranch: string;
  readonly ciEnvironments: readonly string[];
  /** Name of a Foundry project to create on the account; undefined creates none. */
  readonly foundryProject?: string;
  readonly purgeOnDestroy: boolean;
  readonly apiVersion: string;
  readonly tags: Readonly<Record<string, string>>;
}

/** Thrown when the stack configuration is invalid; lists every problem found. */
export class ConfigError extends Error {
  override name = "ConfigError" as const;
  constructor(readonly problems: readonly string[]) {
    super(`Invalid stack configuration:\n  - ${problems.join("\n  - ")}`);
  }
}

/** Raw config values as `pulumi config` stores them: strings, with arrays and objects as JSON. */
export type RawConfig = Readonly<Record<string, string | undefined>>;

/** Every key the program reads; any other key under the namespace is reported as unknown. */
export const CONFIG_KEYS = [
  "environment",
  "location",
  "resourceGroupName",
  "accountKind",
  "accountSku",
  "disableLocalAuth",
  "publicNetworkAccess",
  "allowedIpRanges",
  "baseModel",
  "baseDeploymentName",
  "baseDeploymentSku",
  "baseDeploymentCapacity",
  "trainingFile",
  "validationFile",
  "trainingType",
  "epochs",
  "batchSize",
  "learningRateMultiplier",
  "suffix",
  "seed",
  "jobDeadlineMinutes",
  "maxBilledTokens",
  "tunedDeploymentName",
  "tunedDeploymentSku",
  "tunedDeploymentCapacity",
  "deployerPrincipalType",
  "principals",
  "inferencePrincipals",
  "ciRepository",
  "ciBranch",
  "ciEnvironments",
  "foundryProject",
  "purgeOnDestroy",
  "apiVersion",
  "owner",
  "tags",
] as const;

const DNS_LABEL = /^[a-z0-9]([a-z0-9-]{0,62}[a-z0-9])?$/;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const IPV4_RANGE = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})(\/(\d{1,2}))?$/;
const DEPLOYMENT_NAME = /^[a-zA-Z0-9][a-zA-Z0-9._-]{1,63}$/;
const GITHUB_REPO = /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/;
const GITHUB_NAME = /^[A-Za-z0-9_./-]{1,100}$/;

/**
 * Validates raw stack config and applies defaults. Pure: the caller supplies the raw values and
 * the stack name, so tests need no Pulumi runtime. Collects every problem before throwing, so one
 * `pulumi preview` shows them all.
 */
export function parseStackConfig(raw: RawConfig, stack: string): StackConfig {
  const problems: string[] = [];
  const key = (k: string) => `\`${CONFIG_NAMESPACE}:${k}\``;
  const bad = (k: string, value: string, fix: string) =>
    problems.push(`${key(k)} is ${JSON.stringify(value)}; ${fix}`);

  for (const k of Object.keys(raw)) {
    if (raw[k] !== undefined && !(CONFIG_KEYS as readonly string[]).includes(k)) {
      problems.push(`${key(k)} is not a setting of this program; remove it or check its spelling`);
    }
  }

  const str = (k: string): string | undefined => {
    const v = raw[k];
    return v === undefined || v.trim() === "" ? undefined : v.trim();
  };
  const oneOf = <T extends string>(k: string, allowed: readonly T[], dflt: T): T => {
    const v = str(k);
    if (v === undefined) return dflt;
    if ((allowed as readonly string[]).includes(v)) return v as T;
    bad(k, v, `allowed values: ${allowed.join(", ")}`);
    return dflt;
  };
  const int = (k: string, dflt: number, min: number, max: number): number => {
    const v = str(k);
    if (v === undefined) return dflt;
    const n = Number(v);
    if (Number.isInteger(n) && n >= min && n <= max) return n;
    bad(k, v, `use a whole number from ${min} to ${max}`);
    return dflt;
  };
  const bool = (k: string, dflt: boolean): boolean => {
    const v = str(k);
    if (v === undefined) return dflt;
    if (v === "true" || v === "false") return v === "true";
    bad(k, v, "use true or false");
    return dflt;
  };
  const autoOr = (
    k: string,
    dflt: AutoOr<number>,
    { min, max, whole }: { min: number; max: number; whole: boolean },
  ) => {
    const v = str(k);
    if (v === undefined) return dflt;
    if (v === "auto") return "auto" as const;
    const n = Number(v);
    if (Number.isFinite(n) && n >= min && n <= max && (!whole || Number.isInteger(n))) return n;
    bad(k, v, `use "auto" or a ${whole ? "whole number" : "number"} from ${min} to ${max}`);
    return dflt;
  };
  const json = <T>(k: string, check: (v: unknown) => v is T, shape: string, dflt: T): T => {
    const v = str(k);
    if (v === undefined) return dflt;
    let parsed: unknown;
    try {
      parsed = JSON.parse(v);
    } catch {
      bad(
        k,
        v,
        `use ${shape} (set it with \`pulumi config set --path\` or as YAML in the stack file)`,
      );
      return dflt;
    }
    if (check(parsed)) return parsed;
    bad(k, v, `use ${shape}`);
    return dflt;
  };
  const isStringArray = (v: unknown): v is string[] =>
    Array.isArray(v) && v.every((x) => typeof x === "string");
  const isStringMap = (v: unknown): v is Record<string, string> =>
    typeof v === "object" &&
    v !== null &&
    !Array.isArray(v) &&
    Object.values(v).every((x) => typeof x === "string");

  const environment = str("environment") ?? stack;
  if (!/^[a-z0-9][a-z0-9-]{0,15}$/.test(environment)) {
    bad(
      "environment",
      environment,
      "use 1-16 lowercase letters, digits or hyphens (it becomes part of resource names); set it explicitly when the stack name does not fit",
    );
  }

  const location = str("location") ?? "swedencentral";
  if (!FINE_TUNING_REGIONS.includes(location)) {
    bad(
      "location",
      location,
      `use a region that offers fine-tuning: ${FINE_TUNING_REGIONS.join(", ")}`,
    );
  }

  const rawModel = str("baseModel") ?? "gpt-4o-2024-08-06";
  const resolved = resolveBaseModel(rawModel);
  const baseModel =
    resolved !== undefined && !rawModel.includes(".ft-") ? resolved : "gpt-4o-2024-08-06";
  if (resolved === undefined || rawModel.includes(".ft-")) {
    bad(
      "baseModel",
      rawModel,
      `use a fine-tunable base model: ${FINE_TUNABLE_MODEL_IDS.join(", ")}`,
    );
  }
  const model = FINE_TUNABLE_MODELS[baseModel];
  // The job provider trains with supervised or DPO; an RFT-only model would be refused by Azure
  // after the upload (methods: MicrosoftDocs/azure-ai-docs
  // articles/foundry/includes/fine-tune-supported-models.md @ 10fd319b).
  if (!model.methods.some((m) => m === "supervised" || m === "dpo")) {
    problems.push(
      `${key("baseModel")} is "${baseModel}" but it is fine-tuned only with ${model.methods.join(", ")}, ` +
        `which this program does not run (it runs supervised and DPO jobs); use one of ${FINE_TUNABLE_MODEL_IDS.filter((id) => FINE_TUNABLE_MODELS[id].methods.includes("supervised")).join(", ")}`,
    );
  }

  const trainingType = oneOf("trainingType", TRAINING_TYPES, "GlobalStandard");
  if (FINE_TUNING_REGIONS.includes(location)) {
    if (trainingType === "Standard" && !model.standardRegions.includes(location)) {
      problems.push(
        `${key("location")} is "${location}" but Standard training of ${baseModel} runs only in ` +
          `${model.standardRegions.join(", ")}; change ${key("location")} or set ${key("trainingType")} to GlobalStandard`,
      );
    }
    if (trainingType !== "Standard" && !model.globalTraining) {
      problems.push(
        `${key("trainingType")} is "${trainingType}" but ${baseModel} offers only Standard training; set ${key("trainingType")} to Standard`,
      );
    } else if (trainingType !== "Standard" && !GLOBAL_TRAINING_REGIONS.includes(location)) {
      problems.push(
        `${key("location")} is "${location}" but Global training is not offered there; use one of ${GLOBAL_TRAINING_REGIONS.join(", ")}`,
      );
    }
  }

  const accountKind = oneOf("accountKind", ACCOUNT_KINDS, "AIServices");
  const accountSku = oneOf("accountSku", ["S0"] as const, "S0");
  const allowedIpRanges = json(
    "allowedIpRanges",
    isStringArray,
    "a list of IPv4 addresses or CIDR ranges",
    [],
  );
  for (const range of allowedIpRanges) {
    const m = IPV4_RANGE.exec(range);
    const octetsOk = m !== null && [1, 2, 3, 4].every((i) => Number(m[i]) <= 255);
    if (!m || !octetsOk || (m[6] !== undefined && Number(m[6]) > 32)) {
      bad(
        "allowedIpRanges",
        range,
        "each entry must be an IPv4 address or CIDR range such as 203.0.113.0/24",
      );
    }
  }

  const baseDeploymentName = str("baseDeploymentName") ?? `${model.name}-base`;
  if (!DEPLOYMENT_NAME.test(baseDeploymentName)) {
    bad(
      "baseDeploymentName",
      baseDeploymentName,
      "use 2-64 letters, digits, '.', '_' or '-', starting with a letter or digit",
    );
  }

  const suffix = str("suffix") ?? "travel";
  if (!JOB_INPUT_LIMITS.suffix.test(suffix)) {
    bad(
      "suffix",
      suffix,
      "use 1-40 letters, digits, '-' or '_' (Azure appends it to the fine-tuned model name)",
    );
  }
  const tunedDeploymentName = str("tunedDeploymentName") ?? `${model.name}-${suffix}`;
  // A derived name is only as good as the suffix, which is reported on its own.
  const tunedNameSet = str("tunedDeploymentName") !== undefined;
  if (
    (tunedNameSet || JOB_INPUT_LIMITS.suffix.test(suffix)) &&
    !DEPLOYMENT_NAME.test(tunedDeploymentName)
  ) {
    bad(
      "tunedDeploymentName",
      tunedDeploymentName,
      "use 2-64 letters, digits, '.', '_' or '-', starting with a letter or digit",
    );
  } else if (tunedDeploymentName === baseDeploymentName) {
    problems.push(
      `${key("tunedDeploymentName")} and ${key("baseDeploymentName")} are both "${tunedDeploymentName}"; give the two deployments different names`,
    );
  }

  const tunedDeploymentSku = oneOf("tunedDeploymentSku", TUNED_DEPLOYMENT_SKUS, "GlobalStandard");
  if (tunedDeploymentSku === "DeveloperTier" && !model.name.startsWith("gpt-4.1")) {
    problems.push(
      `${key("tunedDeploymentSku")} is "DeveloperTier" but Developer deployments host only the gpt-4.1 family, not ${baseModel}; ` +
        `use Standard or GlobalStandard, or a gpt-4.1 ${key("baseModel")}`,
    );
  }

  const trainingFile = str("trainingFile") ?? "data/travel-assistant.jsonl";
  if (!trainingFile.endsWith(".jsonl")) {
    bad(
      "trainingFile",
      trainingFile,
      "point it at a .jsonl file (path relative to the project directory)",
    );
  }
  const validationFile = str("validationFile");
  if (validationFile !== undefined && !validationFile.endsWith(".jsonl")) {
    bad(
      "validationFile",
      validationFile,
      "point it at a .jsonl file (path relative to the project directory)",
    );
  }

  const seedRaw = str("seed");
  const seed = seedRaw === undefined ? undefined : int("seed", 0, 0, JOB_INPUT_LIMITS.seedMax);

  const principals = parsePrincipals(
    "principals",
    json("principals", isStringArray, 'a list of "Type:objectId" entries', []),
  );
  const inferencePrincipals = parsePrincipals(
    "inferencePrincipals",
    json("inferencePrincipals", isStringArray, 'a list of "Type:objectId" entries', []),
  );
  function parsePrincipals(k: string, entries: string[]): Principal[] {
    const out: Principal[] = [];
    for (const entry of entries) {
      const [type, objectId, ...rest] = entry.split(":");
      if (
        rest.length === 0 &&
        (PRINCIPAL_TYPES as readonly string[]).includes(type) &&
        GUID.test(objectId ?? "")
      ) {
        out.push({ type: type as PrincipalType, objectId: objectId.toLowerCase() });
      } else {
        bad(
          k,
          entry,
          `each entry must be "User:<objectId>", "Group:<objectId>" or "ServicePrincipal:<objectId>" with a GUID object id`,
        );
      }
    }
    return out;
  }

  const ciRepository = str("ciRepository");
  if (ciRepository !== undefined && !GITHUB_REPO.test(ciRepository)) {
    bad(
      "ciRepository",
      ciRepository,
      'use the GitHub "owner/repository" form, e.g. contoso/ml-platform',
    );
  }
  const ciBranch = str("ciBranch") ?? "main";
  if (!GITHUB_NAME.test(ciBranch)) {
    bad("ciBranch", ciBranch, "use a branch name of letters, digits, '.', '_', '/' or '-'");
  }
  const listedEnvironments = json(
    "ciEnvironments",
    isStringArray,
    "a list of GitHub environment names",
    [],
  );
  const ciEnvironments = listedEnvironments.length > 0 ? listedEnvironments : [environment];
  for (const env of ciEnvironments) {
    if (!GITHUB_NAME.test(env)) {
      bad(
        "ciEnvironments",
        env,
        "use GitHub environment names of letters, digits, '.', '_', '/' or '-'",
      );
    }
  }

  const foundryProject = str("foundryProject");
  if (foundryProject !== undefined) {
    if (!DNS_LABEL.test(foundryProject)) {
      bad("foundryProject", foundryProject, "use 1-64 lowercase letters, digits or hyphens");
    } else if (accountKind !== "AIServices") {
      problems.push(
        `${key("foundryProject")} is "${foundryProject}" but Foundry projects need ${key("accountKind")} AIServices, not ${accountKind}; ` +
          `set ${key("accountKind")} to AIServices or remove ${key("foundryProject")}`,
      );
    }
  }

  const apiVersion = str("apiVersion") ?? DEFAULT_API_VERSION;
  if (!DATED_API_VERSION.test(apiVersion)) {
    bad(
      "apiVersion",
      apiVersion,
      'use a dated data-plane API version such as "2025-04-01-preview" or "2024-10-21"',
    );
  }

  const existingResourceGroupName = str("resourceGroupName");
  if (
    existingResourceGroupName !== undefined &&
    !/^[-\w._()]{1,89}[-\w_()]$/.test(existingResourceGroupName)
  ) {
    bad(
      "resourceGroupName",
      existingResourceGroupName,
      "use 1-90 letters, digits, '-', '_', '.', '(' or ')', not ending in '.'",
    );
  }

  const userTags = json("tags", isStringMap, "a map of string tag names to string values", {});
  const owner = str("owner");
  const tags: Record<string, string> = {
    ...userTags,
    environment,
    "managed-by": "pulumi",
    "pulumi-project": CONFIG_NAMESPACE,
    ...(owner !== undefined ? { owner } : {}),
  };

  const result: StackConfig = {
    environment,
    location,
    existingResourceGroupName,
    accountKind,
    accountSku,
    disableLocalAuth: bool("disableLocalAuth", true),
    publicNetworkAccess: oneOf("publicNetworkAccess", NETWORK_ACCESS, "Enabled"),
    allowedIpRanges,
    baseModel,
    baseDeploymentName,
    baseDeploymentSku: oneOf("baseDeploymentSku", BASE_DEPLOYMENT_SKUS, "GlobalStandard"),
    baseDeploymentCapacity: int("baseDeploymentCapacity", 10, 1, 10000),
    trainingFile,
    validationFile,
    trainingType,
    epochs: autoOr("epochs", 3, JOB_INPUT_LIMITS.nEpochs),
    batchSize: autoOr("batchSize", "auto", JOB_INPUT_LIMITS.batchSize),
    learningRateMultiplier: autoOr(
      "learningRateMultiplier",
      "auto",
      JOB_INPUT_LIMITS.learningRateMultiplier,
    ),
    suffix,
    seed,
    jobDeadlineMinutes: int("jobDeadlineMinutes", 240, 1, 43200),
    maxBilledTokens: int("maxBilledTokens", 2_000_000, 1, 2_000_000_000),
    tunedDeploymentName,
    tunedDeploymentSku,
    tunedDeploymentCapacity: int("tunedDeploymentCapacity", 1, 1, 10000),
    deployerPrincipalType: oneOf("deployerPrincipalType", PRINCIPAL_TYPES, "User"),
    principals,
    inferencePrincipals,
    ciRepository,
    ciBranch,
    ciEnvironments,
    foundryProject,
    // Azure keeps a deleted account's name for 48 h; purging frees it for the next `up` in
    // throwaway environments, while prod keeps the soft-delete safety net unless asked.
    purgeOnDestroy: bool("purgeOnDestroy", environment !== "prod"),
    apiVersion,
    tags,
  };
  if (problems.length > 0) {
    throw new ConfigError(problems);
  }
  return result;
}

let loaded: StackConfig | undefined;

/** Reads and validates the stack's config once per program run; the only reader of config. */
export function loadStackConfig(): StackConfig {
  if (loaded === undefined) {
    // Every key under the namespace, not just the known ones, so a misspelt key is reported
    // instead of silently falling back to its default.
    const prefix = `${CONFIG_NAMESPACE}:`;
    const raw: Record<string, string | undefined> = {};
    for (const [k, v] of Object.entries(pulumi.runtime.allConfig())) {
      if (k.startsWith(prefix)) {
        raw[k.slice(prefix.length)] = v;
      }
    }
    loaded = parseStackConfig(raw, pulumi.getStack());
  }
  return loaded;
}

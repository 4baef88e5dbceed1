/**
 * The base models Azure OpenAI can fine-tune, with the facts the program and the validator need.
 * Source: Foundry "fine-tuning models" include and the quota page (see README, "Models and regions").
 */

/** Fine-tuning methods Azure offers per model. */
export type FineTuningMethod = "supervised" | "dpo" | "reinforcement";

/** What the program needs to know about one fine-tunable base model. */
export interface BaseModelInfo {
  /** Model name as the ARM deployment expects it (`properties.model.name`). */
  readonly name: string;
  /** Model version as the ARM deployment expects it (`properties.model.version`). */
  readonly version: string;
  /** Tokenizer used to count training tokens exactly. */
  readonly tokenizer: "o200k_base";
  /** Longest training example, in tokens, the service accepts. */
  readonly maxExampleTokens: number;
  /** Regions that offer Standard (regional) training for this model. */
  readonly standardRegions: readonly string[];
  /** Whether Global training is offered. */
  readonly globalTraining: boolean;
  /** Methods the model supports. */
  readonly methods: readonly FineTuningMethod[];
}

/** Fine-tunable base models keyed by their full, version-dated id. */
export const FINE_TUNABLE_MODELS: Readonly<Record<string, BaseModelInfo>> = {
  "gpt-4o-2024-08-06": {
    name: "gpt-4o",
    version: "2024-08-06",
    tokenizer: "o200k_base",
    maxExampleTokens: 65536,
    standardRegions: ["eastus2", "northcentralus", "swedencentral"],
    globalTraining: true,
    methods: ["supervised", "dpo"],
  },
  "gpt-4o-mini-2024-07-18": {
    name: "gpt-4o-mini",
    version: "2024-07-18",
    tokenizer: "o200k_base",
    maxExampleTokens: 65536,
    standardRegions: ["northcentralus", "swedencentral"],
    globalTraining: true,
    methods: ["supervised"],
  },
  "gpt-4.1-2025-04-14": {
    name: "gpt-4.1",
    version: "2025-04-14",
    tokenizer: "o200k_base",
    maxExampleTokens: 65536,
    standardRegions: ["northcentralus", "swedencentral"],
    globalTraining: true,
    methods: ["supervised", "dpo"],
  },
  "gpt-4.1-mini-2025-04-14": {
    name: "gpt-4.1-mini",
    version: "2025-04-14",
    tokenizer: "o200k_base",
    maxExampleTokens: 65536,
    standardRegions: ["northcentralus", "swedencentral"],
    globalTraining: true,
    methods: ["supervised", "dpo"],
  },
  "gpt-4.1-nano-2025-04-14": {
    name: "gpt-4.1-nano",
    version: "2025-04-14",
    tokenizer: "o200k_base",
    maxExampleTokens: 32768,
    standardRegions: ["northcentralus", "swedencentral"],
    globalTraining: true,
    methods: ["supervised"],
  },
  "o4-mini-2025-04-16": {
    name: "o4-mini",
    version: "2025-04-16",
    tokenizer: "o200k_base",
    maxExampleTokens: 65536,
    standardRegions: ["eastus2", "swedencentral"],
    globalTraining: false,
    methods: ["reinforcement"],
  },
};

/** Full ids of the fine-tunable base models, in a stable order for error messages. */
export const FINE_TUNABLE_MODEL_IDS: readonly string[] = Object.keys(FINE_TUNABLE_MODELS);

/**
 * Regions that offer Global training (any fine-tunable model except those listed in
 * `standardRegions` only). Standard training regions are per model, above.
 */
export const GLOBAL_TRAINING_REGIONS: readonly string[] = [
  "australiaeast",
  "brazilsouth",
  "canadacentral",
  "canadaeast",
  "eastus",
  "eastus2",
  "francecentral",
  "germanywestcentral",
  "italynorth",
  "japaneast",
  "koreacentral",
  "northcentralus",
  "norwayeast",
  "polandcentral",
  "southeastasia",
  "southafricanorth",
  "southcentralus",
  "southindia",
  "spaincentral",
  "swedencentral",
  "switzerlandwest",
  "switzerlandnorth",
  "uksouth",
  "westeurope",
  "westus",
  "westus3",
];

/** Every region where at least one model can be fine-tuned. */
export const FINE_TUNING_REGIONS: readonly string[] = [
  ...new Set([
    ...GLOBAL_TRAINING_REGIONS,
    ...Object.values(FINE_TUNABLE_MODELS).flatMap((m) => m.standardRegions),
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

/**
 * Resolves a model id to its fine-tunable base model id: a full id is returned as is, a short
 * alias (`gpt-4o`) maps to its one dated version, and a fine-tuned id (`<base>.ft-<id>`, used for
 * continuous fine-tuning) maps to its base. Returns undefined for anything else.
 */
export function resolveBaseModel(id: string): string | undefined {
  if (Object.prototype.hasOwnProperty.call(FINE_TUNABLE_MODELS, id)) {
    return id;
  }
  const tuned = FINE_TUNED_ID.exec(id);
  if (tuned) {
    return resolveBaseModel(tuned[1]);
  }
  const byAlias = FINE_TUNABLE_MODEL_IDS.filter((full) => FINE_TUNABLE_MODELS[full].name === id);
  return byAlias.length === 1 ? byAlias[0] : undefined;
}

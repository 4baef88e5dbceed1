/**
 * The model catalog: what Microsoft publishes about each model this program can be asked to
 * fine-tune, copied from the documents in ./sources.ts (every value below comes from one of
 * them; `source` names which). The catalog informs and warns; Azure decides. Dates are copied as
 * printed ("No earlier than …" kept as a floor) and read leniently by ./lifecycle.ts.
 */
import { SOURCES } from "./sources";

/** Fine-tuning methods: SFT, DPO, RFT on the docs' tables. */
export type FineTuningMethod = "supervised" | "dpo" | "reinforcement";

/** Deployment types (ARM `sku.name`) Azure documents for fine-tuned models. */
export const TUNED_DEPLOYMENT_SKUS = [
  "Standard",
  "GlobalStandard",
  "DeveloperTier",
  "ProvisionedManaged",
] as const;
export type TunedDeploymentSku = (typeof TUNED_DEPLOYMENT_SKUS)[number];

/** One published lifecycle date, as printed, with where it was read. */
export interface LifecycleDate {
  /** The date as the table prints it (`2026-10-14`, even `2026-09-31`). */
  readonly date: string;
  /** The table says "No earlier than": a floor Microsoft may move later. */
  readonly noEarlierThan?: boolean;
  /** What the table adds about the date. */
  readonly note?: string;
  readonly source: string;
}

/** The lifecycle dates Microsoft publishes for a model; absent when none is published. */
export interface ModelLifecycle {
  /** "Deprecation date (no new customers)". */
  readonly deprecation?: LifecycleDate;
  /** Base model retirement (for every deployment type unless `standardRetirement` is set). */
  readonly retirement?: LifecycleDate;
  /** Earlier retirement of Standard (regional) deployments of the base model. */
  readonly standardRetirement?: LifecycleDate;
  /** After this, the model can no longer be fine-tuned. */
  readonly trainingRetirement?: LifecycleDate;
  /** After this, fine-tuned deployments stop answering. */
  readonly deploymentRetirement?: LifecycleDate;
}

/** How the program counts the model's training tokens. */
export interface TokenizerInfo {
  /** The encoding the counter uses. */
  readonly encoding: "o200k_base";
  /** False when the model's own tokenizer differs: the count is an estimate and labelled so. */
  readonly exact: boolean;
  /** The model's own tokenizer, when it is not the one counted with. */
  readonly actual?: string;
}

/** Where fine-tuned deployments of a model may run, per deployment type. */
export type TunedDeploymentRegions = Readonly<
  Partial<Record<TunedDeploymentSku, readonly string[] | "every-region">>
>;

/** What the program knows about one fine-tunable model. */
export interface CatalogModel {
  /** Model name as ARM and the tables name it (`gpt-4.1-mini`). */
  readonly name: string;
  /** Model version (`2025-04-14`); undefined where the table prints none. */
  readonly version?: string;
  /** True for Azure OpenAI models; false for the open models (Foundry resources only). */
  readonly openAI: boolean;
  /** Status on the fine-tuning table: `GA`, `Preview`, … */
  readonly status: string;
  /** Methods on the fine-tuning table. */
  readonly methods: readonly FineTuningMethod[];
  /** Regions offering Standard (regional) training. */
  readonly standardRegions: readonly string[];
  /** Global training offered (in GLOBAL_TRAINING_REGIONS). */
  readonly globalTraining: boolean;
  /** Developer (preemptible) training offered. */
  readonly developerTraining: boolean;
  /** Accepts images in training examples ("Text and vision to text"). */
  readonly vision: boolean;
  /** Longest training example in tokens; undefined where the table says "Unknown". */
  readonly maxExampleTokens?: number;
  readonly tokenizer: TokenizerInfo;
  /** Deployment types for the fine-tuned model; a type absent here is not documented. */
  readonly tunedDeployments: TunedDeploymentRegions;
  readonly lifecycle: ModelLifecycle;
  /** Extra facts worth a line in the preview (gated access, …). */
  readonly note?: string;
}

/** A model with a dated version and a published context length. */
export type DatedModel = CatalogModel & {
  readonly version: string;
  readonly maxExampleTokens: number;
};

const EXACT: TokenizerInfo = { encoding: "o200k_base", exact: true };
const estimate = (actual: string): TokenizerInfo => ({
  encoding: "o200k_base",
  exact: false,
  actual,
});

/** Regions offering Global training, with the table's caveats in REGION_CAVEATS. */
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

/** Global training caveats printed next to a region on the table. */
export const REGION_CAVEATS: Readonly<
  Record<string, { readonly noVision?: true; readonly excludes?: readonly string[] }>
> = {
  japaneast: { noVision: true },
  polandcentral: { excludes: ["gpt-4.1-nano"] },
};

// Lifecycle of gpt-4o and gpt-4o-mini: one table row each, same shape.
const gpt4oLifecycle = (deprecation: string): ModelLifecycle => ({
  deprecation: { date: deprecation, note: "no new customers", source: SOURCES.retirements },
  standardRetirement: {
    date: "2026-03-31",
    note: "Standard deployment type",
    source: SOURCES.retirements,
  },
  retirement: {
    date: "2026-10-01",
    note: "Global Standard, Data Zone Standard and Provisioned deployment types",
    source: SOURCES.retirements,
  },
  trainingRetirement: {
    date: "2026-09-31",
    noEarlierThan: true,
    note: "existing customers only; otherwise at base model retirement",
    source: SOURCES.retirements,
  },
  deploymentRetirement: { date: "2027-03-31", source: SOURCES.retirements },
});

// Lifecycle of models whose training retires with the base model and deployments a year later.
const dated = (deprecation: string, retirement: string, deployment: string): ModelLifecycle => ({
  deprecation: { date: deprecation, note: "no new customers", source: SOURCES.retirements },
  retirement: { date: retirement, source: SOURCES.retirements },
  trainingRetirement: {
    date: retirement,
    note: "at base model retirement",
    source: SOURCES.retirements,
  },
  deploymentRetirement: {
    date: deployment,
    note: "one year after training retirement",
    source: SOURCES.retirements,
  },
});

const NCUS_SWC = ["northcentralus", "swedencentral"];
const EUS2_SWC = ["eastus2", "swedencentral"];

// OpenAI models: every fact from SOURCES.fineTuneModels (methods, regions, Global, Developer,
// status), SOURCES.contextLengths (maxExampleTokens), SOURCES.tunedDeployments, SOURCES.retirements.
const OPENAI_MODELS: Readonly<Record<string, DatedModel>> = {
  "gpt-4o-2024-08-06": {
    name: "gpt-4o",
    version: "2024-08-06",
    openAI: true,
    status: "GA",
    methods: ["supervised", "dpo"],
    standardRegions: ["eastus2", "northcentralus", "swedencentral"],
    globalTraining: true,
    developerTraining: true,
    vision: true,
    maxExampleTokens: 65536,
    tokenizer: EXACT,
    tunedDeployments: {
      Standard: EUS2_SWC,
      GlobalStandard: "every-region",
      ProvisionedManaged: NCUS_SWC,
    },
    lifecycle: gpt4oLifecycle("2025-08-06"),
  },
  "gpt-4o-mini-2024-07-18": {
    name: "gpt-4o-mini",
    version: "2024-07-18",
    openAI: true,
    status: "GA",
    methods: ["supervised"],
    standardRegions: NCUS_SWC,
    globalTraining: true,
    developerTraining: true,
    vision: false,
    maxExampleTokens: 65536,
    tokenizer: EXACT,
    tunedDeployments: {
      Standard: NCUS_SWC,
      GlobalStandard: "every-region",
      ProvisionedManaged: NCUS_SWC,
    },
    lifecycle: gpt4oLifecycle("2025-07-18"),
  },
  "gpt-4.1-2025-04-14": {
    name: "gpt-4.1",
    version: "2025-04-14",
    openAI: true,
    status: "GA",
    methods: ["supervised", "dpo"],
    standardRegions: NCUS_SWC,
    globalTraining: true,
    developerTraining: true,
    vision: true,
    maxExampleTokens: 65536,
    tokenizer: EXACT,
    tunedDeployments: {
      Standard: NCUS_SWC,
      GlobalStandard: "every-region",
      DeveloperTier: "every-region",
      ProvisionedManaged: ["swedencentral"],
    },
    lifecycle: dated("2026-04-14", "2026-10-14", "2027-10-14"),
  },
  "gpt-4.1-mini-2025-04-14": {
    name: "gpt-4.1-mini",
    version: "2025-04-14",
    openAI: true,
    status: "GA",
    methods: ["supervised", "dpo"],
    standardRegions: NCUS_SWC,
    globalTraining: true,
    developerTraining: true,
    vision: false,
    maxExampleTokens: 65536,
    tokenizer: EXACT,
    tunedDeployments: {
      Standard: NCUS_SWC,
      GlobalStandard: "every-region",
      DeveloperTier: "every-region",
    },
    lifecycle: dated("2026-04-14", "2026-10-14", "2027-10-14"),
  },
  "gpt-4.1-nano-2025-04-14": {
    name: "gpt-4.1-nano",
    version: "2025-04-14",
    openAI: true,
    status: "GA",
    methods: ["supervised", "dpo"],
    standardRegions: NCUS_SWC,
    globalTraining: true,
    developerTraining: true,
    vision: false,
    maxExampleTokens: 32768,
    tokenizer: EXACT,
    tunedDeployments: {
      Standard: NCUS_SWC,
      GlobalStandard: "every-region",
      DeveloperTier: "every-region",
    },
    lifecycle: dated("2026-04-14", "2026-10-14", "2027-10-14"),
  },
  "o4-mini-2025-04-16": {
    name: "o4-mini",
    version: "2025-04-16",
    openAI: true,
    status: "GA",
    methods: ["reinforcement"],
    standardRegions: EUS2_SWC,
    globalTraining: true,
    developerTraining: false,
    vision: false,
    maxExampleTokens: 65536,
    tokenizer: EXACT,
    tunedDeployments: { Standard: EUS2_SWC, GlobalStandard: "every-region" },
    lifecycle: dated("2026-04-16", "2026-10-16", "2027-10-16"),
  },
};

// Models the newest fine-tuning table adds. No retirement dates or tuned-deployment regions are
// published for them, so those checks stay silent and Azure decides.
const NEWER_MODELS: Readonly<Record<string, CatalogModel>> = {
  "gpt-5-2025-08-07": {
    name: "gpt-5",
    version: "2025-08-07",
    openAI: true,
    // The 2025 table (azure-ai-docs articles/foundry/openai/includes/fine-tune-models.md @
    // 630ae2df) listed SFT in private preview; the 2026-03-05 table lists RFT only.
    status: "GA (access by invitation)",
    methods: ["reinforcement"],
    standardRegions: NCUS_SWC,
    globalTraining: true,
    developerTraining: true,
    vision: false,
    tokenizer: EXACT,
    tunedDeployments: {},
    lifecycle: {},
    note: "reinforcement fine-tuning of gpt-5 is gated: access is by invitation only",
  },
  "Ministral-3B": {
    name: "Ministral-3B",
    version: "2411",
    openAI: false,
    status: "GA",
    methods: ["supervised"],
    standardRegions: [],
    globalTraining: true,
    developerTraining: false,
    vision: false,
    tokenizer: estimate("Mistral tokenizer"),
    tunedDeployments: {},
    lifecycle: {},
  },
  "Qwen-32B": {
    name: "Qwen-32B",
    openAI: false,
    status: "GA",
    methods: ["supervised"],
    standardRegions: [],
    globalTraining: true,
    developerTraining: false,
    vision: false,
    maxExampleTokens: 8192,
    tokenizer: estimate("Qwen tokenizer"),
    tunedDeployments: {},
    lifecycle: {},
  },
  "Llama-3.3-70B-Instruct": {
    name: "Llama-3.3-70B-Instruct",
    openAI: false,
    status: "GA",
    methods: ["supervised"],
    standardRegions: [],
    globalTraining: true,
    developerTraining: false,
    vision: false,
    tokenizer: estimate("Llama 3 tokenizer"),
    tunedDeployments: {},
    lifecycle: {},
  },
  "gpt-oss-20b": {
    name: "gpt-oss-20b",
    openAI: false,
    status: "GA",
    methods: ["supervised"],
    standardRegions: [],
    globalTraining: true,
    developerTraining: false,
    vision: false,
    tokenizer: estimate("o200k_harmony"),
    tunedDeployments: {},
    lifecycle: {},
  },
};

/** Every model in the catalog, keyed by the id the fine-tuning API takes. */
export const MODEL_CATALOG: Readonly<Record<string, CatalogModel>> = {
  ...OPENAI_MODELS,
  ...NEWER_MODELS,
};

/**
 * The dated Azure OpenAI models (the first catalog section): local Azure serves these, and their
 * largest context length bounds the validator when no model is given. The config, the providers
 * and the validator judge models by the whole catalog (`findModel`).
 */
export const FINE_TUNABLE_MODELS: Readonly<Record<string, DatedModel>> = OPENAI_MODELS;

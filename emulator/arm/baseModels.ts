/**
 * Which base models an account deployment may serve, where, with which deployment type (ARM
 * `sku.name`), and what ARM answers otherwise. The models are the catalog's dated Azure OpenAI
 * models (lib/models) plus two that cannot be fine-tuned; regional Standard availability is
 * Microsoft's "Standard model availability" table (MicrosoftDocs/azure-ai-docs
 * articles/ai-foundry/openai/includes/model-matrix/standard-models.md @ 43dc14ea). Global and
 * Data Zone types are accepted in every region (their tables list most regions; not checked).
 * A model is refused as retired only once `retire` was called (admin API or a test): published
 * dates only warn, as the program's preview does, because Microsoft moves them.
 */
import { MODEL_CATALOG, modelLifecycleWarnings } from "../../lib/models";
import type { AzureError } from "../errors";
import { invalidRequest } from "./errors";

/** Regions offering a Standard (regional) deployment, per `name|version`. */
const STANDARD_REGIONS: Readonly<Record<string, readonly string[]>> = {
  "o4-mini|2025-04-16": [
    "eastus",
    "eastus2",
    "northcentralus",
    "southcentralus",
    "swedencentral",
    "westus",
    "westus3",
  ],
  "gpt-4.1|2025-04-14": [
    "eastus",
    "eastus2",
    "northcentralus",
    "southcentralus",
    "swedencentral",
    "switzerlandnorth",
    "westus",
    "westus3",
  ],
  "gpt-4.1-nano|2025-04-14": ["northcentralus", "swedencentral"],
  "gpt-4.1-mini|2025-04-14": [
    "australiaeast",
    "canadaeast",
    "eastus",
    "eastus2",
    "francecentral",
    "japaneast",
    "northcentralus",
    "southcentralus",
    "southindia",
    "swedencentral",
    "switzerlandnorth",
    "uksouth",
    "westeurope",
    "westus",
    "westus3",
  ],
  "gpt-4o|2024-08-06": [
    "centralus",
    "eastus",
    "eastus2",
    "northcentralus",
    "southcentralus",
    "swedencentral",
    "westus",
    "westus3",
  ],
  "gpt-4o|2024-11-20": [
    "australiaeast",
    "canadaeast",
    "centralus",
    "eastus",
    "eastus2",
    "francecentral",
    "japaneast",
    "northcentralus",
    "norwayeast",
    "southcentralus",
    "southindia",
    "swedencentral",
    "switzerlandnorth",
    "uksouth",
    "westus",
    "westus3",
  ],
  "gpt-4o-mini|2024-07-18": [
    "eastus",
    "eastus2",
    "northcentralus",
    "southcentralus",
    "swedencentral",
    "westus",
    "westus3",
  ],
  "text-embedding-3-small|1": [
    "australiaeast",
    "canadaeast",
    "eastus",
    "eastus2",
    "japaneast",
    "switzerlandnorth",
    "uaenorth",
    "westus",
  ],
};

/**
 * Deployment types a base model may use besides Standard. DeveloperTier is for fine-tuned models
 * only (Azure refuses it for a base model: Azure/azure-dev#6727).
 */
const OTHER_BASE_SKUS = new Set([
  "GlobalStandard",
  "DataZoneStandard",
  "ProvisionedManaged",
  "GlobalProvisionedManaged",
  "DataZoneProvisionedManaged",
  "GlobalBatch",
  "DataZoneBatch",
]);

const key = (name: string, version: string) => `${name}|${version}`;

/** The catalog id (`gpt-4o-mini-2024-07-18`) of an OpenAI base model, if the catalog has it. */
function catalogId(name: string, version: string): string | undefined {
  return Object.keys(MODEL_CATALOG).find((id) => {
    const m = MODEL_CATALOG[id];
    return m.openAI && m.name === name && m.version === version;
  });
}

/** Whether `name`/`version` is a base model local Azure can deploy. */
export function isKnownBaseModel(name: string, version: string): boolean {
  return key(name, version) in STANDARD_REGIONS || catalogId(name, version) !== undefined;
}

/** ARM's `'Format:…,Name:…,Version:…'` spelling of a model in its messages. */
export function modelLabel(format: string, name: string, version: string): string {
  return `Format:${format},Name:${name},Version:${version}`;
}

/**
 * The refusal for deploying a known base model with `sku` in `location`, or undefined. Observed
 * wordings: a type the model does not have, Azure/azure-dev#6727; a type not offered in the
 * region, Azure-Samples/azure-search-openai-demo#1840 and azure-search-openai-demo-csharp#362.
 */
export function baseSkuProblem(
  name: string,
  version: string,
  sku: string,
  location: string,
): AzureError | undefined {
  const standard = STANDARD_REGIONS[key(name, version)];
  if (sku === "Standard" && standard !== undefined && !standard.includes(location)) {
    return invalidRequest(
      "InvalidResourceProperties",
      `The specified SKU 'Standard' for model '${name} ${version}' is not supported in this region '${location}'.`,
    );
  }
  if (sku === "Standard" || OTHER_BASE_SKUS.has(sku)) {
    return undefined;
  }
  return invalidRequest(
    "InvalidResourceProperties",
    `The specified SKU '${sku}' of account deployment is not supported by the model '${name}' version: '${version}'.`,
  );
}

/** `03/31/2026 00:00:00`: how ARM prints the date in `ServiceModelDeprecated`. */
function armDate(ms: number): string {
  const d = new Date(ms);
  const two = (n: number) => String(n).padStart(2, "0");
  return (
    `${two(d.getUTCMonth() + 1)}/${two(d.getUTCDate())}/${d.getUTCFullYear()} ` +
    `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}`
  );
}

/**
 * 400 `ServiceModelDeprecated` for a model retired at `since` (observed wording:
 * microsoft/microsoft-foundry-for-vscode#491, Azure-Samples/Azure-Functions-OpenAI-Demo#30).
 */
export function retiredModel(format: string, name: string, version: string, since: number) {
  return invalidRequest(
    "ServiceModelDeprecated",
    `The model '${modelLabel(format, name, version)}' has been deprecated since ${armDate(since)}.`,
  );
}

/** The catalog's lifecycle warnings for a base model on `today` (empty when none passed). */
export function baseModelWarnings(name: string, version: string, today: Date): string[] {
  const id = catalogId(name, version);
  return id === undefined ? [] : modelLifecycleWarnings(id, MODEL_CATALOG[id], today);
}

/** Key under which `retire` records a model (`name|version`; any version when none given). */
export function retiredKey(name: string, version: string | undefined): string {
  return key(name, version ?? "*");
}

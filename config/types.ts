import type { AutoOr, TrainingType } from "../lib/fineTuning";
import type { CatalogModel, TunedDeploymentSku } from "../lib/models";
export { TRAINING_TYPES, type AutoOr, type TrainingType } from "../lib/fineTuning";
export { TUNED_DEPLOYMENT_SKUS } from "../lib/models";

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
export const PRINCIPAL_TYPES = ["User", "Group", "ServicePrincipal"] as const;

export type PrincipalType = (typeof PRINCIPAL_TYPES)[number];

/** An Entra principal that gets data-plane roles on the account. */
export interface Principal {
  readonly type: PrincipalType;
  readonly objectId: string;
}

/** Environment, production flag and everything that follows from them. */
export interface EnvironmentSettings {
  readonly environment: string;
  /** The one setting that makes a stack production (purge default, policies). */
  readonly production: boolean;
  readonly purgeOnDestroy: boolean;
  readonly tags: Readonly<Record<string, string>>;
}

/** Where training runs and on which model. */
export interface RegionAndModel {
  readonly location: string;
  /** Full model id (catalog id when the catalog knows it, else as configured). */
  readonly baseModel: string;
  /** The catalog entry, or undefined for a model the catalog does not know (Azure decides). */
  readonly model?: CatalogModel;
  readonly trainingType: TrainingType;
}

export interface AccountAndNetwork {
  /** Name of an existing resource group to deploy into; undefined creates one. */
  readonly existingResourceGroupName?: string;
  readonly accountKind: (typeof ACCOUNT_KINDS)[number];
  readonly accountSku: string;
  readonly disableLocalAuth: boolean;
  readonly publicNetworkAccess: (typeof NETWORK_ACCESS)[number];
  readonly allowedIpRanges: readonly string[];
  /** Name of a Foundry project to create on the account; undefined creates none. */
  readonly foundryProject?: string;
}

/** An existing account the stack connects to, split from its ARM resource id. */
export interface ExistingAccount {
  readonly id: string;
  readonly subscriptionId: string;
  readonly resourceGroupName: string;
  readonly name: string;
}

/** Create the account (and how to guard it) or connect to an existing one. */
export interface AccountSource {
  /** The account to fine-tune in; undefined creates one. */
  readonly existingAccount?: ExistingAccount;
  /** With `existingAccount`: a base deployment the owner made, named for the comparison. */
  readonly existingBaseDeploymentName?: string;
  /** The created (or adopted) account's ARM name; undefined derives one (lib/naming.ts). */
  readonly accountName?: string;
  /** Its custom subdomain, set with `accountName`: `accountSubdomain`, else the name itself. */
  readonly accountSubdomain?: string;
  /** Pulumi `protect` on a created account: `destroy` stops instead of deleting it. */
  readonly protectAccount: boolean;
  /** Pulumi `retainOnDelete` on a created account: `destroy` forgets it but leaves it in Azure. */
  readonly retainAccountOnDelete: boolean;
}

export interface JobSettings {
  readonly trainingFile: string;
  readonly validationFile?: string;
  readonly epochs: AutoOr<number>;
  readonly batchSize: AutoOr<number>;
  readonly learningRateMultiplier: AutoOr<number>;
  readonly suffix: string;
  readonly seed?: number;
  readonly jobDeadlineMinutes: number;
  readonly maxBilledTokens: number;
  readonly apiVersion: string;
}

export interface DeploymentSettings {
  /** Deploy the base model for comparison; the fine-tuning does not need it. */
  readonly baseDeployment: boolean;
  readonly baseDeploymentName: string;
  readonly baseDeploymentSku: (typeof BASE_DEPLOYMENT_SKUS)[number];
  readonly baseDeploymentCapacity: number;
  /** Prefix of the tuned deployment's name; the name ends in a hash of the fine-tuned model. */
  readonly tunedDeploymentName: string;
  readonly tunedDeploymentSku: TunedDeploymentSku;
  readonly tunedDeploymentCapacity: number;
}

export interface PrincipalSettings {
  /** Principal type of whoever runs `pulumi up`; ARM rejects a role assignment whose type is wrong. */
  readonly deployerPrincipalType: PrincipalType;
  readonly principals: readonly Principal[];
  readonly inferencePrincipals: readonly Principal[];
}

export interface CiSettings {
  /** `owner/repo` whose GitHub Actions get a federated CI identity; undefined creates none. */
  readonly ciRepository?: string;
  readonly ciBranch: string;
  readonly ciEnvironments: readonly string[];
}

/** The stack's configuration, validated and with every default applied. */
export type StackConfig = EnvironmentSettings &
  Omit<RegionAndModel, "model"> &
  AccountAndNetwork &
  AccountSource &
  JobSettings &
  DeploymentSettings &
  PrincipalSettings &
  CiSettings;

/** Thrown when the stack configuration is invalid; lists every problem found. */
export class ConfigError extends Error {
  override name = "ConfigError" as const;
  constructor(readonly problems: readonly string[]) {
    super(`Invalid stack configuration:\n  - ${problems.join("\n  - ")}`);
  }
}

/** Every key the program reads; any other key under the namespace is reported as unknown. */
export const CONFIG_KEYS = [
  "environment",
  "production",
  "location",
  "resourceGroupName",
  "accountKind",
  "accountSku",
  "disableLocalAuth",
  "publicNetworkAccess",
  "allowedIpRanges",
  "baseModel",
  "baseDeployment",
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
  "existingAccount",
  "accountName",
  "accountSubdomain",
  "protectAccount",
  "retainAccountOnDelete",
  "apiVersion",
  "owner",
  "tags",
] as const;

/**
 * The management plane's state: one subscription with its resource groups, Cognitive Services
 * accounts (and their deployments and projects), soft-deleted accounts, role definitions and
 * assignments, and the long-running operations ARM reports on.
 */
import type { AzureError } from "../errors";
import { BUILT_IN_ROLES, RoleDefinitionRecord } from "./roles";

/** A JSON object as sent in a request body. */
export type Json = Record<string, unknown>;

/** A resource group. */
export interface ResourceGroupRecord {
  readonly name: string;
  readonly location: string;
  tags: Json;
}

/** A data plane serving one account (see `DataPlaneHost`). */
export interface AccountDataPlane {
  /** `https://127.0.0.1:<port>/`, the account's `properties.endpoint`. */
  readonly endpoint: string;
  /** key1 and key2 (`listKeys`). */
  readonly keys: [string, string];
  /** Ids of the succeeded fine-tuned models of this account. */
  tunedModels(): string[];
  /** Mirrors an ARM deployment into the data plane (chat). */
  deploy(name: string, model: string): void;
  /** Removes a mirrored deployment. */
  undeploy(name: string): void;
  /** Stops the data plane and drops its state. */
  close(): Promise<void>;
}

/** Starts data planes for accounts; the emulator passes one in. */
export interface DataPlaneHost {
  start(account: AccountRecord): Promise<AccountDataPlane>;
}

/** A model deployment of an account. */
export interface ArmDeploymentRecord {
  readonly name: string;
  sku: Json;
  properties: Json;
  provisioningState: string;
  readonly createdAt: string;
}

/** A Foundry project of an account. */
export interface ProjectRecord {
  readonly name: string;
  readonly location: string;
  tags: Json;
  identity: Json | undefined;
  properties: Json;
  provisioningState: string;
}

/** A Cognitive Services account. */
export interface AccountRecord {
  readonly name: string;
  readonly resourceGroup: string;
  readonly location: string;
  readonly kind: string;
  sku: Json;
  tags: Json;
  identity: Json | undefined;
  /** The properties the caller set (without read-only ones). */
  properties: Json;
  provisioningState: string;
  readonly internalId: string;
  readonly dateCreated: string;
  readonly deployments: Map<string, ArmDeploymentRecord>;
  readonly projects: Map<string, ProjectRecord>;
  /** Time (ms) until which a write is in progress on the account or one of its children. */
  busyUntil: number;
  dataPlane: AccountDataPlane | undefined;
}

/** A soft-deleted account, kept until purged (Azure: 48 hours). */
export interface DeletedAccountRecord {
  readonly account: AccountRecord;
  readonly deletionDate: string;
  readonly scheduledPurgeDate: string;
}

/** A role assignment. */
export interface RoleAssignmentRecord {
  readonly name: string;
  readonly scope: string;
  readonly roleDefinitionId: string;
  readonly principalId: string;
  readonly principalType: string;
  readonly description: string | null;
  /** ABAC condition (`properties.condition`), if any, and its version ("2.0"). */
  readonly condition?: string;
  readonly conditionVersion?: string;
  readonly createdOn: string;
  /** When the assignment starts to count (creation + propagation delay), ms. */
  readonly effectiveAt: number;
}

/** A long-running operation (`Azure-AsyncOperation` status). */
export interface OperationRecord {
  readonly id: string;
  status: "InProgress" | "Succeeded" | "Failed" | "Canceled";
  readonly startTime: string;
  endTime: string | undefined;
  error: AzureError | undefined;
}

/** All management-plane state. */
export class ArmState {
  readonly resourceGroups = new Map<string, ResourceGroupRecord>();
  /** Accounts keyed by `<group>/<name>`, lower case. */
  readonly accounts = new Map<string, AccountRecord>();
  /** Soft-deleted accounts keyed by `<location>/<group>/<name>`, lower case. */
  readonly deletedAccounts = new Map<string, DeletedAccountRecord>();
  /** Role definitions keyed by GUID (lower case). */
  readonly roleDefinitions = new Map<string, RoleDefinitionRecord>();
  /** Role assignments keyed by GUID (lower case). */
  readonly roleAssignments = new Map<string, RoleAssignmentRecord>();
  readonly operations = new Map<string, OperationRecord>();
  /** Base models retired through the admin API or a test: `name|version` (or `name|*`) → since, ms. */
  readonly retiredModels = new Map<string, number>();
  /** Warnings the management plane gave (published retirement dates passed, …), oldest first. */
  readonly warnings: string[] = [];

  constructor() {
    this.resetRoles();
  }

  /** Restores the built-in role catalog (custom roles go). */
  resetRoles(): void {
    this.roleDefinitions.clear();
    for (const role of BUILT_IN_ROLES) {
      this.roleDefinitions.set(role.name, role);
    }
  }

  /** The account `group/name`, if any (case-insensitive). */
  account(group: string, name: string): AccountRecord | undefined {
    return this.accounts.get(`${group}/${name}`.toLowerCase());
  }

  /** Every active or soft-deleted account using `subdomain` (case-insensitive). */
  subdomainOwner(subdomain: string): AccountRecord | undefined {
    const wanted = subdomain.toLowerCase();
    const all = [
      ...this.accounts.values(),
      ...[...this.deletedAccounts.values()].map((d) => d.account),
    ];
    return all.find((a) => String(a.properties.customSubDomainName ?? "").toLowerCase() === wanted);
  }
}

/** Key of a soft-deleted account. */
export function deletedKey(location: string, group: string, name: string): string {
  return `${location}/${group}/${name}`.toLowerCase();
}

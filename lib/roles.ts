/**
 * Built-in Azure role definition ids (GUIDs from Azure's built-in roles reference). Exact ids,
 * not display names: names are localised and were renamed before (Azure AI User → Foundry User).
 */
export const ROLES = {
  /** Upload files, fine-tune, deploy and call models on an Azure OpenAI / AI Services account. */
  cognitiveServicesOpenAIContributor: "a001fd3d-188f-4b5d-821b-7da978bf7442",
  /** Call deployed models and read; cannot upload data or fine-tune. */
  cognitiveServicesOpenAIUser: "5e0bd9bd-7b93-4f28-af87-19fc36ad61bd",
  /** Manage resources in a scope (ARM writes); no data-plane access. */
  contributor: "b24988ac-6180-42a0-ab88-20f7382dd24c",
  /** Read every resource in a scope (all read actions); no writes, no data plane. */
  reader: "acdd72a7-3385-48ef-bd42-f606fba81ae7",
  /** Create and delete role assignments in a scope. */
  roleBasedAccessControlAdministrator: "f58310d9-a9f6-439a-9e8d-f62e7b41a168",
} as const;

/** The full ARM id of a built-in role definition in a subscription. */
export function roleDefinitionId(subscriptionId: string, roleGuid: string): string {
  return `/subscriptions/${subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${roleGuid}`;
}

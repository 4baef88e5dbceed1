/**
 * Built-in Azure role definition ids. Exact ids, not display names: names are localised and were
 * renamed before (Azure AI User → Foundry User). Each id is the `name` of the role's JSON on
 * Microsoft's built-in roles reference (MicrosoftDocs/azure-docs
 * `articles/role-based-access-control/built-in-roles/*.md`); test/lib/roles.spec.ts pins them
 * against literals copied from those pages. ARM refuses a role assignment whose definition does
 * not exist, so a wrong id breaks the first `up`.
 */
export const ROLES = {
  /**
   * Upload files, fine-tune, deploy and call models on an Azure OpenAI / AI Services account.
   * https://learn.microsoft.com/azure/role-based-access-control/built-in-roles/ai-machine-learning#cognitive-services-openai-contributor
   */
  cognitiveServicesOpenAIContributor: "a001fd3d-188f-4b5d-821b-7da978bf7442",
  /**
   * Call deployed models and read; cannot upload data or fine-tune.
   * https://learn.microsoft.com/azure/role-based-access-control/built-in-roles/ai-machine-learning#cognitive-services-openai-user
   */
  cognitiveServicesOpenAIUser: "5e0bd9bd-7b93-4f28-af87-19fc36ad61bd",
  /**
   * Manage resources in a scope (ARM writes); no data-plane access.
   * https://learn.microsoft.com/azure/role-based-access-control/built-in-roles/privileged#contributor
   */
  contributor: "b24988ac-6180-42a0-ab88-20f7382dd24c",
  /**
   * Read every resource in a scope (ARM reads); no data-plane access.
   * https://learn.microsoft.com/azure/role-based-access-control/built-in-roles/general#reader
   */
  reader: "acdd72a7-3385-48ef-bd42-f606fba81ae7",
  /**
   * Create and delete role assignments in a scope.
   * https://learn.microsoft.com/azure/role-based-access-control/built-in-roles/privileged#role-based-access-control-administrator
   */
  roleBasedAccessControlAdministrator: "f58310d9-a9f6-439a-9e8d-f62e7b41a168",
} as const;

/** The full ARM id of a built-in role definition in a subscription. */
export function roleDefinitionId(subscriptionId: string, roleGuid: string): string {
  return `/subscriptions/${subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${roleGuid}`;
}

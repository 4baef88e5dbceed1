/**
 * The azure-native 3.28.0 resource types this program can declare, as the provider maps them to
 * ARM: the resource path with its parameters, the api-version the SDK pins (the "Uses Azure REST
 * API version" line of each type in node_modules/@pulumi/azure-native), which path parameter it
 * autonames, which inputs ARM nests under `properties` (x-ms-client-flatten), the response-only
 * fields (readOnly in Azure/azure-rest-api-specs) that a preview shows as unknown, and the input
 * paths ARM cannot change in place.
 */

/** Response-only fields: `true` for a leaf, an object for nested fields. */
export interface Shape {
  readonly [key: string]: true | Shape;
}

export interface ArmResourceType {
  /** Resource id template; `{x}` is the SDK input x, `{subscriptionId}` the provider's. `{scope}` is an id. */
  readonly path: string;
  readonly apiVersion: string;
  /** Path parameter named `<logical name><8 random characters>` when omitted. */
  readonly autoname?: string;
  /** The PUT body has a `location`, defaulted when omitted. */
  readonly hasLocation: boolean;
  /** SDK inputs ARM expects under `properties` (and returns there). */
  readonly flattened?: readonly string[];
  /** Flattened SDK inputs whose ARM name differs (x-ms-client-name): SDK name → ARM name. */
  readonly renamed?: Readonly<Record<string, string>>;
  /** Response-only fields in the SDK's output shape. */
  readonly computed: Shape;
  /** Input paths whose change needs a new resource. */
  readonly replaceOn: readonly string[];
}

const SYSTEM: Shape = { name: true, type: true, systemData: true };
const SYSTEM_IDENTITY: Shape = { principalId: true, tenantId: true };

// specification/cognitiveservices/resource-manager/Microsoft.CognitiveServices/stable/2025-06-01/cognitiveservices.json
const COGNITIVE = "2025-06-01";

export const ARM_TYPES: Readonly<Record<string, ArmResourceType>> = {
  // specification/resources/resource-manager/Microsoft.Resources/stable/2024-03-01/resources.json
  "azure-native:resources:ResourceGroup": {
    path: "/subscriptions/{subscriptionId}/resourcegroups/{resourceGroupName}",
    apiVersion: "2024-03-01",
    autoname: "resourceGroupName",
    hasLocation: true,
    computed: { name: true, type: true, properties: { provisioningState: true } },
    replaceOn: ["resourceGroupName", "location"],
  },
  "azure-native:cognitiveservices:Account": {
    path:
      "/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}" +
      "/providers/Microsoft.CognitiveServices/accounts/{accountName}",
    apiVersion: COGNITIVE,
    autoname: "accountName",
    hasLocation: true,
    computed: {
      ...SYSTEM,
      etag: true,
      identity: SYSTEM_IDENTITY,
      properties: {
        provisioningState: true,
        endpoint: true,
        endpoints: true,
        internalId: true,
        capabilities: true,
        isMigrated: true,
        dateCreated: true,
        callRateLimit: true,
        quotaLimit: true,
        privateEndpointConnections: true,
        abusePenalty: true,
        commitmentPlanAssociations: true,
      },
    },
    // The subdomain is set once (https://learn.microsoft.com/azure/ai-services/cognitive-services-custom-subdomains);
    // kind and location are fixed at creation.
    replaceOn: [
      "resourceGroupName",
      "accountName",
      "location",
      "kind",
      "properties.customSubDomainName",
    ],
  },
  "azure-native:cognitiveservices:Deployment": {
    path:
      "/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}" +
      "/providers/Microsoft.CognitiveServices/accounts/{accountName}/deployments/{deploymentName}",
    apiVersion: COGNITIVE,
    autoname: "deploymentName",
    hasLocation: false,
    computed: {
      ...SYSTEM,
      etag: true,
      properties: {
        provisioningState: true,
        capabilities: true,
        rateLimits: true,
        callRateLimit: true,
      },
    },
    replaceOn: ["resourceGroupName", "accountName", "deploymentName"],
  },
  "azure-native:cognitiveservices:Project": {
    path:
      "/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}" +
      "/providers/Microsoft.CognitiveServices/accounts/{accountName}/projects/{projectName}",
    apiVersion: COGNITIVE,
    autoname: "projectName",
    hasLocation: true,
    computed: {
      ...SYSTEM,
      etag: true,
      identity: SYSTEM_IDENTITY,
      properties: { provisioningState: true, endpoints: true, isDefault: true },
    },
    replaceOn: ["resourceGroupName", "accountName", "projectName", "location"],
  },
  // specification/authorization/resource-manager/Microsoft.Authorization/stable/2022-04-01/authorization-RoleAssignmentsCalls.json
  "azure-native:authorization:RoleAssignment": {
    path: "{scope}/providers/Microsoft.Authorization/roleAssignments/{roleAssignmentName}",
    apiVersion: "2022-04-01",
    autoname: "roleAssignmentName",
    hasLocation: false,
    flattened: [
      "roleDefinitionId",
      "principalId",
      "principalType",
      "description",
      "condition",
      "conditionVersion",
      "delegatedManagedIdentityResourceId",
    ],
    computed: {
      name: true,
      type: true,
      createdBy: true,
      createdOn: true,
      updatedBy: true,
      updatedOn: true,
    },
    // ARM answers RoleAssignmentUpdateNotPermitted to a PUT that changes who or what role.
    replaceOn: ["scope", "roleAssignmentName", "principalId", "roleDefinitionId"],
  },
  // specification/authorization/resource-manager/Microsoft.Authorization/preview/2022-05-01-preview/authorization-RoleDefinitionsCalls.json
  "azure-native:authorization:RoleDefinition": {
    path: "{scope}/providers/Microsoft.Authorization/roleDefinitions/{roleDefinitionId}",
    apiVersion: "2022-05-01-preview",
    autoname: "roleDefinitionId",
    hasLocation: false,
    flattened: ["roleName", "description", "roleType", "permissions", "assignableScopes"],
    renamed: { roleType: "type" },
    computed: {
      ...SYSTEM,
      createdBy: true,
      createdOn: true,
      updatedBy: true,
      updatedOn: true,
    },
    replaceOn: ["scope", "roleDefinitionId"],
  },
};

/** Path parameters of a type, in template order (`subscriptionId` excluded). */
export function pathParameters(type: ArmResourceType): string[] {
  return [...type.path.matchAll(/\{(\w+)\}/g)]
    .map((m) => m[1])
    .filter((p) => p !== "subscriptionId");
}

/** Role assignments are named by a GUID; everything else by the logical name plus a suffix. */
export function autonamesWithGuid(token: string): boolean {
  return (
    token === "azure-native:authorization:RoleAssignment" ||
    token === "azure-native:authorization:RoleDefinition"
  );
}

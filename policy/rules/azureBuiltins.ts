import type { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { setting, shown, TYPES } from "../resources";

/**
 * Azure Policy built-ins for Azure AI Services (Cognitive Services) accounts that this stack can
 * meet before anything exists, mirrored so a preview fails where Azure Policy would audit or deny
 * the deployed account. Each one: its display name, definition id and version, and the file in
 * Azure/azure-policy it comes from (Microsoft Learn lists them under
 * https://learn.microsoft.com/en-us/azure/ai-services/policy-reference).
 */
export interface AzureBuiltIn {
  readonly displayName: string;
  readonly id: string;
  readonly version: string;
  readonly source: string;
}

export const BUILT_INS = {
  keyAccessDisabled: {
    displayName:
      "Azure AI Services resources should have key access disabled (disable local authentication)",
    id: "71ef260a-8f18-47b7-abcb-62d0673d94dc",
    version: "1.1.0",
    source:
      "Azure/azure-policy built-in-policies/policyDefinitions/Azure Ai Services/DisableLocalAuth_Audit.json @ 8f5ad30e23561ea73b96c4aadb858ef43c1ce78e",
  },
  restrictNetworkAccess: {
    displayName: "Azure AI Services resources should restrict network access",
    id: "037eea7a-bd0a-46c5-9a66-03aea78705d3",
    version: "3.1.0",
    source:
      "Azure/azure-policy built-in-policies/policyDefinitions/Azure Ai Services/NetworkAcls_Audit.json @ 8f5ad30e23561ea73b96c4aadb858ef43c1ce78e",
  },
  managedIdentity: {
    displayName: "Cognitive Services accounts should use a managed identity",
    id: "fe3fd216-4f83-4fc1-8984-2bbec80a3418",
    version: "1.0.0",
    source:
      "Azure/azure-policy built-in-policies/policyDefinitions/Cognitive Services/CognitiveServices_ManagedIdentity_Audit.json @ 443571852870beb5b0577d900b0ecc456bea3600",
  },
  privateLink: {
    displayName: "Azure AI Services resources should use Azure Private Link",
    id: "d6759c02-b87f-42b7-892e-71b3f471d782",
    version: "1.0.0",
    source:
      "Azure/azure-policy built-in-policies/policyDefinitions/Azure Ai Services/EnablePrivateEndpoints_Audit.json @ 079b3ace165dfebda43d4a998ba3b9068b5f7fe0",
  },
  customerManagedKey: {
    displayName:
      "Cognitive Services accounts should enable data encryption with a customer-managed key",
    id: "67121cc7-ff39-4ab8-b7e3-95b84dab487d",
    version: "2.0.0",
    source:
      "Azure/azure-policy built-in-policies/policyDefinitions/Cognitive Services/CognitiveServices_CustomerManagedKey_Audit.json @ 04a62e1558e865fde1e561a7df850ccc7f8f1c1f",
  },
} as const satisfies Record<string, AzureBuiltIn>;

function mirrors(builtIn: AzureBuiltIn, what: string): string {
  return `${what} Mirrors Azure Policy built-in "${builtIn.displayName}" (${builtIn.id}, v${builtIn.version}).`;
}

export const keyAccessDisabled: ResourceValidationPolicy = {
  name: "ai-services-key-access-disabled",
  description: mirrors(
    BUILT_INS.keyAccessDisabled,
    "The account refuses API keys: every call carries a Microsoft Entra token.",
  ),
  enforcementLevel: "mandatory",
  validateResource: (args, reportViolation) => {
    if (args.type !== TYPES.account) return;
    const value = args.props.properties?.disableLocalAuth;
    if (value !== true) {
      reportViolation(
        `properties.disableLocalAuth is ${shown(value)}; set ${setting("disableLocalAuth")} to true so the account accepts Microsoft Entra tokens only`,
      );
    }
  },
};

export const restrictNetworkAccess: ResourceValidationPolicy = {
  name: "ai-services-restrict-network-access",
  description: mirrors(
    BUILT_INS.restrictNetworkAccess,
    "The account is closed to the internet (public network access disabled) or its firewall denies by default.",
  ),
  enforcementLevel: "advisory",
  validateResource: (args, reportViolation) => {
    if (args.type !== TYPES.account) return;
    const publicAccess = args.props.properties?.publicNetworkAccess;
    const defaultAction = args.props.properties?.networkAcls?.defaultAction;
    if (publicAccess !== "Disabled" && defaultAction !== "Deny") {
      reportViolation(
        `properties.publicNetworkAccess is ${shown(publicAccess)} and properties.networkAcls.defaultAction is ${shown(defaultAction)}: every network reaches the account; ` +
          `list the callers' ranges in ${setting("allowedIpRanges")} (the firewall then denies the rest) or set ${setting("publicNetworkAccess")} to Disabled`,
      );
    }
  },
};

export const managedIdentity: ResourceValidationPolicy = {
  name: "cognitive-services-managed-identity",
  description: mirrors(
    BUILT_INS.managedIdentity,
    "The account has a managed identity to reach other Azure services without secrets.",
  ),
  enforcementLevel: "mandatory",
  validateResource: (args, reportViolation) => {
    if (args.type !== TYPES.account) return;
    const type = args.props.identity?.type;
    if (type === undefined || type === "None") {
      reportViolation(
        `identity.type is ${shown(type)}; give the account a SystemAssigned or UserAssigned identity`,
      );
    }
  },
};

export const privateLink: StackValidationPolicy = {
  name: "ai-services-private-link",
  description: mirrors(
    BUILT_INS.privateLink,
    "A private endpoint in this stack connects to the account (advisory: this program reaches the account through its firewall).",
  ),
  enforcementLevel: "advisory",
  validateStack: (args, reportViolation) => {
    const accounts = args.resources.filter((r) => r.type === TYPES.account);
    if (args.resources.some((r) => r.type === TYPES.privateEndpoint)) return;
    for (const account of accounts) {
      reportViolation(
        `${account.name}: no private endpoint in this stack, so callers reach the account over its public endpoint; ` +
          "add a private endpoint, or disable this policy in the stack's policy config when one exists outside the stack",
        account.urn,
      );
    }
  },
};

export const customerManagedKey: ResourceValidationPolicy = {
  name: "cognitive-services-customer-managed-key",
  description: mirrors(
    BUILT_INS.customerManagedKey,
    "The account encrypts its data (training files, fine-tuned models) with a Key Vault key you own (advisory).",
  ),
  enforcementLevel: "advisory",
  validateResource: (args, reportViolation) => {
    if (args.type !== TYPES.account) return;
    const keySource = args.props.properties?.encryption?.keySource;
    if (keySource !== "Microsoft.KeyVault") {
      reportViolation(
        `properties.encryption.keySource is ${shown(keySource)}, so Microsoft-managed keys encrypt the training data and models; ` +
          'this program does not set up a Key Vault key: accept this advisory or add encryption with keySource "Microsoft.KeyVault"',
      );
    }
  },
};

export const AZURE_BUILT_IN_POLICIES = [
  keyAccessDisabled,
  restrictNetworkAccess,
  managedIdentity,
  privateLink,
  customerManagedKey,
];

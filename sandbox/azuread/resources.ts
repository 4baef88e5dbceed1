/**
 * The @pulumi/azuread 6.9.1 resource types this program can declare, as the provider
 * (terraform-provider-azuread v3, bridged) maps them to Microsoft Graph v1.0: the collection a
 * create posts to, the request body, the state it keeps (Pulumi id `/applications/{objectId}` and
 * so on) and which inputs force a new object ("Changing this field forces a new resource to be
 * created" in node_modules/@pulumi/azuread/*.d.ts).
 * Graph: https://learn.microsoft.com/graph/api/resources/application,
 * .../serviceprincipal, .../federatedidentitycredential.
 */
import { Props } from "../plugin/wire";

export interface GraphResourceType {
  /** Graph path a create POSTs to. */
  collection(inputs: Props): string;
  /** The Pulumi id of a created object. */
  id(inputs: Props, created: Props): string;
  /** Graph path of the object with this Pulumi id. */
  itemPath(id: string): string;
  /** Request body (create, and PATCH on update). */
  body(inputs: Props): Props;
  /** State outputs: the inputs and what Graph computed. */
  outputs(inputs: Props, graph: Props): Props;
  /** Outputs only Graph knows (unknown in a create preview). */
  readonly computed: readonly string[];
  readonly replaceOn: readonly string[];
}

/** Copies the listed keys that are set, renaming per `map` (SDK name → Graph name). */
function pick(inputs: Props, map: Record<string, string>): Props {
  const out: Props = {};
  for (const [sdk, graph] of Object.entries(map)) {
    if (inputs[sdk] !== undefined) out[graph] = inputs[sdk];
  }
  return out;
}

/** `/applications/{objectId}` (the azuread id form) → the object id. */
export function applicationObjectId(applicationId: unknown): string {
  const match = /^\/applications\/([^/]+)$/.exec(String(applicationId));
  if (!match) {
    throw new Error(
      `applicationId ${JSON.stringify(applicationId)} is not an application resource id (/applications/{objectId})`,
    );
  }
  return match[1];
}

export const GRAPH_TYPES: Readonly<Record<string, GraphResourceType>> = {
  "azuread:index/application:Application": {
    collection: () => "/applications",
    id: (_inputs, created) => `/applications/${created.id}`,
    itemPath: (id) => id,
    body: (inputs) =>
      pick(inputs, {
        displayName: "displayName",
        signInAudience: "signInAudience",
        description: "description",
        notes: "notes",
        tags: "tags",
        identifierUris: "identifierUris",
        serviceManagementReference: "serviceManagementReference",
      }),
    outputs: (inputs, graph) => ({
      ...inputs,
      signInAudience: graph.signInAudience ?? inputs.signInAudience,
      clientId: graph.appId,
      objectId: graph.id,
      publisherDomain: graph.publisherDomain ?? "",
      disabledByMicrosoft: graph.disabledByMicrosoftStatus ?? "",
      appRoleIds: {},
      logoUrl: "",
    }),
    computed: [
      "clientId",
      "objectId",
      "publisherDomain",
      "disabledByMicrosoft",
      "appRoleIds",
      "logoUrl",
    ],
    replaceOn: [],
  },
  "azuread:index/servicePrincipal:ServicePrincipal": {
    collection: () => "/servicePrincipals",
    id: (_inputs, created) => `/servicePrincipals/${created.id}`,
    itemPath: (id) => id,
    body: (inputs) =>
      pick(inputs, {
        clientId: "appId",
        accountEnabled: "accountEnabled",
        appRoleAssignmentRequired: "appRoleAssignmentRequired",
        description: "description",
        notes: "notes",
        tags: "tags",
      }),
    outputs: (inputs, graph) => ({
      ...inputs,
      objectId: graph.id,
      displayName: graph.displayName ?? "",
      applicationTenantId: graph.appOwnerOrganizationId ?? "",
      type: graph.servicePrincipalType ?? "Application",
      signInAudience: graph.signInAudience ?? "",
      servicePrincipalNames: graph.servicePrincipalNames ?? [],
      appRoles: [],
      appRoleIds: {},
      homepageUrl: graph.homepage ?? "",
      logoutUrl: graph.logoutUrl ?? "",
      redirectUris: graph.replyUrls ?? [],
      samlMetadataUrl: graph.samlMetadataUrl ?? "",
    }),
    computed: [
      "objectId",
      "displayName",
      "applicationTenantId",
      "type",
      "signInAudience",
      "servicePrincipalNames",
      "appRoles",
      "appRoleIds",
      "homepageUrl",
      "logoutUrl",
      "redirectUris",
      "samlMetadataUrl",
    ],
    replaceOn: ["clientId"],
  },
  "azuread:index/applicationFederatedIdentityCredential:ApplicationFederatedIdentityCredential": {
    collection: (inputs) =>
      `/applications/${applicationObjectId(inputs.applicationId)}/federatedIdentityCredentials`,
    id: (inputs, created) =>
      `/applications/${applicationObjectId(inputs.applicationId)}/federatedIdentityCredential/${created.id}`,
    itemPath: (id) => id.replace("/federatedIdentityCredential/", "/federatedIdentityCredentials/"),
    body: (inputs) =>
      pick(inputs, {
        displayName: "name",
        description: "description",
        audiences: "audiences",
        issuer: "issuer",
        subject: "subject",
      }),
    outputs: (inputs, graph) => ({ ...inputs, credentialId: graph.id }),
    computed: ["credentialId"],
    replaceOn: ["applicationId", "displayName"],
  },
};

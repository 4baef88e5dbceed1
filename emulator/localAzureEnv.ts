/**
 * The environment a client needs to use local Azure: ARM endpoint, the default account's data
 * plane and key, the managed-identity endpoint, ids, and the CA bundle under every name common
 * clients read (NODE_EXTRA_CA_CERTS: Node; REQUESTS_CA_BUNDLE: requests and azure-core;
 * SSL_CERT_FILE: OpenSSL and httpx, which the openai Python SDK uses).
 */
import { writeFileSync } from "node:fs";
import type { RunningLocalAzure } from "./localAzure";

/** Variables for `azure`, with the CA certificate at `caFile`. */
export function localAzureEnv(azure: RunningLocalAzure, caFile: string): Record<string, string> {
  return {
    AZURE_RESOURCE_MANAGER_ENDPOINT: azure.armEndpoint,
    ...(azure.defaultAccount
      ? {
          AZURE_OPENAI_ENDPOINT: azure.defaultAccount.endpoint,
          AZURE_OPENAI_API_KEY: azure.defaultAccount.apiKey,
          AZURE_OPENAI_ACCOUNT_ID: azure.defaultAccount.id,
        }
      : {}),
    IDENTITY_ENDPOINT: azure.identityEndpoint,
    IDENTITY_HEADER: azure.identityHeader,
    AZURE_CLIENT_ID: azure.identities[0].clientId,
    AZURE_SUBSCRIPTION_ID: azure.subscriptionId,
    AZURE_TENANT_ID: azure.tenantId,
    ARM_SUBSCRIPTION_ID: azure.subscriptionId,
    ARM_TENANT_ID: azure.tenantId,
    NODE_EXTRA_CA_CERTS: caFile,
    REQUESTS_CA_BUNDLE: caFile,
    SSL_CERT_FILE: caFile,
  };
}

/** `export KEY='value'` lines a POSIX shell can `source`. */
export function formatEnv(env: Readonly<Record<string, string>>): string {
  return Object.entries(env)
    .map(([key, value]) => `export ${key}='${value.replace(/'/g, `'\\''`)}'`)
    .join("\n")
    .concat("\n");
}

/** Writes the CA certificate to `caFile`. */
export function writeCa(azure: RunningLocalAzure, caFile: string): void {
  writeFileSync(caFile, azure.caPem, { mode: 0o644 });
}

/**
 * Starts local Azure for SDK tests: trusts its CA in this process (Node 24's
 * tls.setDefaultCACertificates, what NODE_EXTRA_CA_CERTS does for a new process) and points
 * @azure/identity's managed-identity credential at its token service.
 */
import { Account, CognitiveServicesManagementClient } from "@azure/arm-cognitiveservices";
import { ResourceManagementClient } from "@azure/arm-resources";
import { ManagedIdentityCredential } from "@azure/identity";
import tls from "node:tls";
import {
  LocalAzureOptions,
  RunningLocalAzure,
  startLocalAzure,
} from "../../../emulator/localAzure";

/** ARM client options every SDK client needs against the emulator. */
export interface ClientOptions {
  readonly endpoint: string;
  readonly credentialScopes: string[];
}

/** A started local Azure with a credential and client options. */
export interface SdkWorld {
  readonly azure: RunningLocalAzure;
  readonly credential: ManagedIdentityCredential;
  readonly clientOptions: ClientOptions;
  close(): Promise<void>;
}

let shared: Promise<SdkWorld> | undefined;

/**
 * The one local Azure of this test process, with an App Service managed-identity credential for
 * its first identity. One per process because MSAL keeps the managed-identity endpoint it detected
 * for the life of the process; specs use their own resource groups.
 */
export function startSdkWorld(): Promise<SdkWorld> {
  shared ??= startWorld({
    defaultAccount: false,
    operationMs: 20,
    dataPlane: { fileProcessingMs: 2, jobTiming: { queuedMs: 2, runningMs: 20, steps: 4 } },
  });
  return shared;
}

after(async () => {
  if (shared) {
    await (await shared).close();
    shared = undefined;
  }
});

async function startWorld(options: LocalAzureOptions): Promise<SdkWorld> {
  const azure = await startLocalAzure({ quiet: true, ...options });
  const defaults = tls.getCACertificates("default");
  tls.setDefaultCACertificates([...defaults, azure.caPem]);
  const saved = { endpoint: process.env.IDENTITY_ENDPOINT, header: process.env.IDENTITY_HEADER };
  process.env.IDENTITY_ENDPOINT = azure.identityEndpoint;
  process.env.IDENTITY_HEADER = azure.identityHeader;
  const credential = new ManagedIdentityCredential();
  return {
    azure,
    credential,
    clientOptions: {
      endpoint: azure.armEndpoint,
      credentialScopes: ["https://management.azure.com/.default"],
    },
    close: async () => {
      process.env.IDENTITY_ENDPOINT = saved.endpoint;
      process.env.IDENTITY_HEADER = saved.header;
      if (saved.endpoint === undefined) delete process.env.IDENTITY_ENDPOINT;
      if (saved.header === undefined) delete process.env.IDENTITY_HEADER;
      tls.setDefaultCACertificates(defaults);
      await azure.close();
    },
  };
}

/** The error a promise rejects with (fails when it resolves). */
export async function rejection(
  promise: Promise<unknown>,
): Promise<{ code?: string; statusCode?: number; message: string }> {
  try {
    await promise;
  } catch (err) {
    return err as { code?: string; statusCode?: number; message: string };
  }
  throw new Error("expected the call to fail, but it succeeded");
}

/** Fast LRO polling for SDK calls. */
export const POLL = { updateIntervalInMs: 10 };

/** A Cognitive Services client of the deployer, after creating `group` in swedencentral. */
export async function groupClient(
  world: SdkWorld,
  group: string,
): Promise<CognitiveServicesManagementClient> {
  const { credential, clientOptions, azure } = world;
  const rm = new ResourceManagementClient(credential, azure.subscriptionId, clientOptions);
  await rm.resourceGroups.createOrUpdate(group, { location: "swedencentral" });
  return new CognitiveServicesManagementClient(credential, azure.subscriptionId, clientOptions);
}

/** An OpenAI S0 account in swedencentral with `subdomain`. */
export function openAIAccount(subdomain: string): Account {
  return {
    location: "swedencentral",
    kind: "OpenAI",
    sku: { name: "S0" },
    properties: { customSubDomainName: subdomain },
  };
}

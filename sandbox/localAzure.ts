/**
 * Local Azure for the sandbox: the project's emulator (ARM, token service, per-account data
 * planes over HTTPS) started in this process with fixed ids, and the environment every client
 * started from here needs to reach it keylessly: the managed-identity endpoint for
 * DefaultAzureCredential, the ARM endpoint, and the CA to trust.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { ArmState } from "../emulator/arm/state";
import { startLocalAzure } from "../emulator/localAzure";

/** Ids that stay the same across sandbox runs (state and config name them). */
export const SANDBOX_IDS = {
  subscriptionId: "5b1c3e4a-0000-4000-8000-00000000a0f7",
  tenantId: "7a0e2d51-0000-4000-8000-00000000a0f7",
  deployer: {
    objectId: "3f9d6c2e-0000-4000-8000-00000000a0f7",
    clientId: "c1a4b7e0-0000-4000-8000-00000000a0f7",
    displayName: "sandbox-deployer",
  },
} as const;

/** A started local Azure. */
export interface SandboxAzure {
  /** Environment for the Pulumi CLI and everything it starts. */
  readonly env: Record<string, string>;
  /** ARM requests so far, `METHOD path status`, oldest first. */
  readonly armRequests: readonly string[];
  /** Data-plane requests so far (every account), `METHOD path status`, oldest first. */
  readonly dataPlaneRequests: readonly string[];
  /** Microsoft Graph requests so far, `METHOD path status`, oldest first. */
  readonly graphRequests: readonly string[];
  /** ARM's endpoint, which also serves the admin API (`/_emulator/arm/...`) and Graph. */
  readonly endpoint: string;
  /** The CA certificate local Azure's HTTPS endpoints use (PEM). */
  readonly caPem: string;
  /** Local Azure's ARM state (resource groups, accounts, role assignments, …). */
  readonly arm: ArmState;
  /** True when local Azure kept its state from the previous run. */
  readonly persistent: boolean;
  close(): Promise<void>;
}

/**
 * Starts local Azure; writes its CA certificate to `dir/ca.pem` for NODE_EXTRA_CA_CERTS (read by
 * Node at start, so it reaches the CLI's Node children, not this process).
 */
export async function startSandboxAzure(
  dir: string,
  log: (line: string) => void,
): Promise<SandboxAzure> {
  const armRequests: string[] = [];
  const dataPlaneRequests: string[] = [];
  const graphRequests: string[] = [];
  // One line per request: `local-azure: ` (ARM), `local-graph: ` (Graph), `emulator: ` (a data
  // plane, with the query string, dropped here).
  const lines: [RegExp, string[]][] = [
    [/^local-azure: ([A-Z]+ \S+ \d{3})$/, armRequests],
    [/^local-graph: ([A-Z]+ \S+ \d{3})$/, graphRequests],
    [/^emulator: ([A-Z]+ [^ ?]+)(?:\?\S*)? (\d{3})$/, dataPlaneRequests],
  ];
  const verbose = Boolean(process.env.SANDBOX_VERBOSE);
  const azure = await startLocalAzure({
    subscriptionId: SANDBOX_IDS.subscriptionId,
    tenantId: SANDBOX_IDS.tenantId,
    identities: [SANDBOX_IDS.deployer],
    defaultAccount: false,
    operationMs: 100,
    dataPlane: {
      fileProcessingMs: 100,
      jobTiming: { queuedMs: 200, runningMs: 1500, steps: 5 },
    },
    quiet: false,
    log: (line) => {
      for (const [pattern, list] of lines) {
        const match = pattern.exec(line);
        if (match) list.push(match.slice(1).join(" "));
      }
      if (verbose) log(line);
    },
  });
  const caFile = path.join(dir, "local-azure-ca.pem");
  fs.writeFileSync(caFile, azure.caPem);
  const env: Record<string, string> = {
    AZURE_RESOURCE_MANAGER_ENDPOINT: azure.armEndpoint,
    // Microsoft Graph for the azuread simulator (sandbox/azuread/provider.ts).
    AZURE_GRAPH_ENDPOINT: azure.graphEndpoint,
    IDENTITY_ENDPOINT: azure.identityEndpoint,
    IDENTITY_HEADER: azure.identityHeader,
    NODE_EXTRA_CA_CERTS: caFile,
    AZURE_SUBSCRIPTION_ID: azure.subscriptionId,
    AZURE_TENANT_ID: azure.tenantId,
    // The purge waits for the soft-deleted record between polls; local Azure records it at once.
    AZURE_PURGE_POLL_MS: "200",
    // Its jobs train in about 2 s; the provider would otherwise poll a running job every 60 s.
    AZURE_OPENAI_JOB_POLL_MS: "500",
  };
  return {
    env,
    armRequests,
    dataPlaneRequests,
    graphRequests,
    endpoint: azure.armEndpoint,
    caPem: azure.caPem,
    arm: azure.context.state,
    persistent: false,
    close: () => azure.close(),
  };
}

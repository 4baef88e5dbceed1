/**
 * Builds the openai SDK's `AzureOpenAI` client for one account endpoint. Called inside each
 * dynamic-provider method: the provider is serialized into state and run later by the Pulumi
 * engine, so clients, modules and credentials are created at call time, never captured.
 */
import type { TokenCredential } from "@azure/identity";
import type { AzureOpenAI } from "openai";
import { resolveApiVersion } from "./apiVersion";

/**
 * OAuth scope of Azure OpenAI data-plane tokens (openai/openai-node `docs/azure.md`;
 * https://learn.microsoft.com/en-us/azure/ai-services/openai/how-to/managed-identity).
 */
export const COGNITIVE_SERVICES_SCOPE = "https://cognitiveservices.azure.com/.default";

/** Options of `createAzureOpenAI`. */
export interface AzureClientOptions {
  /** Dated data-plane API version; default `DEFAULT_API_VERSION`. */
  readonly apiVersion?: string;
  /** Receives one line saying which authentication is used. */
  readonly log?: (line: string) => void;
  /**
   * Entra credential to use instead of `DefaultAzureCredential` (tests, or a program that already
   * holds one). Ignored when `AZURE_OPENAI_API_KEY` is set.
   */
  readonly credential?: TokenCredential;
}

/**
 * Returns an `AzureOpenAI` client for `endpoint` with the SDK's own retries off (`withRetries`
 * owns the retry policy). Authentication: the API key in env `AZURE_OPENAI_API_KEY` if set, read
 * now (never stored in state); otherwise a Microsoft Entra token from `DefaultAzureCredential`
 * (Azure CLI login, managed identity, workload identity / GitHub OIDC, ...).
 * @param endpoint Account endpoint, e.g. `https://my-account.openai.azure.com/`.
 */
export async function createAzureOpenAI(
  endpoint: string,
  opts: AzureClientOptions = {},
): Promise<AzureOpenAI> {
  const { AzureOpenAI: Client, OpenAIError } = require("openai") as typeof import("openai");
  // baseURL is passed explicitly so OPENAI_BASE_URL / AZURE_OPENAI_ENDPOINT in the environment
  // cannot redirect the calls elsewhere.
  const common = {
    baseURL: `${normalizeEndpoint(endpoint)}/openai`,
    apiVersion: resolveApiVersion(opts.apiVersion),
    maxRetries: 0,
  };
  const apiKey = process.env.AZURE_OPENAI_API_KEY;
  if (apiKey !== undefined && apiKey !== "") {
    opts.log?.("authenticating with the API key in AZURE_OPENAI_API_KEY");
    return new Client({ ...common, apiKey });
  }
  const identity = require("@azure/identity") as typeof import("@azure/identity");
  const credential = opts.credential ?? new identity.DefaultAzureCredential();
  const getToken = identity.getBearerTokenProvider(credential, COGNITIVE_SERVICES_SCOPE);
  opts.log?.("authenticating with Microsoft Entra ID (DefaultAzureCredential)");
  const azureADTokenProvider = async (): Promise<string> => {
    try {
      return await getToken();
    } catch (err) {
      // An OpenAIError passes through the SDK unwrapped, so the user sees this text as is.
      throw new OpenAIError(
        `could not get a Microsoft Entra token for ${COGNITIVE_SERVICES_SCOPE} (${(err as Error).message.replace(/\.+$/, "")}); ` +
          "sign in (`az login`, or azure/login with OIDC in CI), or set AZURE_OPENAI_API_KEY",
      );
    }
  };
  return new Client({ ...common, azureADTokenProvider });
}

/**
 * Checks an account endpoint and strips trailing slashes, or throws naming the input and the fix.
 * @param endpoint Account endpoint, e.g. `https://my-account.openai.azure.com/`.
 */
export function normalizeEndpoint(endpoint: string): string {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw new Error(
      `\`endpoint\` "${endpoint}" is not a URL; use the account endpoint, e.g. https://<account>.openai.azure.com/`,
    );
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new Error(
      `\`endpoint\` "${endpoint}" must be an https:// URL, e.g. https://<account>.openai.azure.com/`,
    );
  }
  if (url.search !== "" || url.hash !== "") {
    throw new Error(
      `\`endpoint\` "${endpoint}" must not carry a query or fragment; use the account endpoint only`,
    );
  }
  return endpoint.replace(/\/+$/, "");
}

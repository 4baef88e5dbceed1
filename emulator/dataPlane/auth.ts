/**
 * Data-plane authentication as Azure checks it: an `api-key` header equal to the resource key on
 * every surface, or `Authorization: Bearer <token>` with a Microsoft Entra token issued for the
 * Cognitive Services audience. The emulator cannot check real Entra tokens, so bearer tokens go to
 * a pluggable `verifyBearer` (the emulator's own token service plugs in there); without one every
 * bearer is refused unless `acceptBearer` allows any. The key sent as a bearer passes only on the
 * v1 surface, where Microsoft documents the plain OpenAI client with the resource key
 * (https://learn.microsoft.com/azure/ai-foundry/openai/api-version-lifecycle: "OpenAI client
 * support ... when using key-based authentication"; the OpenAI client sends `Authorization: Bearer`).
 */
import { AzureError } from "../errors";

/** Observed 401 body for a wrong or missing key (MicrosoftDocs/azure-docs#114602 and many threads). */
export const INVALID_KEY_MESSAGE =
  "Access denied due to invalid subscription key or wrong API endpoint. Make sure to provide a valid key for an active subscription and use a correct regional API endpoint for your resource.";

/** Observed 401 body for an unusable bearer token (microsoft/teams-sdk#1746). */
export const INVALID_TOKEN_MESSAGE =
  "Unauthorized. Access token is missing, invalid, audience is incorrect (https://cognitiveservices.azure.com), or have expired.";

/**
 * Token audiences Azure accepts on the data plane: Cognitive Services, and the AI Foundry audience
 * openai-node documents for the v1 API (`getBearerTokenProvider(credential,
 * "https://ai.azure.com/.default")`).
 */
export const DATA_PLANE_AUDIENCES: readonly string[] = [
  "https://cognitiveservices.azure.com",
  "https://ai.azure.com",
];

/** What a bearer verifier found out about one token. */
export interface BearerVerdict {
  /** True when the token is genuine (signed by the token service) and unexpired. */
  readonly ok: boolean;
  /** The token's `aud` claim, when it could be read. */
  readonly audience?: string;
}

/** Checks one bearer token; plugged into the server by the token service. */
export type BearerVerifier = (token: string) => BearerVerdict;

/** Settings the check needs. */
export interface AuthSettings {
  /** The resource key `api-key` must equal. */
  readonly apiKey: string;
  /** Accept any bearer token without checking it (explicit opt-in for tests and local tools). */
  readonly acceptBearer: boolean;
  /** Verifies bearer tokens (signature, expiry, audience claim); none means no token is genuine. */
  readonly verifyBearer?: BearerVerifier;
}

/** True when the verdict is a genuine, unexpired token for a data-plane audience. */
export function audienceAccepted(verdict: BearerVerdict): boolean {
  const audience = verdict.audience?.replace(/\/+$/, "");
  return verdict.ok && audience !== undefined && DATA_PLANE_AUDIENCES.includes(audience);
}

/**
 * Returns the 401 to answer with, or undefined when the request is authenticated.
 * @param v1 True for a request on the v1 surface (`/openai/v1/...`).
 */
export function checkAuth(
  headers: Readonly<Record<string, string | string[] | undefined>>,
  settings: AuthSettings,
  v1: boolean,
): AzureError | undefined {
  const key = headers["api-key"];
  if (key !== undefined) {
    return key === settings.apiKey ? undefined : unauthorized(INVALID_KEY_MESSAGE);
  }
  const authorization = headers["authorization"];
  const bearer =
    typeof authorization === "string" ? /^Bearer\s+(\S+)\s*$/i.exec(authorization) : null;
  if (!bearer) {
    return unauthorized(INVALID_KEY_MESSAGE);
  }
  const token = bearer[1];
  if (token === settings.apiKey) {
    return v1 ? undefined : unauthorized(INVALID_TOKEN_MESSAGE);
  }
  if (settings.verifyBearer && audienceAccepted(settings.verifyBearer(token))) {
    return undefined;
  }
  return settings.acceptBearer ? undefined : unauthorized(INVALID_TOKEN_MESSAGE);
}

function unauthorized(message: string): AzureError {
  return message === INVALID_TOKEN_MESSAGE
    ? new AzureError(401, "401", message, null, "token")
    : new AzureError(401, "401", message, null, "gateway");
}

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
 * What a request presents, by the rules both data planes share (the single emulator's `checkAuth`
 * and each ARM-created account's guard in arm/dataPlaneAccess.ts): an `api-key` header is a key on
 * every surface; `Authorization: Bearer <one of keys>` is a key on v1 only and an unusable token
 * elsewhere; any other bearer is a token to verify; anything else is no credential.
 */
export type PresentedCredential =
  | { readonly kind: "key"; readonly key: string }
  | { readonly kind: "keyAsBearerOffV1" }
  | { readonly kind: "bearer"; readonly token: string }
  | { readonly kind: "none" };

/** Reads the credential of a request (see `PresentedCredential`). */
export function presentedCredential(
  headers: Readonly<Record<string, string | string[] | undefined>>,
  keys: readonly string[],
  v1: boolean,
): PresentedCredential {
  const key = headers["api-key"];
  if (key !== undefined) {
    return { kind: "key", key: [key].flat().join(",") };
  }
  const authorization = headers["authorization"];
  const bearer =
    typeof authorization === "string" ? /^Bearer\s+(\S+)\s*$/i.exec(authorization)?.[1] : undefined;
  if (bearer === undefined) {
    return { kind: "none" };
  }
  if (keys.includes(bearer)) {
    return v1 ? { kind: "key", key: bearer } : { kind: "keyAsBearerOffV1" };
  }
  return { kind: "bearer", token: bearer };
}

/** Azure's 401 for a wrong or missing key (gateway shape). */
export function invalidKey(): AzureError {
  return new AzureError(401, "401", INVALID_KEY_MESSAGE, null, "gateway");
}

/** Azure's 401 for an unusable bearer token (token shape). */
export function invalidToken(): AzureError {
  return new AzureError(401, "401", INVALID_TOKEN_MESSAGE, null, "token");
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
  const presented = presentedCredential(headers, [settings.apiKey], v1);
  switch (presented.kind) {
    case "key":
      return presented.key === settings.apiKey ? undefined : invalidKey();
    case "none":
      return invalidKey();
    case "keyAsBearerOffV1":
      return invalidToken();
    case "bearer":
      if (settings.verifyBearer && audienceAccepted(settings.verifyBearer(presented.token))) {
        return undefined;
      }
      return settings.acceptBearer ? undefined : invalidToken();
  }
}

/**
 * Data-plane authentication as Azure checks it (facts §1.5, §1.6): an `api-key` header equal to
 * the resource key, or `Authorization: Bearer <token>`. The emulator cannot verify Entra tokens, so
 * with `acceptBearer` any bearer token passes; a bearer equal to the key always passes (the v1
 * surface's `ApiKeyAuth_` scheme, which the plain OpenAI client uses).
 */
import { AzureError } from "../errors";

/** Observed 401 body for a wrong or missing key (facts §1.5, T4). */
export const INVALID_KEY_MESSAGE =
  "Access denied due to invalid subscription key or wrong API endpoint. Make sure to provide a valid key for an active subscription and use a correct regional API endpoint for your resource.";

/** Observed 401 body for an unusable Entra token (facts §1.5, D20). */
export const INVALID_TOKEN_MESSAGE =
  "Unauthorized. Access token is missing, invalid, audience is incorrect (https://cognitiveservices.azure.com), or have expired.";

/** Settings the check needs. */
export interface AuthSettings {
  /** The resource key `api-key` must equal. */
  readonly apiKey: string;
  /** Accept any `Authorization: Bearer` token. */
  readonly acceptBearer: boolean;
}

/** Returns the 401 to answer with, or undefined when the request is authenticated. */
export function checkAuth(
  headers: Readonly<Record<string, string | string[] | undefined>>,
  settings: AuthSettings,
): AzureError | undefined {
  const key = headers["api-key"];
  if (typeof key === "string") {
    return key === settings.apiKey ? undefined : unauthorized(INVALID_KEY_MESSAGE);
  }
  const authorization = headers["authorization"];
  const bearer =
    typeof authorization === "string" ? /^Bearer\s+(\S+)\s*$/i.exec(authorization) : null;
  if (bearer) {
    if (bearer[1] === settings.apiKey || settings.acceptBearer) {
      return undefined;
    }
    return unauthorized(INVALID_TOKEN_MESSAGE);
  }
  return unauthorized(INVALID_KEY_MESSAGE);
}

function unauthorized(message: string): AzureError {
  return new AzureError(401, "401", message, null, "gateway");
}

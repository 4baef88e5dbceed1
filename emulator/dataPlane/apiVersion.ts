/**
 * The two data-plane surfaces (facts §0.1): the dated API `/openai/{path}?api-version=YYYY-MM-DD[-preview]`
 * and the v1 API `/openai/v1/{path}` whose `api-version` is optional (`v1` | `preview`).
 */
import { AzureError } from "../errors";

/** Dated api-versions the emulator serves. Fine-tuning exists on all of them (facts §1.1). */
export const DATED_API_VERSIONS: readonly string[] = [
  "2024-02-01",
  "2024-06-01",
  "2024-10-21",
  "2024-05-01-preview",
  "2024-07-01-preview",
  "2024-08-01-preview",
  "2024-09-01-preview",
  "2024-10-01-preview",
  "2024-12-01-preview",
  "2025-01-01-preview",
  "2025-02-01-preview",
  "2025-03-01-preview",
  "2025-04-01-preview",
];

/** `api-version` values the v1 surface accepts; a missing value means `v1`. */
export const V1_API_VERSIONS: readonly string[] = ["v1", "preview"];

/** The surface and api-version one request was made with. */
export interface Surface {
  /** `dated` for `/openai/...?api-version=`, `v1` for `/openai/v1/...`. */
  readonly kind: "dated" | "v1";
  /** The api-version in force (`v1` when omitted on the v1 surface). */
  readonly apiVersion: string;
  /** True on `-preview` dated versions and on the v1 surface (which defines pause/resume). */
  readonly preview: boolean;
}

/** True when the path belongs to the v1 surface. */
export function isV1Path(path: string): boolean {
  return path === "/openai/v1" || path.startsWith("/openai/v1/");
}

/**
 * Works out the surface of a `/openai/...` request, or the gateway error Azure answers with.
 * Missing `api-version` on the dated surface: 400 "Missing required query parameter: api-version"
 * (observed on Foundry endpoints, Azure/azure-dev#8499; older classic endpoints answered 404).
 * Unknown version: 400 "API version not supported" (observed, e.g. hotovo/aider-desk#460).
 */
export function resolveSurface(path: string, apiVersion: string | undefined): Surface | AzureError {
  if (isV1Path(path)) {
    const version = apiVersion ?? "v1";
    if (!V1_API_VERSIONS.includes(version)) {
      return unsupported();
    }
    return { kind: "v1", apiVersion: version, preview: true };
  }
  if (apiVersion === undefined || apiVersion === "") {
    return new AzureError(
      400,
      "BadRequest",
      "Missing required query parameter: api-version",
      null,
      "gateway",
    );
  }
  if (!DATED_API_VERSIONS.includes(apiVersion)) {
    return unsupported();
  }
  return { kind: "dated", apiVersion, preview: apiVersion.endsWith("-preview") };
}

function unsupported(): AzureError {
  return new AzureError(400, "BadRequest", "API version not supported", null, "gateway");
}

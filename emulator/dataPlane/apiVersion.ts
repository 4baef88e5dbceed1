/**
 * The data-plane surfaces: the dated API `/openai/{path}?api-version=YYYY-MM-DD[-preview]` and the
 * v1 API `/openai/v1/{path}` whose `api-version` is optional (`v1` | `preview`). Azure versions
 * the dated API per surface: inference (chat, completions, embeddings on
 * `/openai/deployments/{name}/...`) and authoring (files, uploads, fine-tuning, models) each have
 * their own folders in Azure/azure-rest-api-specs
 * `specification/cognitiveservices/data-plane/AzureOpenAI/{inference,authoring}/{stable,preview}`.
 */
import { AzureError } from "../errors";

/** GA versions with both an `authoring/stable` and an `inference/stable` folder. */
const SHARED_GA = ["2024-02-01", "2024-06-01", "2024-10-21"];

/** Previews with both an `authoring/preview` folder defining `/fine_tuning/jobs` and an inference one. */
const SHARED_PREVIEWS = [
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

/**
 * Authoring api-versions: the `authoring/stable` folders and the `authoring/preview` folders that
 * define `/fine_tuning/jobs` and are not retired.
 */
export const AUTHORING_API_VERSIONS: readonly string[] = [...SHARED_GA, ...SHARED_PREVIEWS];

/**
 * Inference api-versions: every folder of Azure/azure-rest-api-specs
 * `specification/cognitiveservices/data-plane/AzureOpenAI/inference/stable` from 2023-05-15 on
 * and `.../inference/preview` from 2023-06-01-preview on (listed from `inference/readme.md` @
 * 0d206cf89e1d3594a3ab9019b28b310ca5cf14b2 and the folders `preview/2024-12-01-preview` @
 * 7ee08af0efef13b8dff475453cf2f5cf76a68d65 … `preview/2025-04-01-preview` @
 * 3c15407b158253b5c68aae9e2df5b6c73c3ab840), minus the previews Microsoft retired on
 * 2024-07-01 ("will stop accepting API requests": 2023-03-15, 2023-07-01, 2023-08-01,
 * 2023-09-01, 2023-12-01; https://learn.microsoft.com/azure/ai-services/openai/api-version-deprecation).
 * GA versions are not retired, so 2023-05-15 (which the openai Python samples still use) works.
 */
export const INFERENCE_API_VERSIONS: readonly string[] = [
  "2023-05-15",
  ...SHARED_GA,
  "2023-06-01-preview",
  "2023-10-01-preview",
  "2023-11-01-preview",
  "2024-02-15-preview",
  "2024-03-01-preview",
  "2024-04-01-preview",
  ...SHARED_PREVIEWS,
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

/** True for the dated inference paths `/openai/deployments/{deployment-id}/...`. */
export function isInferencePath(path: string): boolean {
  return path.startsWith("/openai/deployments/");
}

/**
 * Works out the surface of a `/openai/...` request, or the gateway error Azure answers with.
 * Missing `api-version` on the dated surface: 400 "Missing required query parameter: api-version"
 * (observed on Foundry endpoints, Azure/azure-dev#8499; older classic endpoints answered 404).
 * Unknown version: 400 "API version not supported" (observed, e.g. hotovo/aider-desk#460). A
 * repeated `api-version` is not one supported version either, so it gets the same 400.
 * @param apiVersion The query value: a string, an array when repeated, undefined when absent.
 */
export function resolveSurface(path: string, apiVersion: unknown): Surface | AzureError {
  if (Array.isArray(apiVersion)) {
    return unsupported();
  }
  const version = typeof apiVersion === "string" ? apiVersion : undefined;
  if (isV1Path(path)) {
    const v1 = version ?? "v1";
    if (!V1_API_VERSIONS.includes(v1)) {
      return unsupported();
    }
    return { kind: "v1", apiVersion: v1, preview: true };
  }
  if (version === undefined || version === "") {
    return new AzureError(
      400,
      "BadRequest",
      "Missing required query parameter: api-version",
      null,
      "gateway",
    );
  }
  const supported = isInferencePath(path) ? INFERENCE_API_VERSIONS : AUTHORING_API_VERSIONS;
  if (!supported.includes(version)) {
    return unsupported();
  }
  return { kind: "dated", apiVersion: version, preview: version.endsWith("-preview") };
}

function unsupported(): AzureError {
  return new AzureError(400, "BadRequest", "API version not supported", null, "gateway");
}

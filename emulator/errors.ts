/**
 * Azure-shaped errors. Handlers throw `AzureError`; the server's error handler turns it into the
 * body the real service sends on the surface that was called (Azure/azure-rest-api-specs specification/cognitiveservices/data-plane/AzureOpenAI/authoring/stable/2024-10-21/azureopenai.json @ 3ecc2097 `ErrorResponse`; Azure/azure-rest-api-specs specification/ai/data-plane/OpenAI.v1/azure-v1-v1-generated.yaml @ 2d621d46 `AzureErrorResponse`).
 */

import { formatBytes } from "../lib/format";

/** Which part of Azure produced an error, which decides the body shape. */
export type ErrorOrigin =
  /** The API gateway (APIM): auth, routing, api-version, throttling. Always `{error:{code,message}}`. */
  | "gateway"
  /** The fine-tuning service: dated API `ErrorResponse`, v1 `AzureErrorResponse` with `param` and `type`. */
  | "service"
  /** The gateway's bearer-token check: `{statusCode, message}` (microsoft/teams-sdk#1746). */
  | "token"
  /**
   * The model behind an inference deployment: OpenAI's `{error:{message,type,param,code}}`, as
   * Azure passes it through (e.g. openinterpreter/openinterpreter#1570).
   */
  | "inference";

/** An error the emulator answers with, in Azure's `{error:{code,message,...}}` shape. */
export class AzureError extends Error {
  /**
   * @param status HTTP status code.
   * @param code Azure error code (`invalidPayload`, `notFound`, `401`, ...).
   * @param message Message as Azure words it, or the emulator's wording where Azure's is unknown.
   * @param param The request field the error is about, if any (v1 `param`, dated `target`).
   * @param origin Gateway errors keep the minimal body on every surface.
   * @param headers Extra response headers (`Retry-After`, ...).
   */
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly param: string | null = null,
    readonly origin: ErrorOrigin = "service",
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.name = "AzureError";
  }
}

/** Renders an error's JSON body for the surface that was called. */
export function errorBody(err: AzureError, surface: "dated" | "v1"): Record<string, unknown> {
  if (err.origin === "token") {
    return { statusCode: err.status, message: err.message };
  }
  if (err.origin === "inference") {
    return {
      error: {
        message: err.message,
        type: "invalid_request_error",
        param: err.param,
        code: err.code === "" ? null : err.code,
      },
    };
  }
  if (err.origin === "gateway") {
    return { error: { code: err.code, message: err.message } };
  }
  if (surface === "v1") {
    // v1 `AzureErrorResponse` (Azure/azure-rest-api-specs specification/ai/data-plane/OpenAI.v1/azure-v1-v1-generated.yaml @ 2d621d46): param and type are always present.
    return { error: { code: err.code, message: err.message, param: err.param, type: "error" } };
  }
  return {
    error: err.param
      ? { code: err.code, message: err.message, target: err.param }
      : { code: err.code, message: err.message },
  };
}

/** 404 for a path the service does not serve (observed body; https://github.com/MicrosoftDocs/azure-docs/issues/114602). */
export function routeNotFound(): AzureError {
  return new AzureError(404, "404", "Resource not found", null, "gateway");
}

/** 400 `invalidPayload`, the code Azure uses for request validation failures. */
export function invalidPayload(message: string, param: string | null = null): AzureError {
  return new AzureError(400, "invalidPayload", message, param);
}

/** 404 `notFound` for an unknown entity id. */
export function notFound(message: string): AzureError {
  return new AzureError(404, "notFound", message);
}

/** 400 `quotaExceeded` (observed body shape: azure-sdk-for-java#47401). */
export function quotaExceeded(message: string): AzureError {
  return new AzureError(400, "quotaExceeded", message);
}

/** 400 `unexpectedEntityState` for an operation the entity's current status does not allow. */
export function unexpectedEntityState(message: string): AzureError {
  return new AzureError(400, "unexpectedEntityState", message);
}

/** 409 `conflict`. */
export function conflict(message: string): AzureError {
  return new AzureError(409, "conflict", message);
}

/** 400 for a file over the size limit (emulator wording; Azure's is unknown). */
export function fileTooLarge(maxBytes: number): AzureError {
  return invalidPayload(
    `The file exceeds the maximum size of ${formatBytes(maxBytes)} (${maxBytes} bytes). ` +
      "Split the data or use the Uploads API (/openai/uploads) for larger files.",
    "file",
  );
}

/**
 * Errors shown to the user when an Azure OpenAI call fails: they name the operation, the HTTP
 * status, Azure's error code and message, so a failed `pulumi up` says what to fix.
 */

/** A failed Azure OpenAI request, after retries. */
export interface AzureRequestError extends Error {
  readonly name: "AzureRequestError";
  /** What was being done, e.g. "upload training file". */
  readonly operation: string;
  /** HTTP status, undefined when no response came back. */
  readonly status: number | undefined;
  /** Azure's error code (`invalidPayload`, `notFound`, ...), or the network error code. */
  readonly code: string | undefined;
  /** Azure's error message. */
  readonly detail: string;
  /** `apim-request-id` of the failed response, for support tickets. */
  readonly requestId: string | undefined;
}

/**
 * Builds an `AzureRequestError`. A factory rather than a subclass of Error: closure
 * serialization rewrites `super(message)` into `Error.call(this, message)`, which sets no message,
 * so a subclass thrown from a serialized dynamic provider would reach the user without its text.
 */
export function azureRequestError(
  operation: string,
  status: number | undefined,
  code: string | undefined,
  detail: string,
  requestId?: string,
): AzureRequestError {
  return Object.assign(new Error(formatMessage(operation, status, code, detail)), {
    name: "AzureRequestError" as const,
    operation,
    status,
    code,
    detail,
    requestId,
  });
}

/** True for errors built by `azureRequestError`. */
export function isAzureRequestError(err: unknown): err is AzureRequestError {
  return err instanceof Error && err.name === "AzureRequestError";
}

function formatMessage(
  operation: string,
  status: number | undefined,
  code: string | undefined,
  detail: string,
): string {
  if (status === undefined) {
    return code === undefined
      ? `${operation} failed: ${detail}`
      : `${operation} failed: connection error (${code}): ${detail}`;
  }
  const codePart = code !== undefined && code !== "" && code !== String(status) ? ` ${code}` : "";
  return `${operation} failed: ${status}${codePart}: ${detail}${hint(status, detail)}`;
}

function hint(status: number | undefined, detail: string): string {
  if (status === 401) {
    return (
      " (check AZURE_OPENAI_API_KEY, or that the signed-in identity holds Cognitive Services OpenAI " +
      "Contributor on the account; new role assignments take up to 5 minutes)"
    );
  }
  if (status === 403 && FIREWALL_REFUSAL.test(detail)) {
    return (
      " (the account's firewall refused this caller's address, which no role can fix: run `pulumi up` " +
      "from an address inside the stack's `allowedIpRanges` (config azure-openai-finetune:allowedIpRanges), " +
      "e.g. the self-hosted runner whose egress range is listed there, or add this machine's range to it)"
    );
  }
  if (status === 403) {
    return " (the account's network rules or its role assignments refuse this caller)";
  }
  return "";
}

/**
 * Messages of Azure's 403 from an account's network rules, as users saw them on live Azure:
 * "Access denied due to Virtual Network/Firewall rules." with header `policy-id:
 * ThrowExceptionDueToTrafficDenied` (Azure-Samples/azure-sql-db-chatbot#3); "A Virtual Network is
 * configured for this resource. Please use the correct endpoint for making requests."
 * (continuedev/continue#12547); "Public access is disabled. Please configure private endpoint."
 * (TabularEditor/TabularEditor3#1557). Microsoft publishes no list, so an unrecognised 403 is
 * still treated as a role assignment that has not applied yet (both answers work).
 */
const FIREWALL_REFUSAL =
  /Virtual Network\/Firewall rules|A Virtual Network is configured for this resource|Public access is disabled/i;

/** True for a 403 from the account's firewall (network rules), as opposed to RBAC. */
export function isFirewallRefusal(err: unknown): boolean {
  const facts = errorFacts(err);
  return (
    facts.status === 403 &&
    (facts.headers?.get("policy-id") === "ThrowExceptionDueToTrafficDenied" ||
      FIREWALL_REFUSAL.test(facts.message))
  );
}

/** What a thrown SDK or fetch error says, reduced to plain fields. */
export interface ErrorFacts {
  readonly status: number | undefined;
  readonly code: string | undefined;
  readonly message: string;
  readonly headers: { get(name: string): string | null } | undefined;
  /** Low-level network error code (`ECONNRESET`, `UND_ERR_SOCKET`, ...) found in the cause chain. */
  readonly networkCode: string | undefined;
}

/** Extracts status, Azure code and message from an openai SDK error (or any error). */
export function errorFacts(err: unknown): ErrorFacts {
  const e = (err ?? {}) as {
    status?: unknown;
    error?: { code?: unknown; message?: unknown };
    code?: unknown;
    message?: unknown;
    headers?: { get(name: string): string | null };
  };
  const status = typeof e.status === "number" ? e.status : undefined;
  const body = e.error && typeof e.error === "object" ? e.error : undefined;
  const rawCode = body?.code ?? (status !== undefined ? e.code : undefined);
  const code = rawCode === undefined || rawCode === null ? undefined : String(rawCode);
  let message: string;
  if (typeof body?.message === "string" && body.message !== "") {
    message = body.message;
  } else if (typeof e.message === "string" && e.message !== "") {
    // The SDK prefixes its message with the status ("400 ..."); the status is reported separately.
    message =
      status !== undefined ? e.message.replace(new RegExp(`^${status}\\s+`), "") : e.message;
  } else {
    message = String(err);
  }
  const headers = e.headers && typeof e.headers.get === "function" ? e.headers : undefined;
  return { status, code, message, headers, networkCode: networkCode(err) };
}

/** Message of the innermost error in the cause chain ("other side closed" under "fetch failed"). */
function rootMessage(err: unknown): string | undefined {
  let message: string | undefined;
  let current: unknown = err;
  for (let depth = 0; depth < 6 && current && typeof current === "object"; depth++) {
    const m = (current as { message?: unknown }).message;
    if (typeof m === "string" && m !== "") {
      message = m;
    }
    current = (current as { cause?: unknown }).cause;
  }
  return message;
}

function networkCode(err: unknown): string | undefined {
  let current: unknown = err;
  for (let depth = 0; depth < 6 && current && typeof current === "object"; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string" && /^(E[A-Z_]+|UND_ERR_[A-Z_]+)$/.test(code)) {
      return code;
    }
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/** Wraps any error from an Azure call into an `AzureRequestError` naming the operation. */
export function toAzureRequestError(operation: string, err: unknown): AzureRequestError {
  if (isAzureRequestError(err)) {
    return err;
  }
  const facts = errorFacts(err);
  if (facts.status === undefined) {
    return azureRequestError(
      operation,
      undefined,
      facts.networkCode,
      rootMessage(err) ?? facts.message,
    );
  }
  return azureRequestError(
    operation,
    facts.status,
    facts.code,
    facts.message,
    facts.headers?.get("apim-request-id") ?? facts.headers?.get("x-request-id") ?? undefined,
  );
}

/** True when the error is an HTTP 404 (the entity does not exist). */
export function isNotFound(err: unknown): boolean {
  return errorFacts(err).status === 404;
}

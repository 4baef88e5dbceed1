/**
 * HTTPS calls to (local) Azure as the real providers make them: a bearer token from
 * `DefaultAzureCredential` for the API's audience (keyless: in the sandbox the managed-identity
 * endpoint of local Azure issues it), JSON bodies, Azure's long-running-operation protocol, and
 * errors worded like azure-sdk-for-go's `ResponseError`, which azure-native prints
 * (https://github.com/Azure/azure-sdk-for-go/blob/sdk/azcore/v1.17.0/sdk/azcore/internal/exported/response_error.go).
 */
import type { TokenCredential } from "@azure/identity";
import { isObject, Props } from "../plugin/wire";

/** Token audiences: always the public cloud's, whichever host serves the API. */
export const AUDIENCE = {
  arm: "https://management.azure.com",
  graph: "https://graph.microsoft.com",
} as const;

export type Audience = (typeof AUDIENCE)[keyof typeof AUDIENCE];

/** One HTTP answer with its JSON body (undefined when empty or not JSON). */
export interface RestResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly body: Props | undefined;
}

/** A non-success answer, printed the way azure-sdk-for-go prints it. */
export class AzureResponseError extends Error {
  constructor(
    readonly method: string,
    readonly url: string,
    readonly status: number,
    readonly code: string,
    readonly body: unknown,
  ) {
    const rule = "-".repeat(80);
    super(
      [
        `${method} ${url}`,
        rule,
        `RESPONSE ${status}: ${status} ${STATUS_TEXT[status] ?? ""}`.trimEnd(),
        `ERROR CODE: ${code || "UNAVAILABLE"}`,
        rule,
        JSON.stringify(body ?? {}, null, 2),
        rule,
      ].join("\n"),
    );
    this.name = "AzureResponseError";
  }
}

const STATUS_TEXT: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  409: "Conflict",
  429: "Too Many Requests",
  500: "Internal Server Error",
};

let credential: TokenCredential | undefined;

/** Replaces the credential (tests); undefined goes back to DefaultAzureCredential. */
export function useCredential(replacement: TokenCredential | undefined): void {
  credential = replacement;
}

/** A token for the audience; the credential is built on first use (and caches tokens). */
export async function bearerToken(audience: Audience): Promise<string> {
  if (!credential) {
    const { DefaultAzureCredential } = await import("@azure/identity");
    credential = new DefaultAzureCredential();
  }
  const token = await credential.getToken(`${audience}/.default`);
  if (!token) throw new Error(`no token for ${audience} from DefaultAzureCredential`);
  return token.token;
}

/** The `code` of ARM's and Graph's `{"error":{"code",…}}` body. */
function errorCode(body: Props | undefined): string {
  const error = body?.error;
  return isObject(error) && typeof error.code === "string" ? error.code : "";
}

/** Sends one request; throws AzureResponseError for a status outside `ok`. */
export async function send(
  method: string,
  url: string,
  audience: Audience,
  opts: { body?: unknown; ok?: readonly number[] } = {},
): Promise<RestResponse> {
  const headers: Record<string, string> = {
    authorization: `Bearer ${await bearerToken(audience)}`,
    accept: "application/json",
  };
  if (opts.body !== undefined) headers["content-type"] = "application/json";
  const res = await fetch(url, {
    method,
    headers,
    body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
  });
  const text = await res.text();
  let body: Props | undefined;
  try {
    body = text ? (JSON.parse(text) as Props) : undefined;
  } catch {
    body = undefined;
  }
  const ok = opts.ok ?? [200, 201, 202, 204];
  if (!ok.includes(res.status)) {
    throw new AzureResponseError(method, url, res.status, errorCode(body), body ?? text);
  }
  return { status: res.status, headers: res.headers, body };
}

/**
 * Milliseconds to wait before poll number `poll`: the server's `Retry-After` (seconds) when it
 * sends one, else 250 ms doubling to 5 s, so a quick operation costs a quarter second and a slow
 * one a request every few seconds.
 */
function pollDelayMs(headers: Headers, poll: number): number {
  const seconds = Number(headers.get("retry-after"));
  if (headers.has("retry-after") && Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  return Math.min(250 * 2 ** poll, 5000);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const TERMINAL = new Set(["succeeded", "failed", "canceled", "cancelled"]);

/**
 * Waits for an ARM long-running operation to end
 * (https://github.com/Azure/azure-resource-manager-rpc/blob/master/v1.0/async-api-reference.md):
 * polls `Azure-AsyncOperation` until its `status` is terminal, else `Location` until it stops
 * answering 202, else the resource itself until `properties.provisioningState` is terminal.
 * Throws with the operation's error when it ends Failed or Canceled.
 */
export async function waitForArmOperation(
  method: string,
  url: string,
  first: RestResponse,
  opts: { maxPolls?: number } = {},
): Promise<void> {
  const asyncOp = first.headers.get("azure-asyncoperation");
  const location = first.headers.get("location");
  let headers = first.headers;
  for (let poll = 0; poll < (opts.maxPolls ?? 600); poll++) {
    const delay = pollDelayMs(headers, poll);
    if (asyncOp) {
      await sleep(delay);
      const res = await send("GET", asyncOp, AUDIENCE.arm);
      const status = String(res.body?.status ?? "").toLowerCase();
      if (TERMINAL.has(status)) return failIfNotSucceeded(method, url, status, res.body);
      headers = res.headers;
    } else if (location && first.status === 202) {
      await sleep(delay);
      const res = await send("GET", location, AUDIENCE.arm, { ok: [200, 201, 202, 204, 404] });
      if (res.status !== 202) return;
      headers = res.headers;
    } else {
      const state = provisioningState(first.body);
      if (method !== "PUT" || state === undefined || TERMINAL.has(state.toLowerCase())) {
        return failIfNotSucceeded(method, url, state?.toLowerCase() ?? "succeeded", first.body);
      }
      await sleep(delay);
      const res = await send("GET", url, AUDIENCE.arm);
      first = res;
      headers = res.headers;
    }
  }
  throw new Error(
    `${method} ${url}: the operation did not finish after ${opts.maxPolls ?? 600} polls`,
  );
}

function provisioningState(body: Props | undefined): string | undefined {
  const props = body?.properties;
  return isObject(props) && typeof props.provisioningState === "string"
    ? props.provisioningState
    : undefined;
}

function failIfNotSucceeded(method: string, url: string, status: string, body: unknown): void {
  if (status === "succeeded") return;
  const error = isObject(body) && isObject(body.error) ? body.error : undefined;
  throw new AzureResponseError(method, url, 200, String(error?.code ?? status), body);
}

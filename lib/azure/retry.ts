/**
 * Retry policy for Azure OpenAI calls. The openai SDK's own retries are switched off
 * (`maxRetries: 0`, lib/azure/client.ts) so that this is the only policy: bounded, honouring
 * Azure's Retry-After, and visible as one progress line per retry.
 */
import { envNumber } from "../env";
import { errorFacts, isFirewallRefusal, toAzureRequestError } from "./errors";

/** Options of `withRetries`. */
export interface RetryOptions {
  /** Attempts in total, the first included. Default 6. */
  readonly maxAttempts?: number;
  /** Receives one line per retry. Default `console.log` (dynamic providers cannot use pulumi.log, #18249). */
  readonly log?: (line: string) => void;
  /** Waits between attempts; tests pass a recorder instead of real sleeping. */
  readonly sleep?: (ms: number) => Promise<void>;
  /**
   * First backoff delay when Azure sends no Retry-After; doubles per attempt up to 30 s. Default
   * 1000, or env `AZURE_OPENAI_RETRY_BASE_MS` (read at call time; tests shrink it).
   */
  readonly baseDelayMs?: number;
  /**
   * How long Entra 401/403 answers are retried while a new role assignment applies. Default
   * env `AZURE_OPENAI_ROLE_WAIT_MS`, else 6 minutes; 0 for callers that never run right after
   * the stack grants their role (a 401 there means a missing role).
   */
  readonly roleAssignmentWaitMs?: number;
}

// Arrays, not Sets: this module is captured into serialized dynamic providers, and closure
// serialization turns a Set into a plain object whose `has` no longer works.
/** Statuses worth another attempt besides 5xx (the openai SDK's own set: openai/openai-node `src/client.ts` `shouldRetry`). */
const RETRY_STATUSES = [408, 409, 429];

/**
 * Network failures that a new connection can fix. A refused connection or an unknown host means
 * a wrong endpoint, which retrying only delays.
 */
const RETRY_NETWORK_CODES = [
  "ECONNRESET",
  "ECONNABORTED",
  "EPIPE",
  "ETIMEDOUT",
  "EAI_AGAIN",
  "UND_ERR_SOCKET",
  "UND_ERR_CONNECT_TIMEOUT",
  "UND_ERR_HEADERS_TIMEOUT",
  "UND_ERR_BODY_TIMEOUT",
  "UND_ERR_CLOSED",
];

const DEFAULT_BASE_DELAY_MS = 1000;
const MAX_BACKOFF_MS = 30_000;
/** Longest Retry-After honoured; a longer one is capped so `up` keeps moving and the attempt bound holds. */
const MAX_RETRY_AFTER_MS = 120_000;

/**
 * Runs `fn`, retrying 408/409/429/5xx answers and dropped connections up to `maxAttempts` times,
 * and Entra 401/403 answers for as long as a new role assignment may take to apply.
 * Waits what Azure asks for (`retry-after-ms`, then `retry-after` in seconds or as a date),
 * otherwise 1 s, 2 s, 4 s, ... up to 30 s. A final failure is thrown as an `AzureRequestError`
 * naming `operation`, the status, Azure's code and message.
 * @param operation Human-readable operation, e.g. "upload training file".
 * @param fn The call; invoked once per attempt, so it must rebuild any consumed stream.
 */
export async function withRetries<T>(
  operation: string,
  fn: () => Promise<T>,
  opts: RetryOptions = {},
): Promise<T> {
  const maxAttempts = Math.max(1, opts.maxAttempts ?? 6);
  const log = opts.log ?? ((line: string) => console.log(line));
  const sleep =
    opts.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  let roleWaitedMs = 0;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (isFirewallRefusal(err)) {
        // The network rules, not a role that has yet to apply: waiting cannot help.
        throw toAzureRequestError(operation, err);
      }
      const roleWindowMs = opts.roleAssignmentWaitMs ?? roleWaitWindowMs();
      const roleDelayMs = roleAssignmentDelayMs(err, roleWaitedMs, roleWindowMs);
      if (roleDelayMs !== undefined) {
        roleWaitedMs += roleDelayMs;
        log(
          `${operation} got ${errorFacts(err).status}: a new role assignment takes up to 5 minutes to apply; ` +
            `retrying in ${(roleDelayMs / 1000).toFixed(1)} s (${(roleWaitedMs / 1000).toFixed(0)} of ${(roleWindowMs / 1000).toFixed(0)} s)`,
        );
        await sleep(roleDelayMs);
        attempt--;
        continue;
      }
      const reason = retryReason(err);
      if (reason === undefined || attempt >= maxAttempts) {
        throw toAzureRequestError(operation, err);
      }
      const delayMs = retryDelayMs(err, attempt, opts.baseDelayMs ?? envBaseDelayMs());
      log(
        `retrying ${operation} after ${reason} in ${(delayMs / 1000).toFixed(1)} s (attempt ${attempt + 1}/${maxAttempts})`,
      );
      await sleep(delayMs);
    }
  }
}

/**
 * Why an error is worth retrying ("429", "503", "connection reset"), or undefined when it is not.
 */
export function retryReason(err: unknown): string | undefined {
  const facts = errorFacts(err);
  if (facts.headers?.get("x-should-retry") === "false") {
    return undefined;
  }
  if (facts.status !== undefined) {
    return RETRY_STATUSES.includes(facts.status) || facts.status >= 500
      ? String(facts.status)
      : undefined;
  }
  if (facts.networkCode !== undefined) {
    return RETRY_NETWORK_CODES.includes(facts.networkCode)
      ? `connection error ${facts.networkCode}`
      : undefined;
  }
  // The SDK reports a timeout without a network code.
  const name = (err as { constructor?: { name?: string } } | null)?.constructor?.name;
  return name === "APIConnectionTimeoutError" ? "timeout" : undefined;
}

/**
 * Entra-authenticated calls right after `pulumi up` created the caller's role assignment get
 * 401/403 until Azure applies it (up to about 5 minutes). Returns how long to wait before trying
 * again, or undefined once the window (`roleAssignmentWaitMs`) is used up
 * or the call used an API key, where a 401 means a wrong key.
 */
function roleAssignmentDelayMs(
  err: unknown,
  waitedMs: number,
  windowMs: number,
): number | undefined {
  const status = errorFacts(err).status;
  if ((status !== 401 && status !== 403) || process.env.AZURE_OPENAI_API_KEY) {
    return undefined;
  }
  if (waitedMs >= windowMs) {
    return undefined;
  }
  return Math.min(Math.max(windowMs / 12, 1), 30_000, windowMs - waitedMs);
}

function roleWaitWindowMs(): number {
  return envNumber("AZURE_OPENAI_ROLE_WAIT_MS", 360_000, "zero");
}

function envBaseDelayMs(): number {
  return envNumber("AZURE_OPENAI_RETRY_BASE_MS", DEFAULT_BASE_DELAY_MS, "zero");
}

/** Milliseconds to wait before attempt `attempt + 1`. */
export function retryDelayMs(
  err: unknown,
  attempt: number,
  baseDelayMs = DEFAULT_BASE_DELAY_MS,
): number {
  const headers = errorFacts(err).headers;
  const fromHeader = retryAfterMs(
    headers?.get("retry-after-ms") ?? null,
    headers?.get("retry-after") ?? null,
  );
  if (fromHeader !== undefined) {
    return Math.min(fromHeader, MAX_RETRY_AFTER_MS);
  }
  return Math.min(baseDelayMs * 2 ** (attempt - 1), MAX_BACKOFF_MS);
}

function retryAfterMs(
  retryAfterMsHeader: string | null,
  retryAfterHeader: string | null,
): number | undefined {
  if (retryAfterMsHeader !== null) {
    const ms = Number(retryAfterMsHeader);
    if (Number.isFinite(ms) && ms >= 0) {
      return ms;
    }
  }
  if (retryAfterHeader !== null) {
    const seconds = Number(retryAfterHeader);
    if (retryAfterHeader.trim() !== "" && Number.isFinite(seconds) && seconds >= 0) {
      return seconds * 1000;
    }
    const date = Date.parse(retryAfterHeader);
    if (!Number.isNaN(date)) {
      return Math.max(0, date - Date.now());
    }
  }
  return undefined;
}

/**
 * A create that must happen once: `send` is a POST Azure may have carried out even when its
 * answer never arrived (a reset or a lost response), so before each re-send `findEarlier` lists
 * what exists and an earlier result is taken instead. Retries as `withRetries`.
 * @param findEarlier Looks for the object an earlier attempt created; undefined when there is none.
 */
export async function createOnce<T>(
  operation: string,
  send: () => Promise<T>,
  findEarlier: () => Promise<T | undefined>,
  opts: RetryOptions = {},
): Promise<T> {
  let attempts = 0;
  return withRetries(
    operation,
    async () => {
      const earlier = attempts++ > 0 ? await findEarlier() : undefined;
      return earlier ?? send();
    },
    opts,
  );
}

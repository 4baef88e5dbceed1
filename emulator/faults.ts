/**
 * Fault injection for retry and resilience tests: the next N data-plane requests that match a
 * method and path are throttled (429 + Retry-After), fail (500), lose their connection, are
 * delayed, or are handled and then lose their response. Faults apply before authentication, as a
 * gateway would.
 */
import type { FastifyReply, FastifyRequest } from "fastify";
import { AzureError, invalidPayload } from "./errors";
import { newHex } from "./state";

/** What happens to a matching request. */
export type FaultKind = "throttle" | "serverError" | "drop" | "latency" | "loseResponse";

const KINDS: readonly FaultKind[] = ["throttle", "serverError", "drop", "latency", "loseResponse"];

/** A fault to inject (body of `POST /_emulator/faults`). */
export interface FaultSpec {
  /**
   * `throttle`: 429 + Retry-After; `serverError`: 500 (or `status`); `drop`: socket destroyed
   * before the request is handled; `latency`: delay, then normal handling; `loseResponse`: the
   * request is handled (a create is committed) and then the socket is destroyed instead of
   * answering, the way a response lost in the network looks to a client that then retries.
   */
  readonly kind: FaultKind;
  /** HTTP method to match, case-insensitive; omitted or "*" matches any. */
  readonly method?: string;
  /**
   * Path to match: a route pattern ("/openai/fine_tuning/jobs/:jobId"), a literal path
   * ("/openai/files"), or a prefix ending in "*" ("/openai/fine_tuning/*"). Omitted matches any.
   * The query string is ignored.
   */
  readonly path?: string;
  /** Number of matching requests to affect (default 1). */
  readonly count?: number;
  /** `throttle`: retry delay sent as `retry-after-ms` and, rounded up to seconds, `Retry-After` (default 1000). */
  readonly retryAfterMs?: number;
  /** `latency`: added delay in ms (default 1000). */
  readonly latencyMs?: number;
  /** `serverError`: status code, 500 to 599 (default 500). */
  readonly status?: number;
  /** `throttle` / `serverError`: error body to send instead of the default. */
  readonly error?: { readonly code: string; readonly message: string };
}

/** An active fault (response of `POST /_emulator/faults`). */
export interface FaultRule extends FaultSpec {
  readonly id: string;
  /** Requests still to affect. */
  remaining: number;
}

function nonNegative(value: unknown, name: string): void {
  if (value !== undefined && (typeof value !== "number" || !Number.isFinite(value) || value < 0)) {
    throw invalidPayload(
      `Fault \`${name}\` must be a number ≥ 0, got ${JSON.stringify(value)}.`,
      name,
    );
  }
}

/** Checks a fault spec from the admin API. */
export function validateFaultSpec(spec: unknown): FaultSpec {
  if (!spec || typeof spec !== "object") {
    throw invalidPayload("The fault must be a JSON object with a `kind`.");
  }
  const s = spec as Record<string, unknown>;
  if (!KINDS.includes(s.kind as FaultKind)) {
    throw invalidPayload(
      `Fault \`kind\` ${JSON.stringify(s.kind)} is invalid; use one of: ${KINDS.join(", ")}.`,
      "kind",
    );
  }
  if (s.count !== undefined && (!Number.isInteger(s.count) || (s.count as number) < 1)) {
    throw invalidPayload(
      `Fault \`count\` must be an integer ≥ 1, got ${JSON.stringify(s.count)}.`,
      "count",
    );
  }
  nonNegative(s.retryAfterMs, "retryAfterMs");
  nonNegative(s.latencyMs, "latencyMs");
  if (
    s.status !== undefined &&
    (!Number.isInteger(s.status) || (s.status as number) < 500 || (s.status as number) > 599)
  ) {
    throw invalidPayload(
      `Fault \`status\` must be an integer from 500 to 599, got ${JSON.stringify(s.status)}.`,
      "status",
    );
  }
  for (const key of ["method", "path"]) {
    if (s[key] !== undefined && typeof s[key] !== "string") {
      throw invalidPayload(`Fault \`${key}\` must be a string.`, key);
    }
  }
  const error = s.error as { code?: unknown; message?: unknown } | undefined;
  if (
    error !== undefined &&
    (typeof error?.code !== "string" || typeof error?.message !== "string")
  ) {
    throw invalidPayload("Fault `error` must be `{ code: string, message: string }`.", "error");
  }
  return spec as FaultSpec;
}

function pathMatches(
  rulePath: string | undefined,
  pattern: string | undefined,
  path: string,
): boolean {
  if (rulePath === undefined || rulePath === "*") {
    return true;
  }
  if (rulePath.endsWith("*")) {
    return path.startsWith(rulePath.slice(0, -1));
  }
  return rulePath === pattern || rulePath === path;
}

/** The active faults of one emulator. */
export class FaultInjector {
  private rules: FaultRule[] = [];

  /** Adds a fault; matching requests consume it in the order faults were added. */
  add(spec: FaultSpec): FaultRule {
    const rule: FaultRule = {
      ...validateFaultSpec(spec),
      id: `fault-${newHex()}`,
      remaining: spec.count ?? 1,
    };
    this.rules.push(rule);
    return rule;
  }

  /** Active faults. */
  list(): FaultRule[] {
    return this.rules.map((r) => ({ ...r }));
  }

  /** Removes every fault. */
  clear(): void {
    this.rules = [];
  }

  /** Consumes and returns the first fault matching this request, if any. */
  take(method: string, pattern: string | undefined, path: string): FaultRule | undefined {
    const rule = this.rules.find(
      (r) =>
        (r.method === undefined || r.method === "*" || r.method.toUpperCase() === method) &&
        pathMatches(r.path, pattern, path),
    );
    if (rule) {
      rule.remaining -= 1;
      if (rule.remaining <= 0) {
        this.rules = this.rules.filter((r) => r !== rule);
      }
    }
    return rule;
  }
}

/**
 * Applies a fault inside the onRequest hook. Returns "handled" when the response is taken care of
 * (connection dropped), "continue" when normal handling should proceed (latency), "loseResponse"
 * when the request is to be handled and its response lost (see `loseResponse`); throws the
 * AzureError to answer with otherwise.
 */
export async function applyFault(
  rule: FaultRule,
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<"handled" | "continue" | "loseResponse"> {
  switch (rule.kind) {
    case "loseResponse":
      return "loseResponse";
    case "drop":
      reply.hijack();
      request.raw.socket.destroy();
      return "handled";
    case "latency":
      await new Promise((resolve) => setTimeout(resolve, rule.latencyMs ?? 1000));
      return "continue";
    case "throttle": {
      const ms = rule.retryAfterMs ?? 1000;
      const seconds = Math.ceil(ms / 1000);
      // Inference-style 429 as observed on Azure OpenAI inference; openai-node honours retry-after-ms first (openai/openai-node src/client.ts, openai@7.57.0).
      const error = rule.error ?? {
        code: "429",
        message: `Requests to the Azure OpenAI API have exceeded the call rate limit of your current pricing tier. Please retry after ${seconds} second${seconds === 1 ? "" : "s"}.`,
      };
      throw new AzureError(429, error.code, error.message, null, "gateway", {
        "retry-after": String(seconds),
        "retry-after-ms": String(ms),
      });
    }
    case "serverError": {
      const error = rule.error ?? {
        code: "InternalServerError",
        message: "The server had an error while processing your request. Sorry about that!",
      };
      throw new AzureError(rule.status ?? 500, error.code, error.message, null, "gateway");
    }
  }
}

/** Destroys the connection in place of a response that is ready to go (`loseResponse` faults). */
export function loseResponse(request: FastifyRequest): void {
  request.raw.socket.destroy();
}

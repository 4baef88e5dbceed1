/**
 * Request counters for the admin API, keyed "METHOD /openai/route-pattern" (fastify's pattern,
 * e.g. "GET /openai/fine_tuning/jobs/:jobId"), so tests can assert exactly which calls a client
 * made. Requests that match no route are keyed by their path.
 */

/** Counter snapshot returned by `GET /_emulator/requests` and `admin.counters()`. */
export interface RequestCounts {
  /** Every data-plane request received, including rejected and fault-injected ones. */
  readonly total: number;
  /** Requests with a mutating method (POST, PUT, PATCH, DELETE). */
  readonly mutating: number;
  /** Count per "METHOD pattern", keys sorted. */
  readonly routes: Readonly<Record<string, number>>;
}

const MUTATING = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/** Counts data-plane requests. */
export class RequestCounters {
  private total = 0;
  private mutating = 0;
  private readonly routes = new Map<string, number>();

  /** Records one request. */
  record(method: string, pattern: string): void {
    this.total += 1;
    if (MUTATING.has(method)) {
      this.mutating += 1;
    }
    const key = `${method} ${pattern}`;
    this.routes.set(key, (this.routes.get(key) ?? 0) + 1);
  }

  /** Current counts. */
  snapshot(): RequestCounts {
    const routes: Record<string, number> = {};
    for (const key of [...this.routes.keys()].sort()) {
      routes[key] = this.routes.get(key) as number;
    }
    return { total: this.total, mutating: this.mutating, routes };
  }

  /** Sets every count back to zero. */
  reset(): void {
    this.total = 0;
    this.mutating = 0;
    this.routes.clear();
  }
}

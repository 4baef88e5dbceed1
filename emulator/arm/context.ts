/**
 * What every ARM handler works with: the state, the settings, the token service, the data-plane
 * host, a clock and timers; plus the request/response shapes and ARM's long-running-operation
 * (LRO) answers (201/202 with `Azure-AsyncOperation` and `Location`, per the ARM RPC contract,
 * Azure/azure-resource-manager-rpc `v1.0/async-api-reference.md`).
 */
import { randomUUID } from "node:crypto";
import type { AzureError } from "../errors";
import type { Principal, TokenService } from "../identity/tokens";
import { ArmState, DataPlaneHost, Json, OperationRecord } from "./state";

/** Settings of the management plane. */
export interface ArmSettings {
  readonly subscriptionId: string;
  readonly tenantId: string;
  /** How long a long-running operation stays `InProgress`, ms. */
  operationMs: number;
  /** How long a new role assignment takes to apply, ms (Azure: up to 10 minutes). */
  propagationMs: number;
  /** Address the data-plane firewall sees for every caller (default: the socket's). */
  callerAddress: string | undefined;
}

/** Shared context of the management plane. */
export interface ArmContext {
  readonly state: ArmState;
  readonly settings: ArmSettings;
  readonly tokens: TokenService;
  readonly host: DataPlaneHost;
  /** The directory type of an object id ("ServicePrincipal", "User", "Group"), if it exists. */
  principalType(objectId: string): string | undefined;
  /** Runs `fn` after `ms`; dropped on close. */
  schedule(ms: number, fn: () => void): void;
  /** Runs every scheduled function now (ends the running long-running operations). */
  finishScheduled(): void;
  /** The emulator's clock, ms (injectable: `LocalAzureOptions.clock`). */
  now(): number;
  /** Writes a line to the emulator's log (quiet: dropped). */
  log(line: string): void;
}

/** A parsed management request. */
export interface ArmRequest {
  readonly method: string;
  readonly path: string;
  readonly query: Readonly<Record<string, string | undefined>>;
  readonly body: Json | undefined;
  /** `https://127.0.0.1:<port>`, for absolute `Location` URLs. */
  readonly origin: string;
  readonly principal: Principal;
  /** Named groups of the route pattern. */
  readonly params: Readonly<Record<string, string>>;
}

/** What a handler answers. */
export interface ArmResponse {
  readonly status: number;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

/** An ISO time string for `now`. */
export function isoNow(ctx: ArmContext): string {
  return new Date(ctx.now()).toISOString();
}

/**
 * Starts an operation that ends after `settings.operationMs` by running `finish` (which may
 * return an error to fail it) and answers the LRO headers for it.
 * @param provider Resource provider namespace, e.g. "Microsoft.CognitiveServices".
 * @param location Location in the operation URL.
 */
export function startOperation(
  ctx: ArmContext,
  request: ArmRequest,
  provider: string,
  location: string,
  finish: () => AzureError | void,
): Record<string, string> {
  const id = randomUUID();
  const operation: OperationRecord = {
    id,
    status: "InProgress",
    startTime: isoNow(ctx),
    endTime: undefined,
    error: undefined,
  };
  ctx.state.operations.set(id, operation);
  ctx.schedule(ctx.settings.operationMs, () => {
    const error = finish();
    operation.status = error ? "Failed" : "Succeeded";
    operation.error = error ?? undefined;
    operation.endTime = isoNow(ctx);
  });
  const version = request.query["api-version"] ?? "";
  const base = `${request.origin}/subscriptions/${ctx.settings.subscriptionId}/providers/${provider}/locations/${location}`;
  const status = `${base}/operationStatuses/${id}?api-version=${version}`;
  // PUT/PATCH: only Azure-AsyncOperation, so pollers read the resource itself at the end;
  // DELETE/POST also get Location (operationResults), as the RPC contract describes.
  return request.method === "PUT" || request.method === "PATCH"
    ? { "azure-asyncoperation": status }
    : {
        "azure-asyncoperation": status,
        location: `${base}/operationResults/${id}?api-version=${version}`,
      };
}

/** The status body of an operation (`GET .../operationStatuses/{id}`). */
export function operationStatus(operation: OperationRecord): Json {
  return {
    id: operation.id,
    name: operation.id,
    status: operation.status,
    startTime: operation.startTime,
    ...(operation.endTime ? { endTime: operation.endTime } : {}),
    ...(operation.error
      ? { error: { code: operation.error.code, message: operation.error.message } }
      : {}),
  };
}

/**
 * Small helpers shared by the TrainingFile and FineTuningJob providers. They are captured into
 * the serialized provider code (closure serialization), so they stay plain functions and classes
 * with no module-level state, clients or credentials.
 */

import { normalizeEndpoint } from "../lib/azure/client";

/**
 * The value Pulumi passes for an input not known yet (during preview), as the dynamic-provider
 * host hands it to `check` and `diff`. Same string as `@pulumi/pulumi/runtime` `unknownValue`;
 * importing that module here would drag the whole SDK into the serialized provider.
 */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** True when a value is not known yet (preview), anywhere inside it. */
export function isUnknown(value: unknown): boolean {
  if (value === UNKNOWN) {
    return true;
  }
  if (Array.isArray(value)) {
    return value.some(isUnknown);
  }
  if (value !== null && typeof value === "object") {
    return Object.values(value).some(isUnknown);
  }
  return false;
}

/**
 * A create or update that failed after the Azure object came into existence. The dynamic-provider
 * host (`grpcResponseFromError` in @pulumi/pulumi cmd/dynamic-provider) turns an error with an
 * `id` into `ErrorResourceInitFailed`: the engine keeps the resource in state with `properties`
 * as its outputs and `reasons` as init errors. A non-empty `reasons` makes the next `up` call
 * `update` even when nothing changed, and `properties` must carry `__provider` or a later
 * `destroy` cannot load the provider to delete the object.
 */
export interface ResourceInitError extends Error {
  readonly name: "ResourceInitError";
  /** Id of the object that exists in Azure. */
  readonly id: string;
  /** Outputs to store for it (with `__provider`). */
  readonly properties: Record<string, unknown>;
  /** Init errors; the next `up` resumes through `update` while there are any. */
  readonly reasons: string[];
}

/**
 * Builds a `ResourceInitError`. A factory rather than a subclass of Error: closure serialization
 * rewrites `super(message)` into `Error.call(this, message)`, which sets no message, so the
 * engine would show an empty error.
 */
export function resourceInitError(
  message: string,
  id: string,
  properties: Record<string, unknown>,
  reasons: string[] = [message],
): ResourceInitError {
  return Object.assign(new Error(message), {
    name: "ResourceInitError" as const,
    id,
    properties,
    reasons,
  });
}

/** Resolves after `ms` milliseconds without blocking the event loop. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** The inputs that name the account a data-plane object lives in. */
export interface AccountInputs {
  endpoint?: string;
  accountName?: string;
}

/**
 * Which account inputs force a replacement of an object that lives in the account (a file, a
 * job). The endpoint is an account output that azure-native's preview marks unknown on **any**
 * account update, so an unknown endpoint alone says nothing: the account's name decides. The
 * name is known in an update preview and unknown only when the account itself is created or
 * replaced (pulumi/pulumi-azure-native `provider/pkg/provider/provider.go`, `Update` →
 * `PreviewOutputs`), so an unknown name means the object goes with its account. Without an
 * `accountName` input an unknown endpoint is taken as a replacement, as nothing tells them apart.
 */
export function accountReplaces(olds: AccountInputs, news: AccountInputs): string[] {
  if (news.accountName !== undefined && isUnknown(news.accountName)) {
    return ["accountName"];
  }
  const replaces: string[] = [];
  if (
    olds.accountName !== undefined &&
    news.accountName !== undefined &&
    olds.accountName !== news.accountName
  ) {
    replaces.push("accountName");
  }
  const endpointUnknown = isUnknown(news.endpoint);
  if (endpointUnknown ? news.accountName === undefined : olds.endpoint !== news.endpoint) {
    replaces.push("endpoint");
  }
  return replaces;
}

/**
 * Checks the account inputs: normalises a known `endpoint` in place, and an `accountName`, when
 * given, must be a non-empty string. Unknown values (preview) pass unchanged.
 */
export function checkAccount(
  inputs: AccountInputs,
  fail: (property: string, reason: string) => void,
): void {
  const endpoint: unknown = inputs.endpoint;
  if (typeof endpoint !== "string" || endpoint === "") {
    fail(
      "endpoint",
      "`endpoint` must be the account endpoint, e.g. https://<account>.openai.azure.com/",
    );
  } else if (!isUnknown(endpoint)) {
    try {
      inputs.endpoint = normalizeEndpoint(endpoint);
    } catch (err) {
      fail("endpoint", (err as Error).message);
    }
  }
  const name: unknown = inputs.accountName;
  if (name !== undefined && (typeof name !== "string" || name === "")) {
    fail(
      "accountName",
      `\`accountName\` ${JSON.stringify(name)} must be the account's name (Account.name), or unset`,
    );
  }
}

import { configKey, ConfigReader } from "./reader";
import type { AccountSource, EnvironmentSettings, ExistingAccount } from "./types";

/**
 * An account's ARM resource id, as `az cognitiveservices account show --query id` prints it.
 * Resource-group names: 1-90 letters, digits, '-', '_', '.', '(' or ')'
 * (https://learn.microsoft.com/azure/azure-resource-manager/management/resource-name-rules).
 */
const ACCOUNT_ID =
  /^\/subscriptions\/([0-9a-fA-F-]{36})\/resourceGroups\/([-\w._()]{1,90})\/providers\/Microsoft\.CognitiveServices\/accounts\/([a-zA-Z0-9][a-zA-Z0-9_.-]{1,63})$/i;

const ID_SHAPE =
  "/subscriptions/<subscription id>/resourceGroups/<group>/providers/Microsoft.CognitiveServices/accounts/<name>";

/** Splits an account's ARM resource id; undefined when it is not one. */
export function parseAccountId(id: string): ExistingAccount | undefined {
  const m = ACCOUNT_ID.exec(id);
  return m ? { id, subscriptionId: m[1], resourceGroupName: m[2], name: m[3] } : undefined;
}

/**
 * Whether the stack creates its account or connects to an existing one, and how a created
 * account is guarded against `destroy`. Protection defaults to `production`: a production
 * account holds the quota and deployments others call, so a stray `destroy` must stop at
 * Pulumi's protection error instead of deleting it. An explicit `purgeOnDestroy: true` wins over
 * that default (the policies flag it in production); only an explicit protection conflicts.
 */
export function validateAccountSource(
  r: ConfigReader,
  env: Pick<EnvironmentSettings, "production" | "purgeOnDestroy">,
): AccountSource {
  const rawId = r.str("existingAccount");
  const existingAccount = rawId === undefined ? undefined : parseAccountId(rawId);
  if (rawId !== undefined && existingAccount === undefined) {
    r.bad(
      "existingAccount",
      rawId,
      `use the account's ARM resource id, ${ID_SHAPE} (az cognitiveservices account show --name <name> --resource-group <group> --query id)`,
    );
  }
  const keep = env.production && !env.purgeOnDestroy;
  const protectAccount = r.bool("protectAccount", keep);
  const retainAccountOnDelete = r.bool("retainAccountOnDelete", keep);
  for (const [k, on] of [
    ["protectAccount", protectAccount],
    ["retainAccountOnDelete", retainAccountOnDelete],
  ] as const) {
    // Only a created account is purged or protected; a connected one is never the stack's to delete.
    if (on && env.purgeOnDestroy && rawId === undefined) {
      r.problems.push(
        `${configKey(k)} is true but ${configKey("purgeOnDestroy")} is true too: a kept account must not be purged; ` +
          `set ${configKey("purgeOnDestroy")} to false or ${configKey(k)} to false`,
      );
    }
  }
  return {
    existingAccount,
    existingBaseDeploymentName: rawId !== undefined ? r.str("baseDeploymentName") : undefined,
    protectAccount,
    retainAccountOnDelete,
  };
}

import { configKey, ConfigReader } from "./reader";
import type { AccountSource, EnvironmentSettings, ExistingAccount } from "./types";

/**
 * An account's ARM resource id, as `az cognitiveservices account show --query id` prints it.
 * Resource-group names: 1-90 letters, digits, '-', '_', '.', '(' or ')'
 * (https://learn.microsoft.com/azure/azure-resource-manager/management/resource-name-rules).
 */
const ACCOUNT_ID =
  /^\/subscriptions\/([0-9a-fA-F-]{36})\/resourceGroups\/([-\w._()]{1,90})\/providers\/Microsoft\.CognitiveServices\/accounts\/([a-zA-Z0-9][a-zA-Z0-9_.-]{1,63})$/i;

/**
 * An account name as ARM accepts it: `accountNameParameter` in Azure/azure-rest-api-specs
 * specification/cognitiveservices/resource-manager/Microsoft.CognitiveServices/stable/2025-06-01/cognitiveservices.json
 * @ 2c4d374c8286fa51d5a6f8aa79e2ab6b3173d779 (minLength 2, maxLength 64,
 * pattern `^[a-zA-Z0-9][a-zA-Z0-9_.-]*$`).
 */
export const ACCOUNT_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]{1,63}$/;

/**
 * A custom subdomain: the spec gives `customSubDomainName` no pattern, but it becomes the DNS
 * label of `https://<subdomain>.cognitiveservices.azure.com/`, so it follows RFC 1035 section 2.3.1 and
 * RFC 1123 section 2.1 (letters, digits and hyphens, starting and ending with a letter or digit, at most
 * 63 characters).
 */
export const SUBDOMAIN = /^[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?$/;

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
 * Pulumi's protection error instead of deleting it. A kept account must not be purged, so
 * protection or retention (explicit or by that default) together with `purgeOnDestroy` is an
 * error: purging a production account takes three explicit settings, never one.
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
  const named = validateAccountName(r, rawId !== undefined);
  const protectAccount = r.bool("protectAccount", env.production);
  const retainAccountOnDelete = r.bool("retainAccountOnDelete", env.production);
  // Only a created account is purged or protected; a connected one is never the stack's to delete.
  if (env.purgeOnDestroy && rawId === undefined) {
    const kept = (["protectAccount", "retainAccountOnDelete"] as const).filter((k) =>
      k === "protectAccount" ? protectAccount : retainAccountOnDelete,
    );
    if (kept.length > 0) r.problems.push(keptAndPurgedProblem(r, kept));
  }
  return {
    existingAccount,
    existingBaseDeploymentName: rawId !== undefined ? r.str("baseDeploymentName") : undefined,
    ...named,
    protectAccount,
    retainAccountOnDelete,
  };
}

/** The conflict of a kept (protected or retained) account with the purge, naming every key. */
function keptAndPurgedProblem(r: ConfigReader, kept: readonly string[]): string {
  const said = kept.map(
    (k) =>
      `${configKey(k)} is true` +
      (r.str(k) === undefined ? ` (the default because ${configKey("production")} is true)` : ""),
  );
  const keys = kept.map(configKey).join(" and ");
  return (
    `${said.join(" and ")} but ${configKey("purgeOnDestroy")} is true too: a kept account must not be purged; ` +
    `set ${configKey("purgeOnDestroy")} to false, or set ${keys} to false to let destroy delete and purge the account`
  );
}

/**
 * The created account's name and custom subdomain, when set: an account adopted with
 * `pulumi import` keeps the name and subdomain it has (neither can change), so the program must
 * declare the same ones. Unset, the program derives both (lib/naming.ts `accountSubdomain`).
 */
function validateAccountName(
  r: ConfigReader,
  connected: boolean,
): Pick<AccountSource, "accountName" | "accountSubdomain"> {
  const accountName = r.str("accountName");
  const subdomain = r.str("accountSubdomain");
  if (connected) {
    for (const [k, v] of [
      ["accountName", accountName],
      ["accountSubdomain", subdomain],
    ] as const) {
      if (v !== undefined) {
        r.bad(
          k,
          v,
          `remove it: a connected account's name and subdomain are read from ${configKey("existingAccount")}`,
        );
      }
    }
    return {};
  }
  if (accountName !== undefined && !ACCOUNT_NAME.test(accountName)) {
    r.bad(
      "accountName",
      accountName,
      "use 2-64 letters, digits, '_', '.' or '-', starting with a letter or digit (az cognitiveservices account show --query name prints an existing account's)",
    );
    return {};
  }
  if (subdomain === undefined && accountName !== undefined && !SUBDOMAIN.test(accountName)) {
    r.problems.push(
      `${configKey("accountName")} is ${JSON.stringify(accountName)}, which is not a DNS label, so it cannot also be the custom subdomain; ` +
        `set ${configKey("accountSubdomain")} to the account's subdomain (az cognitiveservices account show --query properties.customSubDomainName)`,
    );
  }
  if (subdomain !== undefined && !SUBDOMAIN.test(subdomain)) {
    r.bad(
      "accountSubdomain",
      subdomain,
      "use 1-63 letters, digits or hyphens, starting and ending with a letter or digit (az cognitiveservices account show --query properties.customSubDomainName prints an existing account's)",
    );
  }
  if (subdomain !== undefined && accountName === undefined) {
    r.problems.push(
      `${configKey("accountSubdomain")} is ${JSON.stringify(subdomain)} but ${configKey("accountName")} is not set; ` +
        `set ${configKey("accountName")} too (the derived name is its own subdomain)`,
    );
  }
  return {
    accountName,
    accountSubdomain: accountName === undefined ? undefined : (subdomain ?? accountName),
  };
}

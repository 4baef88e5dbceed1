import type { ResourceValidationPolicy } from "@pulumi/policy";
import { PRODUCTION_SCHEMA, resolveProduction } from "../production";
import { setting, shown, TYPES } from "../resources";

/**
 * The program creates an AccountPurge exactly when `purgeOnDestroy` is on: destroy then purges the
 * soft-deleted account, and with it every fine-tuned model and file, beyond recovery.
 */
export const purgeOffInProduction: ResourceValidationPolicy = {
  name: "purge-on-destroy-off-in-production",
  description:
    "A production stack keeps Azure's soft-delete safety net: destroy does not purge the account.",
  enforcementLevel: "mandatory",
  configSchema: { properties: { production: PRODUCTION_SCHEMA } },
  validateResource: (args, reportViolation) => {
    if (args.type !== TYPES.accountPurge) return;
    const production = resolveProduction(args.getConfig<{ production?: boolean }>());
    if (production.production === undefined) {
      reportViolation(production.problem);
    } else if (production.production) {
      reportViolation(
        `destroy would purge the soft-deleted account, and its fine-tuned models and files with it, in a production stack (${production.source}); ` +
          `set ${setting("purgeOnDestroy")} to false`,
      );
    }
  },
};

/**
 * Production accounts are firewalled: deployed from a self-hosted runner whose fixed egress range
 * is listed in `allowedIpRanges` (a GitHub-hosted runner has no fixed address, and opening the
 * firewall per run would fight the program's own `networkAcls`), or closed to public networks.
 */
export const networkRestrictedInProduction: ResourceValidationPolicy = {
  name: "network-restricted-in-production",
  description:
    "A production account denies public networks except listed IP ranges (networkAcls Deny with ipRules), or disables public network access.",
  enforcementLevel: "mandatory",
  configSchema: { properties: { production: PRODUCTION_SCHEMA } },
  validateResource: (args, reportViolation) => {
    if (args.type !== TYPES.account) return;
    const production = resolveProduction(args.getConfig<{ production?: boolean }>());
    if (production.production === undefined) {
      reportViolation(production.problem);
      return;
    }
    if (!production.production) return;
    const properties = args.props.properties;
    if (properties?.publicNetworkAccess === "Disabled") return;
    const defaultAction = properties?.networkAcls?.defaultAction;
    const ipRules = (properties?.networkAcls?.ipRules ?? []) as unknown[];
    if (defaultAction !== "Deny") {
      reportViolation(
        `properties.networkAcls.defaultAction is ${shown(defaultAction)} in a production stack (${production.source}); ` +
          `list the deploying runner's egress range and the callers' ranges in ${setting("allowedIpRanges")}, or set ${setting("publicNetworkAccess")} to Disabled`,
      );
    } else if (ipRules.length === 0) {
      reportViolation(
        `properties.networkAcls denies every network and lists no ipRules, so the deploying runner cannot reach the data plane; ` +
          `list its egress range in ${setting("allowedIpRanges")}`,
      );
    }
  },
};

export const PRODUCTION_POLICIES = [purgeOffInProduction, networkRestrictedInProduction];

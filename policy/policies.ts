import type { Policies } from "@pulumi/policy";
import { AZURE_BUILT_IN_POLICIES } from "./rules/azureBuiltins";
import { COST_POLICIES } from "./rules/cost";
import { GOVERNANCE_POLICIES } from "./rules/governance";
import { PRODUCTION_POLICIES } from "./rules/production";

/** Every policy of the pack, in the order the README lists them. */
export const POLICIES: Policies = [
  ...AZURE_BUILT_IN_POLICIES,
  ...COST_POLICIES,
  ...GOVERNANCE_POLICIES,
  ...PRODUCTION_POLICIES,
];

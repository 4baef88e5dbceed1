import type { Policies } from "@pulumi/policy";
import { type Clock, systemClock } from "../lib/models";
import { AZURE_BUILT_IN_POLICIES } from "./rules/azureBuiltins";
import { COST_POLICIES } from "./rules/cost";
import { GOVERNANCE_POLICIES } from "./rules/governance";
import { modelRetirementPolicy } from "./rules/lifecycle";
import { PRODUCTION_POLICIES } from "./rules/production";

/** Every policy of the pack, in the order the README lists them; `clock` is "today" for dates. */
export function createPolicies(clock: Clock = systemClock): Policies {
  return [
    ...AZURE_BUILT_IN_POLICIES,
    ...COST_POLICIES,
    ...GOVERNANCE_POLICIES,
    modelRetirementPolicy(clock),
    ...PRODUCTION_POLICIES,
  ];
}

export const POLICIES: Policies = createPolicies();

import type { ResourceValidationPolicy } from "@pulumi/policy";
import { FINE_TUNING_REGIONS } from "../../lib/models";
import { setting, TYPES } from "../resources";

/** Tags every taggable resource carries unless the stack's policy config lists others. */
export const DEFAULT_REQUIRED_TAGS: readonly string[] = ["environment", "owner"];

/** Resources of this program that take `tags` and `location`. */
const PLACED_TYPES: readonly string[] = [TYPES.resourceGroup, TYPES.account, TYPES.project];

export const requiredTags: ResourceValidationPolicy = {
  name: "required-tags",
  description:
    "The resource group, the account and the Foundry project carry the tags the platform needs (environment and owner by default).",
  enforcementLevel: "mandatory",
  configSchema: {
    properties: {
      requiredTags: {
        type: "array",
        items: { type: "string" },
        default: [...DEFAULT_REQUIRED_TAGS],
      },
    },
  },
  validateResource: (args, reportViolation) => {
    if (!PLACED_TYPES.includes(args.type)) return;
    const { requiredTags: required = DEFAULT_REQUIRED_TAGS } = args.getConfig<{
      requiredTags?: string[];
    }>();
    const tags = (args.props.tags ?? {}) as Record<string, unknown>;
    const missing = required.filter((tag) => typeof tags[tag] !== "string" || tags[tag] === "");
    if (missing.length > 0) {
      reportViolation(
        `tags lack ${missing.map((t) => `"${t}"`).join(", ")}; add them under ${setting("tags")} (owner also through ${setting("owner")})`,
      );
    }
  },
};

export const allowedRegions: ResourceValidationPolicy = {
  name: "allowed-regions",
  description:
    "Resources are placed only in the platform's regions (by default the regions where the model catalog, lib/models.ts, offers fine-tuning).",
  enforcementLevel: "mandatory",
  configSchema: {
    properties: {
      allowedRegions: {
        type: "array",
        items: { type: "string" },
        default: [...FINE_TUNING_REGIONS],
      },
    },
  },
  validateResource: (args, reportViolation) => {
    if (!PLACED_TYPES.includes(args.type)) return;
    const { allowedRegions: allowed = FINE_TUNING_REGIONS } = args.getConfig<{
      allowedRegions?: string[];
    }>();
    const location = args.props.location as string | undefined;
    // ARM accepts display names ("Sweden Central") as well as names ("swedencentral").
    const normalize = (region: string) => region.toLowerCase().replace(/\s+/g, "");
    if (location !== undefined && !allowed.map(normalize).includes(normalize(location))) {
      reportViolation(
        `location "${location}" is not an allowed region (${allowed.join(", ")}); change ${setting("location")}`,
      );
    }
  },
};

export const GOVERNANCE_POLICIES = [requiredTags, allowedRegions];

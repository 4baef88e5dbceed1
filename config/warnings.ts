import { findModel, modelLifecycleWarnings, REGION_CAVEATS, SOURCES } from "../lib/models";
import { configKey } from "./reader";
import type { StackConfig } from "./types";

/**
 * What the preview should warn about in a valid config: things Azure decides (an unknown model,
 * a published date that has passed), estimates, and settings that need something of the deployer.
 * Pure: `today` comes from the caller so tests pin it.
 */
export function stackConfigWarnings(config: StackConfig, today: Date): string[] {
  const warnings: string[] = [];
  const found = findModel(config.baseModel);
  if (found === undefined) {
    warnings.push(
      `${configKey("baseModel")} "${config.baseModel}" is not in this program's model catalog (lib/models); ` +
        "it is passed to Azure as is and Azure decides whether it can be fine-tuned there. " +
        "See docs/models.md for how to check which models your account can fine-tune.",
    );
  } else {
    warnings.push(...modelLifecycleWarnings(found.id, found.model, today));
    const { tokenizer } = found.model;
    if (!tokenizer.exact) {
      warnings.push(
        `${found.id} uses the ${tokenizer.actual}; token counts and the cost guard use ${tokenizer.encoding}, so they are estimates`,
      );
    }
    if (
      found.model.vision &&
      config.trainingType !== "Standard" &&
      REGION_CAVEATS[config.location]?.noVision
    ) {
      warnings.push(
        `Global training in ${config.location} has no vision support (source: ${SOURCES.globalTrainingRegions}); examples with images will be refused there`,
      );
    }
  }
  if (config.allowedIpRanges.length > 0) {
    warnings.push(
      `${configKey("allowedIpRanges")} is set (${config.allowedIpRanges.join(", ")}): the account's firewall ` +
        "refuses every other address, so whoever runs `pulumi up` (its uploads and job calls go to the " +
        "account's data plane) must reach Azure from inside one of these ranges, or those calls fail with 403",
    );
  }
  return warnings;
}

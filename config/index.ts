/**
 * The stack's configuration: read once, validated by one small validator per concern, with every
 * problem reported at once. index.ts reads it through `loadStackConfig` only.
 */
import * as pulumi from "@pulumi/pulumi";
import { validateAccountAndNetwork } from "./account";
import { validateCi } from "./ci";
import { validateDeployments } from "./deployments";
import { validateEnvironment } from "./environment";
import { validateJob } from "./job";
import { validatePrincipals } from "./principals";
import { ConfigReader, configKey, type RawConfig } from "./reader";
import { validateRegionAndModel } from "./regionAndModel";
import { CONFIG_KEYS, CONFIG_NAMESPACE, ConfigError, type StackConfig } from "./types";
import { stackConfigWarnings } from "./warnings";
import { JOB_INPUT_LIMITS, systemClock, type Clock } from "../lib/models";

export * from "./types";
export { ConfigReader, configKey, type RawConfig } from "./reader";
export { validateAccountAndNetwork } from "./account";
export { validateCi } from "./ci";
export { baseModelReference, validateDeployments, type DeploymentContext } from "./deployments";
export { validateEnvironment } from "./environment";
export { validateJob } from "./job";
export { validatePrincipals } from "./principals";
export { DEFAULT_MODEL, validateRegionAndModel } from "./regionAndModel";
export { stackConfigWarnings } from "./warnings";

/**
 * Validates raw stack config and applies defaults. Pure: the caller supplies the raw values and
 * the stack name, so tests need no Pulumi runtime. Collects every problem before throwing, so one
 * `pulumi preview` shows them all.
 */
export function parseStackConfig(raw: RawConfig, stack: string): StackConfig {
  const r = new ConfigReader(raw);
  for (const k of Object.keys(raw)) {
    if (raw[k] !== undefined && !(CONFIG_KEYS as readonly string[]).includes(k)) {
      r.problems.push(
        `${configKey(k)} is not a setting of this program; remove it or check its spelling`,
      );
    }
  }
  const env = validateEnvironment(r, stack);
  const { model, ...regionAndModel } = validateRegionAndModel(r);
  const job = validateJob(r);
  const config: StackConfig = {
    ...env,
    ...regionAndModel,
    ...validateAccountAndNetwork(r, { id: regionAndModel.baseModel, model }),
    ...job,
    ...validateDeployments(r, {
      baseModel: regionAndModel.baseModel,
      model,
      location: regionAndModel.location,
      suffix: job.suffix,
      suffixValid: JOB_INPUT_LIMITS.suffix.test(job.suffix),
    }),
    ...validatePrincipals(r),
    ...validateCi(r, env.environment),
  };
  if (r.problems.length > 0) throw new ConfigError(r.problems);
  return config;
}

let loaded: StackConfig | undefined;

/**
 * Reads and validates the stack's config once per program run (the only reader of config), and
 * logs its warnings on the preview.
 */
export function loadStackConfig(clock: Clock = systemClock): StackConfig {
  if (loaded === undefined) {
    // Every key under the namespace, not just the known ones, so a misspelt key is reported
    // instead of silently falling back to its default.
    const prefix = `${CONFIG_NAMESPACE}:`;
    const raw: Record<string, string | undefined> = {};
    for (const [k, v] of Object.entries(pulumi.runtime.allConfig())) {
      if (k.startsWith(prefix)) raw[k.slice(prefix.length)] = v;
    }
    loaded = parseStackConfig(raw, pulumi.getStack());
    for (const warning of stackConfigWarnings(loaded, clock())) pulumi.log.warn(warning);
  }
  return loaded;
}

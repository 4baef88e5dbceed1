import type { PolicyConfigSchema } from "@pulumi/policy";
import { NAMESPACE, setting } from "./resources";

/** The program's production setting (config.ts); the purge default and these rules follow it. */
export const PRODUCTION_KEY = `${NAMESPACE}:production`;

/** Config property of the production-dependent policies: states the stack's kind to the pack. */
export const PRODUCTION_SCHEMA: PolicyConfigSchema["properties"][string] = {
  type: "boolean",
  description: `Whether this stack is production. Set it in the stack's policy config when the engine does not pass the stack's config to the pack; it must agree with ${PRODUCTION_KEY}.`,
};

/** Whether the stack is production, and where the pack learned it; or why it cannot tell. */
export type Production =
  | { readonly production: boolean; readonly source: string }
  | { readonly production: undefined; readonly problem: string };

/**
 * The stack config the engine passes to the pack process. The CLI starts a pack through the
 * `pulumi-analyzer-policy` plugin with `PULUMI_CONFIG` set to the stack's config as JSON
 * (pulumi/pulumi sdk/go/common/resource/plugin/analyzer_plugin.go, `constructEnv` @ 0476da2458748602e85c7069f10ec62571973d3b).
 * A pack started through a language host's `RunPlugin` gets no such variable (the same file), and
 * @pulumi/policy 1.21.0 reads only the stack's tags from `ConfigureStack`: then the policy
 * config must say it.
 */
export function stackConfigFromEnv(
  env: NodeJS.ProcessEnv = process.env,
): Record<string, string> | undefined {
  const raw = env.PULUMI_CONFIG;
  if (raw === undefined || raw === "") return undefined;
  try {
    const parsed = JSON.parse(raw) as unknown;
    return typeof parsed === "object" && parsed !== null
      ? (parsed as Record<string, string>)
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Decides whether the stack is production from the policy config's `production` and the stack's
 * own `azure-openai-finetune:production` (unset means false, the program's default, as soon as
 * any of the program's keys is visible). Both known and different is a problem, not a guess.
 */
export function resolveProduction(
  policyConfig: { production?: boolean },
  stackConfig: Record<string, string> | undefined = stackConfigFromEnv(),
): Production {
  const fromPolicy = policyConfig.production;
  const visible =
    stackConfig !== undefined &&
    Object.keys(stackConfig).some((k) => k.startsWith(`${NAMESPACE}:`));
  const fromStack = visible ? stackConfig[PRODUCTION_KEY] === "true" : undefined;
  if (fromPolicy !== undefined && fromStack !== undefined && fromPolicy !== fromStack) {
    return {
      production: undefined,
      problem: `the policy config says production is ${fromPolicy} but the stack sets ${setting("production")} to ${fromStack}; make them agree`,
    };
  }
  if (fromStack !== undefined) return { production: fromStack, source: setting("production") };
  if (fromPolicy !== undefined) return { production: fromPolicy, source: "the policy config" };
  return {
    production: undefined,
    problem: `the pack cannot see whether this stack is production: ${setting("production")} did not reach it; set "production" for this policy in the stack's policy config (--policy-pack-config policy/config/<stack>.json)`,
  };
}

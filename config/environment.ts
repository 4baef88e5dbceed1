import { ConfigReader } from "./reader";
import { CONFIG_NAMESPACE, type EnvironmentSettings } from "./types";

/**
 * Environment name, the production flag and what follows from them: the purge default and the
 * tags every resource gets. `production` is the one switch; the stack's name never decides.
 */
export function validateEnvironment(r: ConfigReader, stack: string): EnvironmentSettings {
  const environment = r.str("environment") ?? stack;
  if (!/^[a-z0-9][a-z0-9-]{0,15}$/.test(environment)) {
    r.bad(
      "environment",
      environment,
      "use 1-16 lowercase letters, digits or hyphens (it becomes part of resource names); set it explicitly when the stack name does not fit",
    );
  }
  const production = r.bool("production", false);
  const userTags = r.stringMap("tags", "a map of string tag names to string values");
  const owner = r.str("owner");
  return {
    environment,
    production,
    // Azure keeps a deleted account's name for 48 h; purging frees it for the next `up` in
    // throwaway environments, while production keeps the soft-delete safety net unless asked.
    purgeOnDestroy: r.bool("purgeOnDestroy", !production),
    tags: {
      ...userTags,
      environment,
      "managed-by": "pulumi",
      "pulumi-project": CONFIG_NAMESPACE,
      ...(owner !== undefined ? { owner } : {}),
    },
  };
}

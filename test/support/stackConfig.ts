import * as fs from "node:fs";
import * as path from "node:path";
import * as yaml from "js-yaml";

export const PROJECT_ROOT = path.resolve(__dirname, "..", "..");
const NAMESPACE = "azure-openai-finetune";

interface ProjectFile {
  config: Record<string, { type: string; default?: unknown }>;
}
interface StackFile {
  config: Record<string, unknown>;
}

function asConfigString(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(value);
}

/** The project's declared defaults, as the engine passes them to the program. */
export function projectDefaults(): Record<string, string> {
  const project = yaml.load(
    fs.readFileSync(path.join(PROJECT_ROOT, "Pulumi.yaml"), "utf8"),
  ) as ProjectFile;
  const out: Record<string, string> = {};
  for (const [key, decl] of Object.entries(project.config)) {
    if (decl.default !== undefined) {
      out[key] = asConfigString(decl.default);
    }
  }
  return out;
}

/**
 * The config a stack's program sees: Pulumi.yaml defaults overlaid with Pulumi.<stack>.yaml and
 * then `overrides`, as raw strings keyed without namespace (undefined removes a key).
 */
export function stackConfig(
  stack: string,
  overrides: Record<string, string | undefined> = {},
): Record<string, string> {
  const file = yaml.load(
    fs.readFileSync(path.join(PROJECT_ROOT, `Pulumi.${stack}.yaml`), "utf8"),
  ) as StackFile;
  const merged: Record<string, string> = { ...projectDefaults() };
  for (const [key, value] of Object.entries(file.config)) {
    merged[key.startsWith(`${NAMESPACE}:`) ? key.slice(NAMESPACE.length + 1) : key] =
      asConfigString(value);
  }
  for (const [key, value] of Object.entries(overrides)) {
    if (value === undefined) delete merged[key];
    else merged[key] = value;
  }
  return merged;
}

/** Raw config as `pulumi.runtime.setAllConfig` expects it: namespaced keys. */
export function namespaced(raw: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(raw).map(([k, v]) => [`${NAMESPACE}:${k}`, v]));
}

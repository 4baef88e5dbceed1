/**
 * Installs the simulator plugins into a sandbox PULUMI_HOME, where the engine looks for a
 * provider of an exact version: `$PULUMI_HOME/plugins/resource-<name>-v<version>/pulumi-resource-<name>`
 * (https://www.pulumi.com/docs/iac/concepts/plugins/). The version is the SDK's in node_modules,
 * so the engine's request for azure-native 3.28.0 finds it. The user's ~/.pulumi is never touched.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { sdkVersion } from "./plugin/main";

export const SIMULATED_PACKAGES = ["azure-native", "azuread"] as const;

const REPO = path.resolve(__dirname, "..");

/** The launcher script of one plugin: the project's Node, ts-node in transpile-only mode, main.ts. */
export function launcher(pkg: string, repo = REPO): string {
  const q = (p: string) => `'${p.replace(/'/g, `'\\''`)}'`;
  return [
    "#!/bin/sh",
    `# Simulator of the ${pkg} provider for \`npm run sandbox\` (written by sandbox/install.ts).`,
    `exec ${q(path.join(repo, "node_modules", ".bin", "node"))} \\`,
    `  -r ${q(path.join(repo, "node_modules", "ts-node", "register", "transpile-only"))} \\`,
    `  ${q(path.join(repo, "sandbox", "plugin", "main.ts"))} ${pkg} "$@"`,
    "",
  ].join("\n");
}

/** Writes both launchers; returns their paths. */
export function installPlugins(pulumiHome: string): string[] {
  return SIMULATED_PACKAGES.map((pkg) => {
    const dir = path.join(pulumiHome, "plugins", `resource-${pkg}-v${sdkVersion(pkg)}`);
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, `pulumi-resource-${pkg}`);
    fs.writeFileSync(file, launcher(pkg), { mode: 0o755 });
    return file;
  });
}

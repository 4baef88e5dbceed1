/**
 * Installs the simulator plugins into a sandbox PULUMI_HOME, where the engine looks for a
 * provider of an exact version: `$PULUMI_HOME/plugins/resource-<name>-v<version>/pulumi-resource-<name>`
 * (https://www.pulumi.com/docs/iac/concepts/plugins/). The version is the SDK's in node_modules,
 * so the engine's request for azure-native 3.28.0 finds it. The user's ~/.pulumi is never touched.
 *
 * The plugins' TypeScript is transpiled once per install into `<sandbox>/simulators` (the engine
 * starts each plugin twice per `up`; plain Node starts in a fraction of ts-node's time).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as ts from "typescript";
import { sdkVersion } from "./plugin/main";

export const SIMULATED_PACKAGES = ["azure-native", "azuread"] as const;

const REPO = path.resolve(__dirname, "..");
/** Folders of sandbox/ the plugins are made of. */
const PLUGIN_SOURCES = ["plugin", "azure", "azureNative", "azuread"];

/** Transpiles the plugins' sources into `outDir/sandbox/...` (same layout); returns main.js. */
export function transpilePlugins(outDir: string): string {
  for (const folder of PLUGIN_SOURCES) {
    const src = path.join(REPO, "sandbox", folder);
    const dest = path.join(outDir, "sandbox", folder);
    fs.mkdirSync(dest, { recursive: true });
    for (const file of fs.readdirSync(src).filter((f) => f.endsWith(".ts"))) {
      const { outputText } = ts.transpileModule(fs.readFileSync(path.join(src, file), "utf8"), {
        compilerOptions: {
          module: ts.ModuleKind.CommonJS,
          target: ts.ScriptTarget.ES2022,
          esModuleInterop: true,
        },
        fileName: file,
      });
      fs.writeFileSync(path.join(dest, file.replace(/\.ts$/, ".js")), outputText);
    }
  }
  return path.join(outDir, "sandbox", "plugin", "main.js");
}

/** The launcher script of one plugin: the project's Node on the transpiled main.js. */
export function launcher(pkg: string, mainJs: string, repo = REPO): string {
  const q = (p: string) => `'${p.replace(/'/g, `'\\''`)}'`;
  return [
    "#!/bin/sh",
    `# Simulator of the ${pkg} provider for \`npm run sandbox\` (written by sandbox/install.ts).`,
    `exec ${q(path.join(repo, "node_modules", ".bin", "node"))} ${q(mainJs)} ${pkg} "$@"`,
    "",
  ].join("\n");
}

/**
 * Transpiles the plugins into `sandboxDir/simulators` (inside the repository, so they resolve
 * node_modules) and writes both launchers into `pulumiHome`; returns the launchers' paths.
 */
export function installPlugins(sandboxDir: string, pulumiHome: string): string[] {
  const mainJs = transpilePlugins(path.join(sandboxDir, "simulators"));
  return SIMULATED_PACKAGES.map((pkg) => {
    const dir = path.join(pulumiHome, "plugins", `resource-${pkg}-v${sdkVersion(pkg)}`);
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, `pulumi-resource-${pkg}`);
    fs.writeFileSync(file, launcher(pkg, mainJs), { mode: 0o755 });
    return file;
  });
}

/**
 * Runs the repository's CrossGuard pack (policy/) in a sandbox session. The sandbox's Node.js
 * language host (2023) has no `RunPlugin`, through which CLI 3.259 starts a `runtime: nodejs`
 * pack. A pack whose runtime has no language host goes the older way: the CLI starts the analyzer
 * plugin `pulumi-analyzer-policy-<runtime>` with the engine address and sets `PULUMI_CONFIG` to
 * the stack's config (pulumi/pulumi sdk/go/common/resource/plugin/analyzer_plugin.go,
 * `NewPolicyAnalyzer` and `constructEnv` @ 0476da2458748602e85c7069f10ec62571973d3b). So the
 * session points `--policy-pack` at a shim whose PulumiPolicy.yaml says `runtime: nodejslegacy`,
 * and installs a `pulumi-analyzer-policy-nodejslegacy` that runs the real pack in place (it
 * imports ../lib/models and reads its version from its own package.json).
 */
import * as fs from "node:fs";
import * as path from "node:path";

const REPO = path.resolve(__dirname, "..");

/** The runtime name the shim declares; only this sandbox provides its analyzer plugin. */
export const SANDBOX_POLICY_RUNTIME = "nodejslegacy";

const q = (p: string) => `'${p.replace(/'/g, `'\\''`)}'`;

/** The analyzer plugin: @pulumi/pulumi's run-policy-pack on the real pack directory. */
export function policyRunnerLauncher(packDir: string, repo = REPO): string {
  return [
    "#!/bin/sh",
    "# Runs a policy pack for `npm run sandbox` (written by sandbox/policyPack.ts).",
    `cd ${q(packDir)} && exec ${q(path.join(repo, "node_modules", ".bin", "node"))} \\`,
    `  ${q(path.join(repo, "node_modules", "@pulumi", "pulumi", "cmd", "run-policy-pack"))} "$1" .`,
    "",
  ].join("\n");
}

/**
 * Installs the analyzer plugin into the sandbox's PULUMI_HOME and writes the shim pack under
 * `sandboxDir`; returns the shim's directory, the value for `--policy-pack`.
 */
export function installPolicyRunner(
  sandboxDir: string,
  pulumiHome: string,
  packDir: string,
  repo = REPO,
): string {
  if (!fs.existsSync(path.join(packDir, "PulumiPolicy.yaml"))) {
    throw new Error(
      `--policy-pack ${packDir} has no PulumiPolicy.yaml; pass the pack's directory, e.g. --policy-pack policy`,
    );
  }
  const plugin = path.join(
    pulumiHome,
    "plugins",
    `analyzer-policy-${SANDBOX_POLICY_RUNTIME}-v1.0.0`,
  );
  fs.mkdirSync(plugin, { recursive: true });
  fs.writeFileSync(
    path.join(plugin, `pulumi-analyzer-policy-${SANDBOX_POLICY_RUNTIME}`),
    policyRunnerLauncher(packDir, repo),
    { mode: 0o755 },
  );
  const shim = path.join(sandboxDir, "policy-pack");
  fs.mkdirSync(shim, { recursive: true });
  fs.writeFileSync(
    path.join(shim, "PulumiPolicy.yaml"),
    `# Shim of ${packDir} for the sandbox's language host (sandbox/policyPack.ts).\nruntime: ${SANDBOX_POLICY_RUNTIME}\n`,
  );
  return shim;
}

/** The sandbox's commands and the policy flags given after them. */
export interface PolicyFlags {
  readonly commands: string[];
  /** Absolute directory of the pack (`--policy-pack`). */
  readonly packDir?: string;
  /** Absolute path of the stack's policy config (`--policy-pack-config`). */
  readonly packConfig?: string;
}

/** Splits `--policy-pack DIR` and `--policy-pack-config FILE` (relative to `cwd`) from argv. */
export function splitPolicyFlags(argv: readonly string[], cwd = process.cwd()): PolicyFlags {
  const commands: string[] = [];
  const found: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    if (flag !== "--policy-pack" && flag !== "--policy-pack-config") {
      commands.push(flag);
      continue;
    }
    const value = argv[++i];
    if (value === undefined || value.startsWith("--")) {
      throw new Error(`${flag} needs a ${flag === "--policy-pack" ? "directory" : "file"}`);
    }
    found[flag] = path.resolve(cwd, value);
  }
  return {
    commands,
    ...(found["--policy-pack"] ? { packDir: found["--policy-pack"] } : {}),
    ...(found["--policy-pack-config"] ? { packConfig: found["--policy-pack-config"] } : {}),
  };
}

/** The arguments `pulumi preview`/`up` get for the pack: the shim and the stack's config file. */
export function policyPulumiArgs(shimDir: string, packConfig?: string): string[] {
  return [
    "--policy-pack",
    shimDir,
    ...(packConfig !== undefined ? ["--policy-pack-config", packConfig] : []),
  ];
}

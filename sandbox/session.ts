/**
 * One sandbox session: local Azure up, the real Pulumi CLI run on the unchanged program in the
 * project directory against a `sandbox` stack (file backend and PULUMI_HOME under `.sandbox/`,
 * simulator plugins for azure-native and azuread, keyless through local Azure's token service),
 * then local Azure down. Nothing is left running.
 */
import { spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { installPlugins } from "./install";
import { SandboxAzure, startSandboxAzure } from "./localAzure";
import { SANDBOX_ENV } from "./plugin/main";
import { installPolicyRunner, policyPulumiArgs } from "./policyPack";

export const COMMANDS = ["up", "preview", "refresh", "destroy", "compare"] as const;
export type SandboxCommand = (typeof COMMANDS)[number];

export const STACK = "sandbox";
/** Fixed: Pulumi.sandbox.yaml's encryptionsalt was made with it; the sandbox holds no secrets. */
export const PASSPHRASE = "sandbox";

/** The project directory: every CLI command runs here. */
export const REPO = path.resolve(__dirname, "..");

/** Where a session keeps its state (ignored by git). */
export function sandboxDir(repo = REPO): string {
  return path.join(repo, ".sandbox");
}

/** Streams of a session, and a hook after each successful command (tests inspect local Azure). */
export interface SandboxIo {
  readonly log: (line: string) => void;
  readonly afterCommand?: (
    command: SandboxCommand,
    session: { azure: SandboxAzure; env: NodeJS.ProcessEnv },
  ) => Promise<void> | void;
}

/** The Pulumi CLI's bin dir from scripts/get-pulumi.sh (builds and caches it on first use). */
function pulumiBinDir(io: SandboxIo): string {
  io.log("sandbox: providing the Pulumi CLI and its Node.js language host (scripts/get-pulumi.sh)");
  const res = spawnSync("bash", [path.join(REPO, "scripts", "get-pulumi.sh")], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
  });
  const dir = res.stdout.trim().split("\n").pop() ?? "";
  if (res.status !== 0 || !fs.existsSync(path.join(dir, "pulumi"))) {
    throw new Error(`scripts/get-pulumi.sh failed (exit ${res.status}); see its output above`);
  }
  if (!fs.existsSync(path.join(dir, "pulumi-language-nodejs"))) {
    throw new Error(
      `${dir} has no pulumi-language-nodejs; \`pulumi up\` cannot run a TypeScript program without it. ` +
        "Install Pulumi (https://www.pulumi.com/docs/install/), or remove that pulumi from PATH so get-pulumi.sh builds one",
    );
  }
  return dir;
}

/** Environment of the CLI: offline file backend, sandbox PULUMI_HOME, transpile-only ts-node. */
function cliEnv(dir: string, binDir: string, azureEnv: Record<string, string>): NodeJS.ProcessEnv {
  return {
    ...process.env,
    ...azureEnv,
    [SANDBOX_ENV]: dir,
    PULUMI_HOME: path.join(dir, "pulumi-home"),
    PULUMI_BACKEND_URL: `file://${path.join(dir, "state")}`,
    PULUMI_CONFIG_PASSPHRASE: PASSPHRASE,
    // Type safety is `npm test`'s (tsc); a type check per program run costs ~13 s.
    PULUMI_NODEJS_TRANSPILE_ONLY: "true",
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    PULUMI_DIY_BACKEND_NO_LEGACY_WARNING: "true",
    PULUMI_SUPPRESS_NEO_LINK: "true",
    PULUMI_BIN: path.join(binDir, "pulumi"),
    PATH: `${path.join(REPO, "node_modules", ".bin")}:${binDir}:${process.env.PATH ?? ""}`,
  };
}

/** Runs a command in the project directory with the terminal attached; resolves its exit code. */
function run(file: string, args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { cwd: REPO, env, stdio: "inherit" });
    child.on("error", reject);
    child.on("close", (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });
}

function quiet(file: string, args: string[], env: NodeJS.ProcessEnv) {
  return spawnSync(file, args, { cwd: REPO, env, encoding: "utf8" });
}

/** Selects the sandbox stack, creating it (with Pulumi.sandbox.yaml's salt) when missing. */
function selectStack(env: NodeJS.ProcessEnv, io: SandboxIo): void {
  if (quiet("pulumi", ["stack", "select", STACK], env).status === 0) return;
  io.log(`sandbox: creating the ${STACK} stack`);
  const init = quiet("pulumi", ["stack", "init", STACK], env);
  if (init.status !== 0) throw new Error(`pulumi stack init ${STACK} failed:\n${init.stderr}`);
}

const PULUMI_ARGS: Record<Exclude<SandboxCommand, "compare">, string[]> = {
  up: ["up", "--yes"],
  preview: ["preview", "--diff"],
  refresh: ["refresh", "--yes"],
  destroy: ["destroy", "--yes"],
};

/** The CrossGuard pack a session's previews and ups run (`--policy-pack`, `--policy-pack-config`). */
export interface SandboxPolicy {
  readonly packDir: string;
  readonly packConfig?: string;
}

async function runCommand(
  cmd: SandboxCommand,
  env: NodeJS.ProcessEnv,
  io: SandboxIo,
  policyArgs: readonly string[],
): Promise<number> {
  const started = Date.now();
  io.log(`sandbox: ${cmd === "compare" ? "npm run compare" : `pulumi ${cmd}`} (${STACK} stack)`);
  let code: number;
  if (cmd === "compare") {
    // A child process: NODE_EXTRA_CA_CERTS (local Azure's CA) is read by Node only at start.
    const node = path.join(REPO, "node_modules", ".bin", "node");
    const script = path.join(REPO, "scripts", "compare.ts");
    code = await run(
      node,
      ["-r", "ts-node/register/transpile-only", script, "--stack", STACK],
      env,
    );
  } else {
    const policy = cmd === "up" || cmd === "preview" ? policyArgs : [];
    code = await run("pulumi", [...PULUMI_ARGS[cmd], "--stack", STACK, ...policy], env);
    if (code === 0 && cmd === "up") {
      io.log("sandbox: stack outputs");
      await run("pulumi", ["stack", "output", "--stack", STACK], env);
    }
  }
  io.log(
    `sandbox: ${cmd} ${code === 0 ? "done" : `failed (exit ${code})`} in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
  return code;
}

/** A started session: local Azure up, the CLI's environment ready; `close` stops local Azure. */
export interface SandboxSession {
  readonly azure: SandboxAzure;
  /** Environment for the Pulumi CLI (and anything it starts). */
  readonly env: NodeJS.ProcessEnv;
  /** `.sandbox/` (state, plugin cache, CA). */
  readonly dir: string;
  /** `--policy-pack ...` arguments of the session's policy, empty without one. */
  readonly policyArgs: readonly string[];
  close(): Promise<void>;
}

/**
 * Starts a session: provides the CLI and the simulator plugins, starts local Azure and empties the
 * file backend (local Azure starts empty, so earlier state would describe resources it lacks).
 */
export async function startSession(io: SandboxIo, policy?: SandboxPolicy): Promise<SandboxSession> {
  const dir = sandboxDir();
  const binDir = pulumiBinDir(io);
  fs.mkdirSync(path.join(dir, "state"), { recursive: true });
  installPlugins(dir, path.join(dir, "pulumi-home"));
  // The 2023 language host cannot run a `runtime: nodejs` pack; a shim runs it (sandbox/policyPack.ts).
  const policyArgs = policy
    ? policyPulumiArgs(
        installPolicyRunner(dir, path.join(dir, "pulumi-home"), policy.packDir),
        policy.packConfig,
      )
    : [];
  io.log("sandbox: starting local Azure (ARM, token service, data planes; HTTPS)");
  const azure = await startSandboxAzure(dir, io.log);
  if (!azure.persistent) {
    fs.rmSync(path.join(dir, "state"), { recursive: true, force: true });
    fs.mkdirSync(path.join(dir, "state"), { recursive: true });
  }
  return {
    azure,
    env: cliEnv(dir, binDir, azure.env),
    dir,
    policyArgs,
    close: async () => {
      await azure.close();
      io.log("sandbox: local Azure stopped");
    },
  };
}

/**
 * Runs the commands in order in one session (`up` is followed by `compare`), stopping at the
 * first failure; returns the exit code.
 */
export async function runSandbox(
  commands: readonly SandboxCommand[],
  io: SandboxIo,
  policy?: SandboxPolicy,
): Promise<number> {
  const session = await startSession(io, policy);
  try {
    const { azure, env, policyArgs } = session;
    selectStack(env, io);
    const plan = commands.flatMap((c) => (c === "up" ? (["up", "compare"] as const) : [c]));
    for (const cmd of plan) {
      const code = await runCommand(cmd, env, io, policyArgs);
      if (code !== 0) return code;
      await io.afterCommand?.(cmd, { azure, env });
    }
    return 0;
  } finally {
    await session.close();
  }
}

import { spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

export const REPO_ROOT = path.resolve(__dirname, "..", "..", "..");
const RUNNER = path.join(__dirname, "runner.ts");

/** The Pulumi CLI's bin dir: from PATH, the cache, or a Go build (scripts/get-pulumi.sh). */
export function pulumiBinDir(): string {
  const result = spawnSync("bash", [path.join(REPO_ROOT, "scripts", "get-pulumi.sh")], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
  });
  const dir = result.stdout.trim().split("\n").pop() ?? "";
  if (result.status !== 0 || !fs.existsSync(path.join(dir, "pulumi"))) {
    throw new Error(`scripts/get-pulumi.sh failed (exit ${result.status}); see its output above`);
  }
  return dir;
}

/** What one command printed and how it ended. */
export interface CliRun {
  code: number | null;
  output: string;
  ms: number;
  /** The Automation API result (change summary, outputs) of an engine operation. */
  result?: { summary: Record<string, number>; outputs?: Record<string, unknown> };
  error?: string;
}

/**
 * One offline Pulumi workspace: a file backend and PULUMI_HOME in a temp dir, a passphrase secrets
 * provider, no update checks and no plugin downloads (the dynamic-provider plugin comes from PATH).
 */
export class OfflinePulumi {
  readonly stateDir = fs.mkdtempSync(path.join(os.tmpdir(), "aoift-e2e-"));
  readonly workDir = path.join(this.stateDir, "project");
  readonly env: NodeJS.ProcessEnv;
  readonly timings: { command: string; ms: number }[] = [];

  constructor(
    binDir: string,
    readonly stack: string,
    extraEnv: Record<string, string>,
  ) {
    fs.mkdirSync(this.workDir);
    fs.writeFileSync(path.join(this.workDir, "Pulumi.yaml"), "name: aoift-e2e\nruntime: nodejs\n");
    // The dynamic-provider plugin resolves @pulumi/pulumi from the project directory.
    fs.symlinkSync(path.join(REPO_ROOT, "node_modules"), path.join(this.workDir, "node_modules"));
    this.env = {
      ...process.env,
      PULUMI_BACKEND_URL: `file://${this.stateDir}`,
      PULUMI_HOME: path.join(this.stateDir, ".pulumi"),
      PULUMI_CONFIG_PASSPHRASE: "e2e-passphrase",
      PULUMI_SKIP_UPDATE_CHECK: "true",
      PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
      PULUMI_AUTOMATION_API_SKIP_VERSION_CHECK: "true",
      PULUMI_DIY_BACKEND_NO_LEGACY_WARNING: "true",
      PULUMI_SUPPRESS_NEO_LINK: "true",
      PULUMI_SKIP_CONFIRMATIONS: "true",
      // The runner is started in the temp project directory; compile with the repository's settings.
      TS_NODE_PROJECT: path.join(REPO_ROOT, "tsconfig.json"),
      PATH: `${path.join(REPO_ROOT, "node_modules", ".bin")}:${binDir}:${process.env.PATH}`,
      ...extraEnv,
    };
  }

  private spawnTimed(
    label: string,
    file: string,
    args: string[],
    onSpawn?: (pid: number) => void,
  ): Promise<CliRun> {
    const started = Date.now();
    return new Promise((resolve, reject) => {
      const child = spawn(file, args, {
        cwd: this.workDir,
        env: this.env,
        detached: true,
        stdio: ["ignore", "pipe", "pipe"],
      });
      let output = "";
      child.stdout.on("data", (d) => (output += d));
      child.stderr.on("data", (d) => (output += d));
      child.on("error", reject);
      child.on("close", (code) => {
        const ms = Date.now() - started;
        this.timings.push({ command: label, ms });
        resolve({ code, output, ms });
      });
      if (onSpawn && child.pid) onSpawn(child.pid);
    });
  }

  /** Runs a plain CLI command (stack, config, export, cancel) in the project directory. */
  cli(args: string[]): Promise<CliRun> {
    return this.spawnTimed(`pulumi ${args.join(" ")}`, "pulumi", [...args, "--non-interactive"]);
  }

  /** Runs an engine operation (up, preview, refresh, destroy) on the inline program. */
  async engine(
    command: "up" | "preview" | "refresh" | "destroy",
    opts: { onSpawn?: (pid: number) => void } = {},
  ): Promise<CliRun> {
    const node = path.join(REPO_ROOT, "node_modules", ".bin", "node");
    const run = await this.spawnTimed(
      `pulumi ${command} (automation)`,
      node,
      ["-r", "ts-node/register/transpile-only", RUNNER, command, this.workDir, this.stack],
      opts.onSpawn,
    );
    const result = /@@result@@ (.*)$/m.exec(run.output);
    const error = /@@error@@ (.*)$/m.exec(run.output);
    return {
      ...run,
      result: result ? JSON.parse(result[1]) : undefined,
      error: error ? JSON.parse(error[1]) : undefined,
    };
  }

  /** Like cli/engine, but fails with the output when the command did not succeed. */
  async ok(run: Promise<CliRun>): Promise<CliRun> {
    const done = await run;
    if (done.code !== 0) {
      throw new Error(`command failed (exit ${done.code})\n${done.output}`);
    }
    return done;
  }

  /**
   * Pids of processes started for this workspace (they inherit its PULUMI_HOME), e.g. plugin
   * processes orphaned when a test kills the CLI.
   */
  processes(): number[] {
    const marker = `PULUMI_HOME=${this.env.PULUMI_HOME}\0`;
    const pids: number[] = [];
    for (const entry of fs.readdirSync("/proc")) {
      if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
      try {
        if (`${fs.readFileSync(`/proc/${entry}/environ`, "latin1")}\0`.includes(marker)) {
          pids.push(Number(entry));
        }
      } catch {
        // gone, or not ours to read
      }
    }
    return pids;
  }

  cleanup(): void {
    for (const pid of this.processes()) {
      try {
        process.kill(pid, "SIGKILL");
      } catch {
        // already gone
      }
    }
    fs.rmSync(this.stateDir, { recursive: true, force: true });
  }
}

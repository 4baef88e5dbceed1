/**
 * A scenario of the whole-program e2e suite: one sandbox session (sandbox/session.ts: local Azure
 * over HTTPS, the real Pulumi CLI, the simulator plugins) with the unchanged program on its own
 * stack. The stack's config is Pulumi.sandbox.yaml plus the scenario's overrides, written to
 * `.sandbox/stacks/Pulumi.<stack>.yaml` and passed with `--config-file`, so the tracked file is
 * never touched. Every command's exit code, output, time and requests per plane are returned.
 */
import { ChildProcess, spawn } from "node:child_process";
import * as fs from "node:fs";
import https from "node:https";
import * as path from "node:path";
import * as yaml from "js-yaml";
import { SANDBOX_IDS, type SandboxAzure } from "../../../sandbox/localAzure";
import { REPO, SandboxSession, startSession } from "../../../sandbox/session";

/** The program's config namespace (Pulumi.yaml `name`). */
const NAMESPACE = "azure-openai-finetune";
const MUTATING = new Set(["PUT", "PATCH", "POST", "DELETE"]);

/** Requests one plane received, `METHOD path status`, oldest first. */
export interface PlaneRequests {
  readonly reads: number;
  readonly mutating: number;
  readonly requests: readonly string[];
}

/** Requests per plane over some span (a command, or since `counter()`). */
export interface RequestCounts {
  readonly arm: PlaneRequests;
  readonly dataPlane: PlaneRequests;
  readonly graph: PlaneRequests;
}

/** What one CLI command did. */
export interface CommandResult {
  readonly args: readonly string[];
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  /** stdout and stderr interleaved as they came. */
  readonly output: string;
  readonly seconds: number;
  readonly requests: RequestCounts;
}

/** A CLI command still running (kill it with `child.kill(...)`). */
export interface RunningCommand {
  readonly child: ChildProcess;
  readonly done: Promise<CommandResult>;
}

/** The response of a local Azure admin (or any HTTPS) call. */
export interface AdminResponse {
  readonly status: number;
  readonly body: unknown;
}

/** A stack export: the raw text (for secret checks) and the parsed deployment. */
export interface StackExport {
  readonly text: string;
  readonly resources: readonly StateResource[];
}

export interface StateResource {
  readonly urn: string;
  readonly type: string;
  readonly id?: string;
  readonly inputs?: Record<string, unknown>;
  readonly outputs?: Record<string, unknown>;
}

/** Options of `startScenario`. */
export interface ScenarioOptions {
  /** Stack name, unique per scenario file (e.g. `e2e-lifecycle`). */
  readonly stack: string;
  /**
   * Overrides of Pulumi.sandbox.yaml's config; keys without a namespace get the program's;
   * `undefined` removes a key.
   */
  readonly config?: Readonly<Record<string, unknown>>;
  /** Acts on local Azure after it starts and before the first command (e.g. out-of-band setup). */
  readonly before?: (scenario: Scenario) => Promise<void> | void;
  /** Progress lines (default: stdout). Command output goes here too when SANDBOX_VERBOSE is set. */
  readonly log?: (line: string) => void;
}

function fullKey(key: string): string {
  return key.includes(":") ? key : `${NAMESPACE}:${key}`;
}

function plane(lines: readonly string[]): PlaneRequests {
  const mutating = lines.filter((l) => MUTATING.has(l.split(" ")[0])).length;
  return { reads: lines.length - mutating, mutating, requests: [...lines] };
}

/** Collections whose next path segment is a name or id (ARM, data plane, Graph). */
const NAMED = new Set(
  [
    "subscriptions",
    "resourcegroups",
    "accounts",
    "deployments",
    "projects",
    "roleassignments",
    "roledefinitions",
    "locations",
    "operationstatuses",
    "operationresults",
    "deletedaccounts",
    "files",
    "jobs",
    "models",
    "uploads",
    "applications",
    "serviceprincipals",
    "federatedidentitycredentials",
  ].map((c) => c.toLowerCase()),
);

/**
 * A request line without its names, so counts can be asserted exactly:
 * `PUT /subscriptions/1/resourceGroups/rg 201` → `PUT /subscriptions/{}/resourceGroups/{} 201`.
 */
export function requestShape(line: string): string {
  const [method, url, ...rest] = line.split(" ");
  const segments = url.split("/");
  const shaped = segments.map((seg, i) =>
    i > 0 && NAMED.has(segments[i - 1].toLowerCase()) && seg !== "" ? "{}" : seg,
  );
  return [method, shaped.join("/"), ...rest].join(" ");
}

/** Requests counted by shape (keys sorted); `mutating` keeps only PUT, PATCH, POST, DELETE. */
export function tally(
  requests: PlaneRequests,
  which: "all" | "mutating" = "all",
): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const line of requests.requests) {
    if (which === "mutating" && !MUTATING.has(line.split(" ")[0])) continue;
    const key = requestShape(line);
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return Object.fromEntries(Object.entries(counts).sort(([a], [b]) => a.localeCompare(b)));
}

/** The whole program on its own stack in a running sandbox session. */
export class Scenario {
  readonly stack: string;
  /** The stack's config file (pass `configArgs` to commands that read config). */
  readonly configFile: string;
  readonly log: (line: string) => void;
  /** Commands run so far, for a timing summary. */
  readonly timings: { readonly command: string; readonly seconds: number }[] = [];

  constructor(
    readonly session: SandboxSession,
    options: ScenarioOptions,
  ) {
    this.stack = options.stack;
    this.log = options.log ?? ((line) => console.log(line));
    this.configFile = path.join(session.dir, "stacks", `Pulumi.${this.stack}.yaml`);
  }

  get azure(): SandboxAzure {
    return this.session.azure;
  }

  get env(): NodeJS.ProcessEnv {
    return this.session.env;
  }

  /** `--stack <stack>`. */
  get stackArgs(): string[] {
    return ["--stack", this.stack];
  }

  /** `--stack <stack> --config-file <file>` (preview, up, refresh, destroy, config). */
  get configArgs(): string[] {
    return [...this.stackArgs, "--config-file", this.configFile];
  }

  /** A counter of requests per plane from now on; call it to read. */
  counter(): () => RequestCounts {
    const a = this.azure;
    const from = [a.armRequests.length, a.dataPlaneRequests.length, a.graphRequests.length];
    return () => ({
      arm: plane(a.armRequests.slice(from[0])),
      dataPlane: plane(a.dataPlaneRequests.slice(from[1])),
      graph: plane(a.graphRequests.slice(from[2])),
    });
  }

  /** Starts `pulumi <args>` in the project directory; the caller may kill it. */
  start(args: readonly string[]): RunningCommand {
    // SANDBOX_VERBOSE streams the engine's output (not `stack ...` answers such as exports).
    const verbose = Boolean(process.env.SANDBOX_VERBOSE) && args[0] !== "stack";
    const count = this.counter();
    const started = Date.now();
    const child = spawn("pulumi", args, { cwd: REPO, env: this.env });
    const out: string[] = [];
    const err: string[] = [];
    const all: string[] = [];
    const collect = (into: string[]) => (chunk: Buffer) => {
      const text = chunk.toString("utf8");
      into.push(text);
      all.push(text);
      if (verbose) process.stdout.write(text);
    };
    child.stdout.on("data", collect(out));
    child.stderr.on("data", collect(err));
    const done = new Promise<CommandResult>((resolve, reject) => {
      child.on("error", reject);
      child.on("close", (code, signal) => {
        const seconds = (Date.now() - started) / 1000;
        const flag = args.findIndex((a) => a.startsWith("-"));
        const command = `pulumi ${(flag < 0 ? args : args.slice(0, flag)).join(" ")}`;
        this.timings.push({ command, seconds });
        this.log(`e2e: ${command} exit ${code ?? signal} in ${seconds.toFixed(1)} s`);
        resolve({
          args,
          code: code ?? 128,
          stdout: out.join(""),
          stderr: err.join(""),
          output: all.join(""),
          seconds,
          requests: count(),
        });
      });
    });
    return { child, done };
  }

  /** Runs `pulumi <args>` to the end. */
  pulumi(args: readonly string[]): Promise<CommandResult> {
    return this.start(args).done;
  }

  preview(extra: readonly string[] = []): Promise<CommandResult> {
    return this.pulumi(["preview", "--diff", ...this.configArgs, ...extra]);
  }

  up(extra: readonly string[] = []): Promise<CommandResult> {
    return this.pulumi(["up", "--yes", "--skip-preview", ...this.configArgs, ...extra]);
  }

  refresh(extra: readonly string[] = []): Promise<CommandResult> {
    return this.pulumi(["refresh", "--yes", "--skip-preview", ...this.configArgs, ...extra]);
  }

  destroy(extra: readonly string[] = []): Promise<CommandResult> {
    return this.pulumi(["destroy", "--yes", "--skip-preview", ...this.configArgs, ...extra]);
  }

  /** `pulumi stack export`: throws when it fails. */
  async exportStack(): Promise<StackExport> {
    const res = await this.pulumi(["stack", "export", ...this.stackArgs]);
    if (res.code !== 0) throw new Error(`pulumi stack export failed:\n${res.output}`);
    const deployment = JSON.parse(res.stdout).deployment as { resources?: StateResource[] };
    return { text: res.stdout, resources: deployment.resources ?? [] };
  }

  /** The stack's outputs (`pulumi stack output --json`). */
  async outputs(): Promise<Record<string, unknown>> {
    const res = await this.pulumi(["stack", "output", "--json", ...this.stackArgs]);
    if (res.code !== 0) throw new Error(`pulumi stack output failed:\n${res.output}`);
    return JSON.parse(res.stdout) as Record<string, unknown>;
  }

  /** The stack's config as written (full keys). */
  config(): Record<string, unknown> {
    const file = yaml.load(fs.readFileSync(this.configFile, "utf8")) as { config?: object };
    return { ...(file.config ?? {}) };
  }

  /** Changes config keys (as `ScenarioOptions.config`) for the next commands. */
  setConfig(overrides: Readonly<Record<string, unknown>>): void {
    const file = yaml.load(fs.readFileSync(this.configFile, "utf8")) as Record<string, unknown>;
    const config = { ...((file.config as Record<string, unknown>) ?? {}) };
    for (const [key, value] of Object.entries(overrides)) {
      if (value === undefined) delete config[fullKey(key)];
      else config[fullKey(key)] = value;
    }
    fs.writeFileSync(this.configFile, yaml.dump({ ...file, config }));
  }

  /**
   * An HTTPS call to local Azure: `pathOrUrl` is a path on ARM's endpoint (the admin API is
   * `/_emulator/arm/...`, `/_emulator/identity/...`) or a full URL (a data plane's admin API).
   */
  admin(
    method: string,
    pathOrUrl: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<AdminResponse> {
    const url = new URL(pathOrUrl, this.azure.endpoint);
    const payload = body === undefined ? undefined : JSON.stringify(body);
    return new Promise((resolve, reject) => {
      const req = https.request(
        url,
        {
          method,
          ca: this.azure.caPem,
          headers: { ...(payload ? { "content-type": "application/json" } : {}), ...headers },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("end", () => {
            const text = Buffer.concat(chunks).toString("utf8");
            let parsed: unknown = text;
            try {
              parsed = text ? JSON.parse(text) : undefined;
            } catch {
              // not JSON: keep the text
            }
            resolve({ status: res.statusCode ?? 0, body: parsed });
          });
        },
      );
      req.on("error", reject);
      req.end(payload);
    });
  }

  /**
   * A data-plane token for `objectId` (default: local Azure's deployer identity) from local Azure's
   * token service, for acting on an account's data plane out of band.
   */
  async dataPlaneToken(objectId = SANDBOX_IDS.deployer.objectId): Promise<string> {
    const res = await this.admin("POST", "/_emulator/identity/tokens", {
      objectId,
      resource: "https://cognitiveservices.azure.com",
    });
    if (res.status !== 200)
      throw new Error(`token service: ${res.status} ${JSON.stringify(res.body)}`);
    return (res.body as { access_token: string }).access_token;
  }

  /** Stops local Azure; prints the scenario's timings. */
  async close(): Promise<void> {
    const total = this.timings.reduce((sum, t) => sum + t.seconds, 0);
    this.log(
      `e2e: ${this.stack} timings: ` +
        this.timings.map((t) => `${t.command} ${t.seconds.toFixed(1)} s`).join(", ") +
        ` (${total.toFixed(1)} s in commands)`,
    );
    await this.session.close();
  }
}

/** Writes the scenario's config file and a project file next to it for `pulumi stack init`. */
function writeStackFiles(dir: string, stack: string): void {
  fs.mkdirSync(dir, { recursive: true });
  const base = yaml.load(fs.readFileSync(path.join(REPO, "Pulumi.sandbox.yaml"), "utf8")) as Record<
    string,
    unknown
  >;
  fs.writeFileSync(path.join(dir, `Pulumi.${stack}.yaml`), yaml.dump(base));
  const project = yaml.load(fs.readFileSync(path.join(REPO, "Pulumi.yaml"), "utf8")) as {
    name: string;
    runtime: unknown;
  };
  fs.writeFileSync(
    path.join(dir, "Pulumi.yaml"),
    yaml.dump({ name: project.name, runtime: project.runtime }),
  );
}

/**
 * Starts a session and creates the scenario's stack. `pulumi stack init` runs in
 * `.sandbox/stacks/` (a copy of the project's name), so the stack file it would write lands
 * there, holding Pulumi.sandbox.yaml's salt for the fixed passphrase, and not in the project.
 */
export async function startScenario(options: ScenarioOptions): Promise<Scenario> {
  const log = options.log ?? ((line: string) => console.log(line));
  const session = await startSession({ log });
  try {
    const scenario = new Scenario(session, options);
    const dir = path.dirname(scenario.configFile);
    writeStackFiles(dir, options.stack);
    scenario.setConfig(options.config ?? {});
    const init = await scenario.pulumi(["stack", "init", options.stack, "--cwd", dir]);
    if (init.code !== 0) throw new Error(`pulumi stack init ${options.stack}:\n${init.output}`);
    await options.before?.(scenario);
    return scenario;
  } catch (err) {
    await session.close();
    throw err;
  }
}

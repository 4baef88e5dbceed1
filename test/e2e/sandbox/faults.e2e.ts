/**
 * Faults on the whole program (index.ts, unchanged) through the sandbox, on one stack in one local
 * Azure, in order: the first `up` with the CI identities (Microsoft Graph) and a Foundry project
 * while the job create's response is lost; previews that must fail before any request (invalid
 * data, the cost cap); and the CLI killed while the job trains, then the recovery documented in
 * docs/troubleshooting.md. Each asserts on the requests per plane and on `pulumi stack export`.
 */
import { expect } from "chai";
import * as fs from "node:fs";
import * as path from "node:path";
import {
  CommandResult,
  RequestCounts,
  Scenario,
  StackExport,
  startScenario,
  tally,
} from "./harness";

const STACK = "e2e-faults";
/** `pulumi stack export`'s pending operations (absent when there are none). */
type Deployment = { pending_operations?: { resource: { urn: string }; type: string }[] };

const JOB_TYPE = "pulumi-nodejs:dynamic/azure-openai:FineTuningJob";
const JOB_NAME = "ft-sandbox-tuned-job";
const JOB_CREATE = "POST /openai/fine_tuning/jobs";
/** Where the simulator plugins run from (sandbox/install.ts). */
const SIMULATOR = "/.sandbox/simulators/";
/** The DIY backend's refusal while a lock file exists (pulumi/pulumi pkg/backend/diy/lock.go @ v3.259.0). */
const LOCKED =
  "the stack is currently locked by 1 lock(s). Either wait for the other process(es) to end or delete the lock file with `pulumi cancel`.";

function ok(res: CommandResult): CommandResult {
  expect(res.code, res.output).to.equal(0);
  return res;
}

/** No request on any plane, reads included. */
function expectSilent(requests: RequestCounts): void {
  expect({
    arm: requests.arm.requests,
    dataPlane: requests.dataPlane.requests,
    graph: requests.graph.requests,
  }).to.deep.equal({ arm: [], dataPlane: [], graph: [] });
}

function ofType(state: StackExport, type: string) {
  return state.resources.filter((r) => r.type === type);
}

/** The stack's pending operations, as `type name`. */
function pendingOperations(state: StackExport): string[] {
  const ops = (JSON.parse(state.text).deployment as Deployment).pending_operations ?? [];
  return ops.map((op) => `${op.type} ${op.resource.urn.split("::").pop()}`);
}

/** Training data of our own: `n` short travel questions; `edition` makes the content unique. */
function trainingData(edition: string, n = 10): string {
  const places = ["Porto", "Kyoto", "Oslo", "Quito", "Hanoi", "Lima", "Tunis", "Riga", "Cusco"];
  return Array.from({ length: n }, (_, i) => {
    const place = places[i % places.length];
    return JSON.stringify({
      messages: [
        { role: "system", content: "You are a brief travel assistant." },
        { role: "user", content: `Is ${place} walkable in a day? (${i})` },
        { role: "assistant", content: `Mostly: ${place}'s centre is compact. ${edition}.` },
      ],
    });
  }).join("\n");
}

/** Pids of every process below `pid` (Linux /proc). */
function descendants(pid: number): number[] {
  const parents = new Map<number, number>();
  for (const entry of fs.readdirSync("/proc").filter((e) => /^\d+$/.test(e))) {
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
      parents.set(Number(entry), Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]));
    } catch {
      // exited meanwhile
    }
  }
  const found: number[] = [];
  const walk = (p: number) =>
    [...parents].filter(([, ppid]) => ppid === p).forEach(([c]) => (found.push(c), walk(c)));
  walk(pid);
  return found;
}

/** The processes of `pids` still running (not exited, not a zombie), with their command lines. */
function running(pids: readonly number[]): string[] {
  return pids.flatMap((pid) => {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
      if (stat.slice(stat.lastIndexOf(")") + 2).startsWith("Z")) return [];
      return [`${pid} ${fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").replace(/\0/g, " ")}`];
    } catch {
      return [];
    }
  });
}

async function until<T>(what: string, probe: () => T | undefined, ms: number): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe("sandbox e2e: faults on the whole program against local Azure", function () {
  this.timeout(10 * 60_000);
  let s: Scenario;
  let first: CommandResult;
  let dataDir: string;

  /** The one account's data plane (`https://127.0.0.1:<port>/`). */
  function dataPlane(): string | undefined {
    return [...s.azure.arm.accounts.values()][0]?.dataPlane?.endpoint;
  }

  /** Job creates the data plane received so far, lost responses included (its own counters). */
  async function jobCreates(): Promise<number> {
    const res = await s.admin("GET", `${dataPlane()}_emulator/requests`);
    return (res.body as { routes: Record<string, number> }).routes[JOB_CREATE] ?? 0;
  }

  /** Jobs on the data plane, as `id status`. */
  async function jobs(): Promise<string[]> {
    const res = await s.admin("GET", `${dataPlane()}_emulator/state`);
    return (res.body as { jobs: { id: string; status: string }[] }).jobs.map(
      (j) => `${j.id} ${j.status}`,
    );
  }

  function writeData(name: string, text: string): string {
    const file = path.join(dataDir, name);
    fs.writeFileSync(file, text);
    return file;
  }

  before(async () => {
    s = await startScenario({
      stack: STACK,
      config: { ciRepository: "contoso/ml-platform", ciEnvironments: ["sandbox"] },
    });
    dataDir = path.join(s.session.dir, "e2e-faults-data");
    fs.mkdirSync(dataDir, { recursive: true });
  });

  after(async () => {
    await s?.close();
  });

  it("the first up survives a lost job-create response: the retry finds the committed job, one in all", async () => {
    const pending = s.up();
    // Armed once the account's data plane exists, long before the job is posted (upload first).
    const endpoint = await until("the account's data plane", dataPlane, 120_000);
    const fault = await s.admin("POST", `${endpoint}_emulator/faults`, {
      kind: "loseResponse",
      method: "POST",
      path: "/openai/fine_tuning/jobs",
    });
    expect(fault.status).to.equal(201);
    first = ok(await pending);
    const listed = await jobs();
    const jobId = listed[0]?.split(" ")[0];
    expect(listed).to.deep.equal([`${jobId} succeeded`]);
    // The POST was committed and its answer lost; the retry found that job instead of posting again.
    expect(first.output).to.match(
      /retrying create fine-tuning job after connection error UND_ERR_SOCKET in \d+\.\d s \(attempt 2\/6\)/,
    );
    expect(await jobCreates()).to.equal(1);
    const state = await s.exportStack();
    expect(ofType(state, JOB_TYPE).map((r) => r.id)).to.deep.equal([jobId]);
    expect((await s.outputs()).fineTuningJobId).to.equal(jobId);
  });

  it("the same up created the CI identities through Graph and the project after the base deployment", async () => {
    expect(tally(first.requests.graph, "mutating")).to.deep.equal({
      "POST /v1.0/applications 201": 2,
      "POST /v1.0/applications/{}/federatedIdentityCredentials 201": 3,
      "POST /v1.0/servicePrincipals 201": 2,
    });
    const state = await s.exportStack();
    const principals = ofType(state, "azuread:index/servicePrincipal:ServicePrincipal").map(
      (r) => r.outputs?.objectId as string,
    );
    expect(principals).to.have.length(2);
    // ARM accepted their role assignments as ServicePrincipal: local Azure found them in Graph.
    const assigned = [...s.azure.arm.roleAssignments.values()].filter((a) =>
      principals.includes(a.principalId),
    );
    expect(new Set(assigned.map((a) => a.principalType))).to.deep.equal(
      new Set(["ServicePrincipal"]),
    );
    const outputs = await s.outputs();
    const apps = ofType(state, "azuread:index/application:Application");
    expect(apps.map((a) => a.outputs?.clientId).sort()).to.deep.equal(
      [outputs.ciClientId, outputs.ciPreviewClientId].sort(),
    );
    const [account] = [...s.azure.arm.accounts.values()];
    expect([...account.projects.keys()]).to.deep.equal(["travel-lab"]);
    // One write at a time per account: no RequestConflict anywhere.
    expect(first.requests.arm.requests.filter((l) => l.endsWith(" 409"))).to.deep.equal([]);
  });

  it("invalid training data fails preview with the line and the reason, before any request", async () => {
    const before = s.config()["azure-openai-finetune:trainingFile"];
    const bad = writeData("invalid.jsonl", `${trainingData("bad", 9)}\n{"messages": [}\n`);
    s.setConfig({ trainingFile: bad });
    const res = await s.preview();
    s.setConfig({ trainingFile: before });
    expect(res.code).to.not.equal(0);
    expect(res.output).to.include(
      "error: pulumi-nodejs:dynamic/azure-openai:TrainingFile resource 'ft-sandbox-tuned-training-file': " +
        `property path value {${bad}} has a problem: ${bad}:10: is not valid JSON (unexpected character '}'); ` +
        "each line must hold one complete JSON object",
    );
    expectSilent(res.requests);
  });

  it("a cost cap below the count fails preview naming the key, before any request", async () => {
    const before = s.config()["azure-openai-finetune:maxBilledTokens"];
    s.setConfig({ maxBilledTokens: 100 });
    const res = await s.preview();
    s.setConfig({ maxBilledTokens: before });
    expect(res.code).to.not.equal(0);
    // data/travel-assistant.jsonl (Pulumi.sandbox.yaml): 1628 tokens by the validator, and local
    // Azure's job reported 4884 trained tokens for it in the first up.
    expect(res.output).to.include(
      "error: pulumi-nodejs:dynamic/azure-openai:TrainingFile resource 'ft-sandbox-tuned-training-file': " +
        "property maxBilledTokens value {100} has a problem: training on data/travel-assistant.jsonl " +
        "would bill about 4884 tokens (1628 tokens × 3 epochs), above `azure-openai-finetune:maxBilledTokens` 100; " +
        "shrink the data, lower the epochs, or raise the cap",
    );
    expectSilent(res.requests);
  });

  it("the CLI killed while the job trains: cancel, refresh --clear-pending-creates, up: one job, deployed", async () => {
    s.setConfig({ trainingFile: writeData("second.jsonl", trainingData("second edition")) });
    const createsBefore = await jobCreates();
    const started = s.start(["up", "--yes", "--skip-preview", ...s.configArgs]);
    const pulumiPid = started.child.pid as number;
    let text = "";
    const jobId = await new Promise<string>((resolve, reject) => {
      started.child.stdout?.on("data", (chunk: Buffer) => {
        text += chunk.toString("utf8");
        const created = /fine-tuning job (ftjob-\w+): created/.exec(text);
        if (created) resolve(created[1]);
      });
      started.done.then((r) => reject(new Error(`up ended before the job:\n${r.output}`)));
    });
    const orphans = descendants(pulumiPid);
    started.child.kill("SIGKILL");
    const killed = await started.done;
    expect(killed.code).to.equal(128);
    // The simulators notice the engine is gone and exit (sandbox/plugin/main.ts); whatever else
    // the killed CLI started (its language host, the program) is stopped here, by pid.
    const simulators = () => running(orphans).filter((p) => p.includes(SIMULATOR));
    const stayed = await until(
      "the simulators to exit",
      () => (simulators().length === 0 ? [] : undefined),
      10_000,
    ).catch(simulators);
    running(orphans).forEach((p) => process.kill(Number(p.split(" ")[0]), "SIGKILL"));
    expect(stayed).to.deep.equal([]);

    const locked = await s.up();
    expect(locked.code).to.not.equal(0);
    expect(locked.output).to.include(LOCKED);
    expectSilent(locked.requests);
    const cancel = ok(await s.pulumi(["cancel", "--yes", ...s.stackArgs]));
    expect(cancel.output).to.include(
      `The currently running update for '${STACK}' has been canceled!`,
    );
    expect(pendingOperations(await s.exportStack())).to.deep.equal([`creating ${JOB_NAME}`]);
    ok(await s.refresh(["--clear-pending-creates"]));
    expect(pendingOperations(await s.exportStack())).to.deep.equal([]);
    const up = ok(await s.up());
    expect(up.output).to.include(`fine-tuning job ${jobId}: adopting it (status `);

    expect(await jobCreates()).to.equal(createsBefore + 1);
    expect(await jobs()).to.deep.equal([`${jobId} succeeded`]);
    const state = await s.exportStack();
    expect(ofType(state, JOB_TYPE).map((r) => r.id)).to.deep.equal([jobId]);
    const outputs = await s.outputs();
    expect(outputs.fineTuningJobId).to.equal(jobId);
    const [account] = [...s.azure.arm.accounts.values()];
    const tuned = account.deployments.get(outputs.tunedDeploymentName as string);
    expect(tuned?.properties).to.have.nested.property("model.name", outputs.fineTunedModel);
  });
});

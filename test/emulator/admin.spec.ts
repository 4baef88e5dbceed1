import { expect } from "chai";
import type { RunningEmulator } from "../../emulator/server";
import { client, GA, raw, startFast, trainModel, uploadProcessed } from "./support";

describe("emulator admin API", () => {
  let emulator: RunningEmulator;

  beforeEach(async () => {
    emulator = await startFast();
  });
  afterEach(() => emulator.close());

  it("needs no key and no api-version", async () => {
    const res = await raw(emulator, "GET", "/_emulator/requests", { key: false });
    expect(res.status).to.equal(200);
    expect(res.body).to.deep.equal({ total: 0, mutating: 0, routes: {} });
  });

  it("registers, lists and deletes deployments over HTTP", async () => {
    const created = await raw(emulator, "POST", "/_emulator/deployments", {
      key: false,
      body: { name: "chat", model: "gpt-4o-mini-2024-07-18" },
    });
    expect(created.status).to.equal(201);
    const record = created.body as { createdAt: number };
    expect(created.body).to.deep.equal({
      name: "chat",
      model: "gpt-4o-mini-2024-07-18",
      createdAt: record.createdAt,
    });
    expect(
      (await raw(emulator, "GET", "/_emulator/deployments", { key: false })).body,
    ).to.deep.equal({
      data: [{ name: "chat", model: "gpt-4o-mini-2024-07-18", createdAt: record.createdAt }],
    });
    expect(
      (await raw(emulator, "DELETE", "/_emulator/deployments/chat", { key: false })).status,
    ).to.equal(204);
    const missing = await raw(emulator, "DELETE", "/_emulator/deployments/chat", { key: false });
    expect(missing.status).to.equal(404);
    expect(missing.body).to.deep.equal({
      error: { code: "notFound", message: "Deployment 'chat' does not exist." },
    });
  });

  it("refuses a deployment of a model the resource does not have, naming the usable ones", async () => {
    const res = await raw(emulator, "POST", "/_emulator/deployments", {
      key: false,
      body: { name: "x1", model: "gpt-9" },
    });
    expect(res.status).to.equal(400);
    expect(res.body).to.deep.equal({
      error: {
        code: "invalidPayload",
        message:
          "The model 'gpt-9' does not exist on this resource; use a base model (gpt-4o-2024-08-06, gpt-4o-mini-2024-07-18, " +
          "gpt-4.1-2025-04-14, gpt-4.1-mini-2025-04-14, gpt-4.1-nano-2025-04-14, o4-mini-2025-04-16, gpt-4o-2024-11-20, " +
          "text-embedding-3-small) or a fine-tuned model of a succeeded job.",
        target: "model",
      },
    });
  });

  it("limits fine-tuned deployments to the resource's maximum", async () => {
    const small = await startFast({ limits: { maxFineTunedDeployments: 1 } });
    try {
      const tuned = (await trainModel(client(small))).fine_tuned_model as string;
      small.admin.registerDeployment("one", tuned);
      small.admin.registerDeployment("one", tuned);
      expect(() => small.admin.registerDeployment("two", tuned)).to.throw(
        "The resource already has 1 fine-tuned model deployments; the maximum is 1.",
      );
    } finally {
      await small.close();
    }
  });

  it("dumps the state, including each job's trainingType", async () => {
    const openai = client(emulator);
    const job = await trainModel(openai, { trainingType: "developerTier", suffix: "dev" });
    const state = (await raw(emulator, "GET", "/_emulator/state", { key: false })).body as {
      files: { purpose: string }[];
      jobs: { id: string; trainingType: string; suffix: string }[];
      models: { id: string; jobId: string; examples: number }[];
    };
    expect(state.files.map((f) => f.purpose)).to.deep.equal(["fine-tune", "fine-tune-results"]);
    expect(state.jobs.map((j) => [j.id, j.trainingType, j.suffix])).to.deep.equal([
      [job.id, "developerTier", "dev"],
    ]);
    expect(state.models.map((m) => [m.id, m.jobId, m.examples])).to.deep.equal([
      [job.fine_tuned_model, job.id, 12],
    ]);
  });

  it("resets counters only, or everything", async () => {
    const openai = client(emulator);
    await uploadProcessed(openai);
    emulator.admin.injectFault({ kind: "latency", latencyMs: 1, path: "/nowhere" });
    const countersOnly = await raw(emulator, "POST", "/_emulator/reset", {
      key: false,
      body: { state: false, faults: false },
    });
    expect(countersOnly.status).to.equal(204);
    expect(emulator.admin.counters()).to.deep.equal({ total: 0, mutating: 0, routes: {} });
    expect(emulator.admin.state().files.length).to.equal(1);
    expect(emulator.admin.faults().length).to.equal(1);
    await raw(emulator, "POST", "/_emulator/reset", { key: false });
    expect(emulator.admin.state()).to.deep.equal({
      files: [],
      uploads: [],
      jobs: [],
      models: [],
      deployments: [],
      faults: [],
      jobFailures: [],
    });
    expect((await raw(emulator, "GET", `/openai/files?api-version=${GA}`)).body).to.deep.equal({
      object: "list",
      data: [],
    });
  });

  it("lists and clears faults and job failures over HTTP", async () => {
    const added = await raw(emulator, "POST", "/_emulator/faults", {
      key: false,
      body: { kind: "serverError", path: "/openai/files" },
    });
    expect(added.status).to.equal(201);
    const rule = added.body as { id: string };
    expect(rule.id).to.match(/^fault-[0-9a-f]{32}$/);
    expect((await raw(emulator, "GET", "/_emulator/faults", { key: false })).body).to.deep.equal({
      data: [{ kind: "serverError", path: "/openai/files", id: rule.id, remaining: 1 }],
    });
    emulator.admin.failJobs({ code: "x", message: "y" });
    expect((await raw(emulator, "DELETE", "/_emulator/faults", { key: false })).status).to.equal(
      204,
    );
    expect(emulator.admin.faults()).to.deep.equal([]);
    expect(emulator.admin.state().jobFailures).to.deep.equal([]);
  });

  it("rejects an invalid fault with a message naming the field", async () => {
    const res = await raw(emulator, "POST", "/_emulator/faults", {
      key: false,
      body: { kind: "explode" },
    });
    expect(res.status).to.equal(400);
    expect(res.body).to.deep.equal({
      error: {
        code: "invalidPayload",
        message:
          'Fault `kind` "explode" is invalid; use one of: throttle, serverError, drop, latency, loseResponse.',
        target: "kind",
      },
    });
  });
});

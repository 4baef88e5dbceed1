import { expect } from "chai";
import { APIConnectionError, InternalServerError, RateLimitError, toFile } from "openai";
import type { RunningEmulator } from "../../emulator/server";
import { client, GA, raw, startFast, trainingJsonl } from "./support";

describe("emulator fault injection and request counters", () => {
  let emulator: RunningEmulator;

  beforeEach(async () => {
    emulator = await startFast();
  });
  afterEach(() => emulator.close());

  it("throttles the next matching request with 429, Retry-After and retry-after-ms, once", async () => {
    emulator.admin.injectFault({
      kind: "throttle",
      method: "GET",
      path: "/openai/files",
      retryAfterMs: 2000,
    });
    const throttled = await raw(emulator, "GET", `/openai/files?api-version=${GA}`);
    expect(throttled.status).to.equal(429);
    expect(throttled.headers.get("retry-after")).to.equal("2");
    expect(throttled.headers.get("retry-after-ms")).to.equal("2000");
    expect(throttled.body).to.deep.equal({
      error: {
        code: "429",
        message:
          "Requests to the Azure OpenAI API have exceeded the call rate limit of your current pricing tier. Please retry after 2 seconds.",
      },
    });
    expect((await raw(emulator, "GET", `/openai/files?api-version=${GA}`)).status).to.equal(200);
  });

  it("lets the openai client retry through throttling, and counts every attempt", async () => {
    emulator.admin.injectFault({
      kind: "throttle",
      path: "/openai/files",
      count: 2,
      retryAfterMs: 1,
    });
    const files = await client(emulator, GA, 2).files.list();
    expect(files.data).to.deep.equal([]);
    expect(emulator.admin.counters()).to.deep.equal({
      total: 3,
      mutating: 0,
      routes: { "GET /openai/files": 3 },
    });
  });

  it("surfaces throttling as RateLimitError when retries run out", async () => {
    emulator.admin.injectFault({ kind: "throttle", path: "/openai/models", retryAfterMs: 0 });
    let error: unknown;
    try {
      await client(emulator).models.list();
    } catch (err) {
      error = err;
    }
    expect(error).to.be.instanceOf(RateLimitError);
  });

  it("answers a server error with 500 or the chosen status and body", async () => {
    emulator.admin.injectFault({
      kind: "serverError",
      method: "POST",
      path: "/openai/fine_tuning/*",
    });
    const res = await raw(emulator, "POST", `/openai/fine_tuning/jobs?api-version=${GA}`, {
      body: {},
    });
    expect(res.status).to.equal(500);
    expect(res.body).to.deep.equal({
      error: {
        code: "InternalServerError",
        message: "The server had an error while processing your request. Sorry about that!",
      },
    });
    emulator.admin.injectFault({
      kind: "serverError",
      status: 503,
      error: { code: "serviceUnavailable", message: "Try later." },
    });
    const custom = await raw(emulator, "GET", `/openai/models?api-version=${GA}`);
    expect({ status: custom.status, body: custom.body }).to.deep.equal({
      status: 503,
      body: { error: { code: "serviceUnavailable", message: "Try later." } },
    });
    let error: unknown;
    emulator.admin.injectFault({ kind: "serverError" });
    try {
      await client(emulator).models.list();
    } catch (err) {
      error = err;
    }
    expect(error).to.be.instanceOf(InternalServerError);
  });

  it("drops the connection of a matching request", async () => {
    emulator.admin.injectFault({
      kind: "drop",
      method: "get",
      path: "/openai/fine_tuning/jobs/:jobId",
    });
    let error: unknown;
    try {
      await client(emulator).fineTuning.jobs.retrieve("ftjob-any");
    } catch (err) {
      error = err;
    }
    expect(error).to.be.instanceOf(APIConnectionError);
    const after = await raw(
      emulator,
      "GET",
      `/openai/fine_tuning/jobs/ftjob-any?api-version=${GA}`,
    );
    expect(after.status).to.equal(404);
  });

  it("handles a request and then loses its response: the create is committed, the client sees a broken connection", async () => {
    emulator.admin.injectFault({ kind: "loseResponse", method: "POST", path: "/openai/files" });
    let error: unknown;
    try {
      await client(emulator).files.create({
        file: await toFile(trainingJsonl(), "train.jsonl"),
        purpose: "fine-tune",
      });
    } catch (err) {
      error = err;
    }
    expect(error).to.be.instanceOf(APIConnectionError);
    expect(emulator.admin.state().files.map((f) => f.filename)).to.deep.equal(["train.jsonl"]);
    expect(emulator.admin.faults()).to.deep.equal([]);
  });

  it("shows why a retried create duplicates: an SDK retry after a lost response makes a second file", async () => {
    emulator.admin.injectFault({ kind: "loseResponse", method: "POST", path: "/openai/files" });
    const created = await client(emulator, GA, 1).files.create({
      file: await toFile(trainingJsonl(), "train.jsonl"),
      purpose: "fine-tune",
    });
    const ids = emulator.admin.state().files.map((f) => f.id);
    expect(ids).to.have.length(2);
    expect(ids).to.include(created.id);
  });

  it("delays a request and then handles it normally", async () => {
    emulator.admin.injectFault({ kind: "latency", latencyMs: 30 });
    const res = await raw(emulator, "GET", `/openai/models/gpt-4o-2024-08-06?api-version=${GA}`);
    expect(res.status).to.equal(200);
    expect(emulator.admin.faults()).to.deep.equal([]);
  });

  it("leaves non-matching requests alone and reports the remaining faults", async () => {
    const rule = emulator.admin.injectFault({
      kind: "throttle",
      method: "DELETE",
      path: "/openai/files/:fileId",
      count: 3,
    });
    expect((await raw(emulator, "GET", `/openai/files?api-version=${GA}`)).status).to.equal(200);
    expect(emulator.admin.faults()).to.deep.equal([
      {
        kind: "throttle",
        method: "DELETE",
        path: "/openai/files/:fileId",
        count: 3,
        id: rule.id,
        remaining: 3,
      },
    ]);
  });

  it("counts requests by method and route pattern, with totals, and not admin calls", async () => {
    const openai = client(emulator);
    await openai.models.list();
    await openai.models.retrieve("gpt-4o-2024-08-06");
    await raw(emulator, "GET", "/openai/v1/models");
    await raw(emulator, "DELETE", `/openai/files/file-x?api-version=${GA}`);
    await raw(emulator, "POST", `/openai/files?api-version=${GA}`, { key: false });
    await raw(emulator, "GET", "/_emulator/state", { key: false });
    const expected = {
      total: 5,
      mutating: 2,
      routes: {
        "DELETE /openai/files/:fileId": 1,
        "GET /openai/models": 1,
        "GET /openai/models/:modelId": 1,
        "GET /openai/v1/models": 1,
        "POST /openai/files": 1,
      },
    };
    expect(emulator.admin.counters()).to.deep.equal(expected);
    expect((await raw(emulator, "GET", "/_emulator/requests", { key: false })).body).to.deep.equal(
      expected,
    );
  });
});

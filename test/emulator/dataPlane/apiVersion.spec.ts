import { expect } from "chai";
import type { RunningEmulator } from "../../../emulator/server";
import { GA, raw, startFast } from "../support";

const UNSUPPORTED = { error: { code: "BadRequest", message: "API version not supported" } };
const DEPLOYMENT_NOT_FOUND = {
  error: {
    code: "DeploymentNotFound",
    message:
      "The API deployment for this resource does not exist. If you created the deployment within the last 5 minutes, please wait a moment and try again.",
  },
};

describe("emulator data-plane api-versions", () => {
  let emulator: RunningEmulator;

  before(async () => {
    emulator = await startFast();
    emulator.admin.registerDeployment("base", "gpt-4o-mini-2024-07-18");
  });
  after(() => emulator.close());

  function chat(deployment: string, version: string) {
    return raw(
      emulator,
      "POST",
      `/openai/deployments/${deployment}/chat/completions?api-version=${version}`,
      { body: { messages: [{ role: "user", content: "Hello" }] } },
    );
  }

  it("rejects a dated request without api-version with 400 BadRequest", async () => {
    const res = await raw(emulator, "GET", "/openai/files");
    expect(res.status).to.equal(400);
    expect(res.body).to.deep.equal({
      error: { code: "BadRequest", message: "Missing required query parameter: api-version" },
    });
  });

  it("rejects an unknown or repeated dated api-version with 400 'API version not supported'", async () => {
    for (const query of ["api-version=2023-01-01", `api-version=${GA}&api-version=${GA}`]) {
      const res = await raw(emulator, "GET", `/openai/files?${query}`);
      expect(res.status, query).to.equal(400);
      expect(res.body, query).to.deep.equal(UNSUPPORTED);
    }
  });

  it("serves chat on the inference versions, including GA 2023-05-15 and older previews", async () => {
    for (const version of [
      "2023-05-15",
      "2023-06-01-preview",
      "2024-02-15-preview",
      "2024-02-01",
      GA,
      "2025-04-01-preview",
    ]) {
      expect((await chat("base", version)).status, version).to.equal(200);
    }
  });

  it("refuses inference versions Microsoft retired and versions that never existed", async () => {
    for (const version of [
      "2023-03-15-preview",
      "2023-12-01-preview",
      "2022-12-01",
      "2024-11-01",
    ]) {
      const res = await chat("base", version);
      expect(res.status, version).to.equal(400);
      expect(res.body, version).to.deep.equal(UNSUPPORTED);
    }
  });

  it("answers a missing deployment at 2023-05-15 with 404 DeploymentNotFound, not 400", async () => {
    const res = await chat("nope", "2023-05-15");
    expect(res.status).to.equal(404);
    expect(res.body).to.deep.equal(DEPLOYMENT_NOT_FOUND);
  });

  it("keeps authoring on the authoring versions: no files or jobs at 2023-05-15", async () => {
    for (const path of ["/openai/files", "/openai/fine_tuning/jobs", "/openai/models"]) {
      const res = await raw(emulator, "GET", `${path}?api-version=2023-05-15`);
      expect(res.status, path).to.equal(400);
      expect(res.body, path).to.deep.equal(UNSUPPORTED);
      expect(
        (await raw(emulator, "GET", `${path}?api-version=2024-05-01-preview`)).status,
      ).to.equal(200);
    }
  });

  it("serves v1 without api-version, with v1 or preview, and rejects other values", async () => {
    expect((await raw(emulator, "GET", "/openai/v1/models")).status).to.equal(200);
    expect((await raw(emulator, "GET", "/openai/v1/models?api-version=v1")).status).to.equal(200);
    expect((await raw(emulator, "GET", "/openai/v1/models?api-version=preview")).status).to.equal(
      200,
    );
    const bad = await raw(emulator, "GET", `/openai/v1/models?api-version=${GA}`);
    expect(bad.status).to.equal(400);
    expect(bad.body).to.deep.equal(UNSUPPORTED);
  });
});

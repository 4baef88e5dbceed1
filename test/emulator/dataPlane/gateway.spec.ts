import { expect } from "chai";
import { AzureOpenAI } from "openai";
import { DATED_API_VERSIONS } from "../../../emulator/dataPlane/apiVersion";
import { INVALID_KEY_MESSAGE, INVALID_TOKEN_MESSAGE } from "../../../emulator/dataPlane/auth";
import type { RunningEmulator } from "../../../emulator/server";
import { GA, raw, startFast } from "../support";

describe("emulator gateway (auth, api-version, routing)", () => {
  let emulator: RunningEmulator;

  before(async () => {
    emulator = await startFast();
  });
  after(() => emulator.close());

  describe("authentication", () => {
    it("answers a wrong api-key with Azure's 401 body", async () => {
      const res = await raw(emulator, "GET", `/openai/files?api-version=${GA}`, {
        headers: { "api-key": "wrong" },
      });
      expect(res.status).to.equal(401);
      expect(res.body).to.deep.equal({ error: { code: "401", message: INVALID_KEY_MESSAGE } });
      expect(INVALID_KEY_MESSAGE).to.equal(
        "Access denied due to invalid subscription key or wrong API endpoint. Make sure to provide a valid key for an active subscription and use a correct regional API endpoint for your resource.",
      );
    });

    it("answers a request without credentials with the same 401", async () => {
      const res = await raw(emulator, "GET", `/openai/files?api-version=${GA}`, { key: false });
      expect(res.status).to.equal(401);
      expect(res.body).to.deep.equal({ error: { code: "401", message: INVALID_KEY_MESSAGE } });
    });

    it("accepts the AzureOpenAI client with apiKey (api-key header)", async () => {
      const openai = new AzureOpenAI({
        endpoint: emulator.endpoint,
        apiKey: emulator.apiKey,
        apiVersion: GA,
      });
      const files = await openai.files.list();
      expect(files.data).to.deep.equal([]);
    });

    it("accepts any bearer token from azureADTokenProvider", async () => {
      const openai = new AzureOpenAI({
        endpoint: emulator.endpoint,
        azureADTokenProvider: async () => "any-entra-token",
        apiVersion: GA,
      });
      const model = await openai.models.retrieve("gpt-4o-mini-2024-07-18");
      expect(model.id).to.equal("gpt-4o-mini-2024-07-18");
    });

    it("refuses bearer tokens other than the key when acceptBearer is false", async () => {
      const strict = await startFast({ acceptBearer: false });
      try {
        const token = await raw(strict, "GET", `/openai/models?api-version=${GA}`, {
          key: false,
          headers: { authorization: "Bearer some-token" },
        });
        expect(token.status).to.equal(401);
        expect(token.body).to.deep.equal({
          error: { code: "401", message: INVALID_TOKEN_MESSAGE },
        });
        const keyAsBearer = await raw(strict, "GET", "/openai/v1/models", {
          key: false,
          headers: { authorization: `Bearer ${strict.apiKey}` },
        });
        expect(keyAsBearer.status).to.equal(200);
      } finally {
        await strict.close();
      }
    });
  });

  describe("api-version", () => {
    it("rejects a dated request without api-version with 400 BadRequest", async () => {
      const res = await raw(emulator, "GET", "/openai/files");
      expect(res.status).to.equal(400);
      expect(res.body).to.deep.equal({
        error: { code: "BadRequest", message: "Missing required query parameter: api-version" },
      });
    });

    it("rejects an unknown dated api-version with 400 'API version not supported'", async () => {
      const res = await raw(emulator, "GET", "/openai/files?api-version=2023-01-01");
      expect(res.status).to.equal(400);
      expect(res.body).to.deep.equal({
        error: { code: "BadRequest", message: "API version not supported" },
      });
    });

    it("serves the GA and preview versions the project uses", () => {
      expect(DATED_API_VERSIONS).to.include.members([
        "2024-10-21",
        "2025-04-01-preview",
        "2024-05-01-preview",
      ]);
    });

    it("serves v1 without api-version, with v1 or preview, and rejects other values", async () => {
      expect((await raw(emulator, "GET", "/openai/v1/models")).status).to.equal(200);
      expect((await raw(emulator, "GET", "/openai/v1/models?api-version=v1")).status).to.equal(200);
      expect((await raw(emulator, "GET", "/openai/v1/models?api-version=preview")).status).to.equal(
        200,
      );
      const bad = await raw(emulator, "GET", `/openai/v1/models?api-version=${GA}`);
      expect(bad.status).to.equal(400);
      expect(bad.body).to.deep.equal({
        error: { code: "BadRequest", message: "API version not supported" },
      });
    });
  });

  describe("routing and headers", () => {
    it("answers unknown routes with Azure's 404 body", async () => {
      const res = await raw(emulator, "GET", `/openai/nothing/here?api-version=${GA}`);
      expect(res.status).to.equal(404);
      expect(res.body).to.deep.equal({ error: { code: "404", message: "Resource not found" } });
    });

    it("sends the same apim-request-id and x-request-id on every response, fresh per request", async () => {
      const first = await raw(emulator, "GET", `/openai/models?api-version=${GA}`);
      const second = await raw(emulator, "GET", "/openai/files");
      const id = first.headers.get("apim-request-id");
      expect(id).to.match(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      expect(first.headers.get("x-request-id")).to.equal(id);
      expect(second.headers.get("apim-request-id")).to.not.equal(id);
    });

    it("answers malformed JSON with invalidPayload", async () => {
      const res = await fetch(`${emulator.endpoint}/openai/fine_tuning/jobs?api-version=${GA}`, {
        method: "POST",
        headers: { "api-key": emulator.apiKey, "content-type": "application/json" },
        body: "{not json",
      });
      expect(res.status).to.equal(400);
      expect(await res.json()).to.deep.equal({
        error: { code: "invalidPayload", message: "The request body is not valid JSON." },
      });
    });

    it("binds to 127.0.0.1 on a random port", () => {
      expect(emulator.endpoint).to.match(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(emulator.endpoint).to.not.equal("http://127.0.0.1:0");
    });
  });
});

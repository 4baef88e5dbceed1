import { expect } from "chai";
import { AzureOpenAI } from "openai";
import { audienceAccepted, BearerVerifier } from "../../../emulator/dataPlane/auth";
import type { RunningEmulator } from "../../../emulator/server";
import { GA, KEY_401, raw, startFast, TOKEN_401 } from "../support";

/** A stand-in token service: "good-<audience>" is genuine, anything else is not. */
const fakeVerifier: BearerVerifier = (token) =>
  token.startsWith("good-") ? { ok: true, audience: token.slice(5) } : { ok: false };

function bearer(emulator: RunningEmulator, path: string, token: string) {
  return raw(emulator, "GET", path, { key: false, headers: { authorization: `Bearer ${token}` } });
}

describe("emulator data-plane auth", () => {
  let emulator: RunningEmulator;

  before(async () => {
    emulator = await startFast();
  });
  after(() => emulator.close());

  it("answers a wrong api-key with Azure's 401 body", async () => {
    const res = await raw(emulator, "GET", `/openai/files?api-version=${GA}`, {
      headers: { "api-key": "wrong" },
    });
    expect(res.status).to.equal(401);
    expect(res.body).to.deep.equal(KEY_401);
  });

  it("answers a request without credentials with the same 401", async () => {
    const res = await raw(emulator, "GET", `/openai/files?api-version=${GA}`, { key: false });
    expect(res.status).to.equal(401);
    expect(res.body).to.deep.equal(KEY_401);
  });

  it("accepts the AzureOpenAI client with apiKey (api-key header)", async () => {
    const openai = new AzureOpenAI({
      endpoint: emulator.endpoint,
      apiKey: emulator.apiKey,
      apiVersion: GA,
    });
    expect((await openai.files.list()).data).to.deep.equal([]);
  });

  it("refuses every bearer token by default, with Azure's token 401 body", async () => {
    for (const path of [`/openai/models?api-version=${GA}`, "/openai/v1/models"]) {
      const res = await bearer(emulator, path, "eyJhbGciOi.some.token");
      expect(res.status, path).to.equal(401);
      expect(res.body, path).to.deep.equal(TOKEN_401);
    }
  });

  it("refuses an azureADTokenProvider client by default", async () => {
    const openai = new AzureOpenAI({
      endpoint: emulator.endpoint,
      azureADTokenProvider: async () => "any-entra-token",
      apiVersion: GA,
      maxRetries: 0,
    });
    const error = await openai.models.list().then(
      () => undefined,
      (err: { status?: number }) => err,
    );
    expect(error?.status).to.equal(401);
  });

  it("refuses the api key sent as a bearer on the dated surface, accepts it on v1", async () => {
    const dated = await bearer(emulator, `/openai/models?api-version=${GA}`, emulator.apiKey);
    expect(dated.status).to.equal(401);
    expect(dated.body).to.deep.equal(TOKEN_401);
    const v1 = await bearer(emulator, "/openai/v1/models", emulator.apiKey);
    expect(v1.status).to.equal(200);
  });

  it("accepts any bearer except the key on dated when acceptBearer is set", async () => {
    const lenient = await startFast({ acceptBearer: true });
    try {
      const openai = new AzureOpenAI({
        endpoint: lenient.endpoint,
        azureADTokenProvider: async () => "any-entra-token",
        apiVersion: GA,
      });
      expect((await openai.models.retrieve("gpt-4o-mini-2024-07-18")).id).to.equal(
        "gpt-4o-mini-2024-07-18",
      );
      const keyAsBearer = await bearer(lenient, `/openai/files?api-version=${GA}`, lenient.apiKey);
      expect(keyAsBearer.status).to.equal(401);
    } finally {
      await lenient.close();
    }
  });

  it("accepts verified tokens for the two data-plane audiences only", async () => {
    const verified = await startFast({ verifyBearer: fakeVerifier });
    try {
      const path = `/openai/models?api-version=${GA}`;
      for (const audience of [
        "https://cognitiveservices.azure.com",
        "https://ai.azure.com",
        "https://cognitiveservices.azure.com/",
      ]) {
        expect((await bearer(verified, path, `good-${audience}`)).status, audience).to.equal(200);
      }
      const arm = await bearer(verified, path, "good-https://management.azure.com");
      expect(arm.status).to.equal(401);
      expect(arm.body).to.deep.equal(TOKEN_401);
      expect((await bearer(verified, path, "forged")).status).to.equal(401);
    } finally {
      await verified.close();
    }
  });

  it("needs a genuine verdict and a data-plane audience", () => {
    expect(audienceAccepted({ ok: true, audience: "https://ai.azure.com" })).to.equal(true);
    expect(audienceAccepted({ ok: false, audience: "https://ai.azure.com" })).to.equal(false);
    expect(audienceAccepted({ ok: true })).to.equal(false);
    expect(audienceAccepted({ ok: true, audience: "https://management.azure.com/" })).to.equal(
      false,
    );
  });
});

import type { AccessToken, TokenCredential } from "@azure/identity";
import { expect } from "chai";
import { RunningEmulator, startEmulator } from "../../../emulator/server";
import { DEFAULT_API_VERSION, resolveApiVersion } from "../../../lib/azure/apiVersion";
import {
  COGNITIVE_SERVICES_SCOPE,
  createAzureOpenAI,
  normalizeEndpoint,
} from "../../../lib/azure/client";
import { withRetries } from "../../../lib/azure/retry";

/** A credential that hands out a fixed token and records the scopes asked for. */
function fakeCredential(scopes: string[], fail?: Error): TokenCredential {
  return {
    async getToken(requested: string | string[]): Promise<AccessToken> {
      scopes.push(...(Array.isArray(requested) ? requested : [requested]));
      if (fail) throw fail;
      return { token: "fake-entra-token", expiresOnTimestamp: Date.now() + 3_600_000 };
    },
  };
}

async function failure(promise: Promise<unknown>): Promise<string> {
  return promise.then(
    () => "no error",
    (err: Error) => err.message,
  );
}

describe("lib/azure/client", () => {
  let emulator: RunningEmulator;
  let keyless: RunningEmulator;
  const saved = { key: process.env.AZURE_OPENAI_API_KEY, base: process.env.OPENAI_BASE_URL };

  before(async () => {
    // Entra tokens cannot be checked locally: this resource accepts any bearer, `keyless` none.
    emulator = await startEmulator({ quiet: true, acceptBearer: true });
    keyless = await startEmulator({ quiet: true, acceptBearer: false });
  });
  after(async () => {
    await emulator.close();
    await keyless.close();
  });
  beforeEach(() => {
    emulator.admin.reset();
    keyless.admin.reset();
  });
  afterEach(() => {
    for (const [name, value] of [
      ["AZURE_OPENAI_API_KEY", saved.key],
      ["OPENAI_BASE_URL", saved.base],
    ] as const) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });

  it("uses the API key in AZURE_OPENAI_API_KEY, read when the client is created", async () => {
    process.env.AZURE_OPENAI_API_KEY = emulator.apiKey;
    const lines: string[] = [];
    const client = await createAzureOpenAI(emulator.endpoint, { log: (l) => lines.push(l) });
    expect((await client.files.list()).data).to.deep.equal([]);
    expect(lines).to.deep.equal(["authenticating with the API key in AZURE_OPENAI_API_KEY"]);

    process.env.AZURE_OPENAI_API_KEY = "not-the-key";
    const wrong = await createAzureOpenAI(emulator.endpoint);
    expect(await failure(withRetries("list files", () => wrong.files.list()))).to.equal(
      "list files failed: 401: Access denied due to invalid subscription key or wrong API endpoint. Make sure to provide a " +
        "valid key for an active subscription and use a correct regional API endpoint for your resource. (check " +
        "AZURE_OPENAI_API_KEY, or that the signed-in identity holds Cognitive Services OpenAI Contributor on the account; " +
        "new role assignments take up to 5 minutes)",
    );
  });

  it("sends a Microsoft Entra token for the Cognitive Services scope when no key is set", async () => {
    delete process.env.AZURE_OPENAI_API_KEY;
    const scopes: string[] = [];
    const lines: string[] = [];
    const client = await createAzureOpenAI(emulator.endpoint, {
      credential: fakeCredential(scopes),
      log: (l) => lines.push(l),
    });
    expect((await client.files.list()).data).to.deep.equal([]);
    expect(scopes).to.deep.equal([COGNITIVE_SERVICES_SCOPE]);
    expect(lines).to.deep.equal([
      "authenticating with Microsoft Entra ID (DefaultAzureCredential)",
    ]);

    // The same bearer request is refused by a resource that takes keys only: the token went out as Bearer, not api-key.
    const refused = await createAzureOpenAI(keyless.endpoint, { credential: fakeCredential([]) });
    expect(
      await failure(
        withRetries("list files", () => refused.files.list(), { roleAssignmentWaitMs: 0 }),
      ),
    ).to.match(/^list files failed: 401: /);
  });

  it("names the scope and the fix when no Entra token can be had, without calling Azure", async () => {
    delete process.env.AZURE_OPENAI_API_KEY;
    const client = await createAzureOpenAI(emulator.endpoint, {
      credential: fakeCredential([], new Error("Please run 'az login' to set up an account.")),
    });
    expect(await failure(withRetries("list files", () => client.files.list()))).to.equal(
      "list files failed: could not get a Microsoft Entra token for https://cognitiveservices.azure.com/.default " +
        "(Please run 'az login' to set up an account); sign in (`az login`, or azure/login with OIDC in CI), or set AZURE_OPENAI_API_KEY",
    );
    expect(emulator.admin.counters().total).to.equal(0);
  });

  it("leaves retrying to withRetries: the SDK itself makes exactly one request", async () => {
    process.env.AZURE_OPENAI_API_KEY = emulator.apiKey;
    const client = await createAzureOpenAI(emulator.endpoint);
    emulator.admin.injectFault({ kind: "throttle", path: "/openai/files", retryAfterMs: 0 });
    expect(await failure(client.files.list())).to.match(/^429 /);
    expect(emulator.admin.counters().routes).to.deep.equal({ "GET /openai/files": 1 });
  });

  it("calls the endpoint it is given even when OPENAI_BASE_URL points elsewhere", async () => {
    process.env.AZURE_OPENAI_API_KEY = emulator.apiKey;
    process.env.OPENAI_BASE_URL = "http://127.0.0.1:9/openai";
    const client = await createAzureOpenAI(`${emulator.endpoint}/`);
    expect((await client.files.list()).data).to.deep.equal([]);
    expect(emulator.admin.counters().routes).to.deep.equal({ "GET /openai/files": 1 });
  });

  it("sends the api-version asked for, and the default otherwise", async () => {
    process.env.AZURE_OPENAI_API_KEY = emulator.apiKey;
    expect((await createAzureOpenAI(emulator.endpoint)).apiVersion).to.equal("2025-04-01-preview");
    const ga = await createAzureOpenAI(emulator.endpoint, { apiVersion: "2024-10-21" });
    expect(ga.apiVersion).to.equal("2024-10-21");
    expect((await ga.files.list()).data).to.deep.equal([]);
    const retired = await createAzureOpenAI(emulator.endpoint, { apiVersion: "2023-01-01" });
    expect(await failure(withRetries("list files", () => retired.files.list()))).to.equal(
      "list files failed: 400 BadRequest: API version not supported",
    );
  });

  it("rejects malformed api-versions and endpoints with the input name and the fix", () => {
    expect(resolveApiVersion(undefined)).to.equal(DEFAULT_API_VERSION);
    expect(() => resolveApiVersion("latest")).to.throw(
      '`apiVersion` "latest" is not a dated Azure OpenAI API version; use the form YYYY-MM-DD or YYYY-MM-DD-preview, e.g. "2025-04-01-preview".',
    );
    expect(normalizeEndpoint("https://acct.openai.azure.com//")).to.equal(
      "https://acct.openai.azure.com",
    );
    expect(() => normalizeEndpoint("acct.openai.azure.com")).to.throw(
      '`endpoint` "acct.openai.azure.com" is not a URL; use the account endpoint, e.g. https://<account>.openai.azure.com/',
    );
    expect(() => normalizeEndpoint("ftp://acct")).to.throw(
      '`endpoint` "ftp://acct" must be an https:// URL, e.g. https://<account>.openai.azure.com/',
    );
    expect(() => normalizeEndpoint("https://acct.openai.azure.com/?api-version=1")).to.throw(
      '`endpoint` "https://acct.openai.azure.com/?api-version=1" must not carry a query or fragment; use the account endpoint only',
    );
  });
});

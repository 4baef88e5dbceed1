import { expect } from "chai";
import { presentedCredential } from "../../../emulator/dataPlane/auth";
import { startEmulator, RunningEmulator } from "../../../emulator/server";
import { RunningLocalAzure } from "../../../emulator/localAzure";
import { GA, KEY_401, TOKEN_401 } from "../support";
import { SdkWorld, startSdkWorld } from "./support";

describe("local Azure: an ARM-created account's data plane authenticates like the emulator", () => {
  let world: SdkWorld;
  let single: RunningEmulator;
  let azure: RunningLocalAzure;
  let key: string;
  let accountEndpoint: string;

  before(async () => {
    world = await startSdkWorld();
    azure = world.azure;
    await createAccount(azure);
    const account = azure.context.state.account("rg-auth", "acct-auth");
    key = account?.dataPlane?.keys[0] as string;
    accountEndpoint = account?.dataPlane?.endpoint as string;
    single = await startEmulator({ quiet: true, apiKey: key });
  });
  after(() => single.close());

  /** status and body of GET `path` on both data planes with `headers`. */
  async function both(path: string, headers: Record<string, string>) {
    const call = async (base: string) => {
      const res = await fetch(`${base.replace(/\/$/, "")}${path}`, { headers });
      return { status: res.status, body: await res.json() };
    };
    return { arm: await call(accountEndpoint), single: await call(single.endpoint) };
  }

  const cases: [string, string, Record<string, string>, number, unknown][] = [
    ["a wrong api-key", `/openai/files?api-version=${GA}`, { "api-key": "wrong" }, 401, KEY_401],
    ["no credential", `/openai/files?api-version=${GA}`, {}, 401, KEY_401],
    [
      "a Basic authorization",
      `/openai/files?api-version=${GA}`,
      { authorization: "Basic x" },
      401,
      KEY_401,
    ],
    [
      "the key as a bearer on a dated version",
      `/openai/files?api-version=${GA}`,
      {},
      401,
      TOKEN_401,
    ],
    [
      "a bearer that is not a token",
      "/openai/v1/files",
      { authorization: "Bearer nonsense" },
      401,
      TOKEN_401,
    ],
  ];
  for (const [what, path, headers, status, body] of cases) {
    it(`answers ${what} with the same status and body (${status})`, async () => {
      const sent = what.startsWith("the key as a bearer")
        ? { authorization: `Bearer ${key}` }
        : headers;
      const answers = await both(path, sent);
      expect(answers.arm).to.deep.equal({ status, body });
      expect(answers.single).to.deep.equal({ status, body });
    });
  }

  it("accepts the key as a bearer on the v1 surface only, on both", async () => {
    const answers = await both("/openai/v1/files", { authorization: `Bearer ${key}` });
    expect(answers.arm.status).to.equal(200);
    expect(answers.single.status).to.equal(200);
  });

  it("reads credentials by one rule (presentedCredential)", () => {
    expect(presentedCredential({ "api-key": "k" }, ["k"], false)).to.deep.equal({
      kind: "key",
      key: "k",
    });
    expect(presentedCredential({ authorization: "Bearer k" }, ["k"], true)).to.deep.equal({
      kind: "key",
      key: "k",
    });
    expect(presentedCredential({ authorization: "Bearer k" }, ["k"], false)).to.deep.equal({
      kind: "keyAsBearerOffV1",
    });
    expect(presentedCredential({ authorization: "bearer t " }, ["k"], false)).to.deep.equal({
      kind: "bearer",
      token: "t",
    });
    expect(presentedCredential({ authorization: "Basic t" }, ["k"], true)).to.deep.equal({
      kind: "none",
    });
  });
});

/** rg-auth/acct-auth through ARM (its data plane starts with the PUT). */
async function createAccount(azure: RunningLocalAzure): Promise<void> {
  const group = `/subscriptions/${azure.subscriptionId}/resourceGroups/rg-auth`;
  const put = async (path: string, version: string, body: unknown) => {
    const res = await fetch(`${azure.armEndpoint}${path}?api-version=${version}`, {
      method: "PUT",
      headers: {
        authorization: `Bearer ${azure.token("https://management.azure.com")}`,
        "content-type": "application/json",
      },
      body: JSON.stringify(body),
    });
    expect(res.status).to.be.oneOf([200, 201]);
  };
  await put(group, "2024-03-01", { location: "swedencentral" });
  await put(`${group}/providers/Microsoft.CognitiveServices/accounts/acct-auth`, "2025-06-01", {
    location: "swedencentral",
    kind: "OpenAI",
    sku: { name: "S0" },
    properties: { customSubDomainName: "acct-auth" },
  });
}

import { expect } from "chai";
import * as http from "node:http";
import { AddressInfo } from "node:net";
import { accountPurgeProvider } from "../../dynamic-providers/accountPurge";

interface Seen {
  method: string;
  url: string;
  authorization?: string;
}

/** A stand-in for ARM's deleted-accounts endpoint that answers from a scripted list. */
async function fakeArm(
  answers: { status: number; headers?: Record<string, string>; body?: unknown }[],
) {
  const seen: Seen[] = [];
  const server = http.createServer((req, res) => {
    seen.push({ method: req.method!, url: req.url!, authorization: req.headers.authorization });
    const answer = answers.shift() ?? { status: 500, body: { error: { code: "Unscripted" } } };
    res.writeHead(answer.status, { "content-type": "application/json", ...(answer.headers ?? {}) });
    res.end(answer.body === undefined ? "" : JSON.stringify(answer.body));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { seen, base, close: () => new Promise<void>((r) => server.close(() => r())) };
}

const props = {
  subscriptionId: "sub-1",
  resourceGroupName: "ft-dev-rg",
  location: "swedencentral",
  accountName: "aoift-dev-12345678",
};
const purgePath =
  "/subscriptions/sub-1/providers/Microsoft.CognitiveServices/locations/swedencentral/resourceGroups/ft-dev-rg/deletedAccounts/aoift-dev-12345678?api-version=2024-10-01";

describe("dynamic-providers/accountPurge", () => {
  const saved = { ...process.env };
  let log: string[];
  let originalLog: typeof console.log;
  beforeEach(() => {
    process.env.AZURE_RESOURCE_MANAGER_TOKEN = "test-arm-token";
    process.env.AZURE_PURGE_POLL_MS = "1";
    log = [];
    originalLog = console.log;
    console.log = (line: string) => log.push(line);
  });
  afterEach(() => {
    console.log = originalLog;
    process.env = { ...saved };
  });

  it("rejects empty inputs in check, naming each one", async () => {
    const result = await accountPurgeProvider.check!({} as any, { ...props, accountName: "" });
    expect(result.failures).to.deep.equal([
      { property: "accountName", reason: "`accountName` must be a non-empty string" },
    ]);
  });

  it("replaces when the account it purges changes", async () => {
    const result = await accountPurgeProvider.diff!("id", props, { ...props, location: "eastus2" });
    expect(result).to.deep.equal({
      changes: true,
      replaces: ["location"],
      deleteBeforeReplace: false,
    });
    expect(await accountPurgeProvider.diff!("id", props, { ...props })).to.deep.equal({
      changes: false,
      replaces: [],
      deleteBeforeReplace: false,
    });
  });

  it("creates without calling Azure and echoes its inputs", async () => {
    const arm = await fakeArm([]);
    process.env.AZURE_RESOURCE_MANAGER_ENDPOINT = arm.base;
    try {
      expect(await accountPurgeProvider.create!(props)).to.deep.equal({
        id: "sub-1/swedencentral/ft-dev-rg/aoift-dev-12345678",
        outs: props,
      });
      expect(arm.seen).to.deep.equal([]);
    } finally {
      await arm.close();
    }
  });

  it("purges the soft-deleted account with a bearer token", async () => {
    const arm = await fakeArm([{ status: 200, body: {} }]);
    process.env.AZURE_RESOURCE_MANAGER_ENDPOINT = arm.base;
    try {
      await accountPurgeProvider.delete!("id", props);
      expect(arm.seen).to.deep.equal([
        { method: "DELETE", url: purgePath, authorization: "Bearer test-arm-token" },
      ]);
      expect(log).to.deep.equal(["purged soft-deleted account aoift-dev-12345678"]);
    } finally {
      await arm.close();
    }
  });

  it("waits for the soft-deleted record to appear before purging", async () => {
    const arm = await fakeArm([
      { status: 404, body: { error: { code: "ResourceNotFound" } } },
      { status: 204 },
    ]);
    process.env.AZURE_RESOURCE_MANAGER_ENDPOINT = arm.base;
    try {
      await accountPurgeProvider.delete!("id", props);
      expect(arm.seen.map((s) => s.method)).to.deep.equal(["DELETE", "DELETE"]);
      expect(log).to.deep.equal([
        "waiting for soft-deleted account aoift-dev-12345678 to appear (1/6)",
        "purged soft-deleted account aoift-dev-12345678",
      ]);
    } finally {
      await arm.close();
    }
  });

  it("follows an asynchronous purge to completion", async () => {
    const answers: { status: number; headers?: Record<string, string>; body?: unknown }[] = [];
    const arm = await fakeArm(answers);
    answers.push(
      { status: 202, headers: { "azure-asyncoperation": `${arm.base}/operations/1` } },
      { status: 200, body: { status: "InProgress" } },
      { status: 200, body: { status: "Succeeded" } },
    );
    process.env.AZURE_RESOURCE_MANAGER_ENDPOINT = arm.base;
    try {
      await accountPurgeProvider.delete!("id", props);
      expect(arm.seen.map((s) => `${s.method} ${s.url.split("?")[0]}`)).to.deep.equal([
        `DELETE ${purgePath.split("?")[0]}`,
        "GET /operations/1",
        "GET /operations/1",
      ]);
    } finally {
      await arm.close();
    }
  });

  it("waits for the deleted-account record to go when a 202 has no poll header", async () => {
    const arm = await fakeArm([{ status: 202 }, { status: 200, body: {} }, { status: 404 }]);
    process.env.AZURE_RESOURCE_MANAGER_ENDPOINT = arm.base;
    try {
      await accountPurgeProvider.delete!("id", props);
      expect(arm.seen.map((s) => `${s.method} ${s.url}`)).to.deep.equal([
        `DELETE ${purgePath}`,
        `GET ${purgePath}`,
        `GET ${purgePath}`,
      ]);
      expect(log).to.deep.equal(["purged soft-deleted account aoift-dev-12345678"]);
    } finally {
      await arm.close();
    }
  });

  it("throws when Azure accepts the purge but never confirms it", async () => {
    const answers: { status: number; headers?: Record<string, string>; body?: unknown }[] = [];
    const arm = await fakeArm(answers);
    answers.push({ status: 202, headers: { "azure-asyncoperation": `${arm.base}/operations/2` } });
    for (let i = 0; i < 60; i++) answers.push({ status: 200, body: { status: "InProgress" } });
    process.env.AZURE_RESOURCE_MANAGER_ENDPOINT = arm.base;
    let message = "";
    try {
      await accountPurgeProvider.delete!("id", props);
    } catch (err) {
      message = (err as Error).message;
    } finally {
      await arm.close();
    }
    expect(message).to.equal(
      "purging soft-deleted account aoift-dev-12345678: Azure accepted the purge but did not confirm it after 60 polls, " +
        "so the name may stay reserved for 48 hours. Check with `az cognitiveservices account list-deleted`, then run " +
        "`pulumi destroy` again.",
    );
    expect(arm.seen).to.have.lengthOf(61);
    expect(log).to.deep.equal([]);
  });

  it("treats an account that never shows up as already purged", async () => {
    const arm = await fakeArm(Array.from({ length: 6 }, () => ({ status: 404 })));
    process.env.AZURE_RESOURCE_MANAGER_ENDPOINT = arm.base;
    try {
      await accountPurgeProvider.delete!("id", props);
      expect(arm.seen).to.have.lengthOf(6);
    } finally {
      await arm.close();
    }
  });

  it("fails with the permission it needs and the config key to turn it off", async () => {
    const arm = await fakeArm([{ status: 403, body: { error: { code: "AuthorizationFailed" } } }]);
    process.env.AZURE_RESOURCE_MANAGER_ENDPOINT = arm.base;
    let message = "";
    try {
      await accountPurgeProvider.delete!("id", props);
    } catch (err) {
      message = (err as Error).message;
    } finally {
      await arm.close();
    }
    expect(message).to.equal(
      'purging soft-deleted account aoift-dev-12345678 failed: 403 {"error":{"code":"AuthorizationFailed"}}. ' +
        "The deploying identity needs Microsoft.CognitiveServices/locations/resourceGroups/deletedAccounts/delete " +
        "(Contributor on the subscription); or set `azure-openai-finetune:purgeOnDestroy` to false.",
    );
  });
});

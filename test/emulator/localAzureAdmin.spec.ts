import { expect } from "chai";
import tls from "node:tls";
import { RunningLocalAzure, startLocalAzure } from "../../emulator/localAzure";

describe("local Azure admin API", () => {
  let azure: RunningLocalAzure;
  let defaults: string[];
  const admin = (method: string, path: string, body?: unknown) =>
    fetch(`${azure.armHttpEndpoint}${path}`, {
      method,
      headers: body === undefined ? {} : { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  const arm = (path: string) =>
    fetch(`${azure.armEndpoint}${path}?api-version=2025-06-01`, {
      headers: { authorization: `Bearer ${azure.token("https://management.azure.com")}` },
    });

  before(async () => {
    azure = await startLocalAzure({ quiet: true, operationMs: 0 });
    defaults = tls.getCACertificates("default");
    tls.setDefaultCACertificates([...defaults, azure.caPem]);
  });
  after(async () => {
    tls.setDefaultCACertificates(defaults);
    await azure.close();
  });

  it("deletes the default account out of band: ARM then answers 404 and lists it as deleted", async () => {
    const id = azure.defaultAccount?.id as string;
    expect((await arm(id)).status).to.equal(200);
    expect(
      (await admin("DELETE", `/_emulator/arm/resources?id=${encodeURIComponent(id)}`)).status,
    ).to.equal(204);
    const gone = await arm(id);
    expect(gone.status).to.equal(404);
    expect(((await gone.json()) as { error: { code: string } }).error.code).to.equal(
      "ResourceNotFound",
    );
    const state = (await (await admin("GET", "/_emulator/arm/state")).json()) as {
      deletedAccounts: unknown[];
    };
    expect(state.deletedAccounts).to.have.length(1);
  });

  it("injects a throttle into the next ARM request", async () => {
    const rule = await admin("POST", "/_emulator/arm/faults", {
      kind: "throttle",
      path: "/subscriptions/*",
      retryAfterMs: 2000,
      error: { code: "TooManyRequests", message: "Too many requests." },
    });
    expect(rule.status).to.equal(201);
    const throttled = await arm(`/subscriptions/${azure.subscriptionId}/resourcegroups/rg-local`);
    expect(throttled.status).to.equal(429);
    expect(throttled.headers.get("retry-after")).to.equal("2");
    expect(await throttled.json()).to.deep.equal({
      error: { code: "TooManyRequests", message: "Too many requests." },
    });
  });

  it("changes the firewall's view of the caller and the timings", async () => {
    const res = await admin("PATCH", "/_emulator/arm/settings", {
      callerAddress: "203.0.113.9",
      propagationMs: 5,
    });
    expect(await res.json()).to.include({ callerAddress: "203.0.113.9", propagationMs: 5 });
    const bad = await admin("PATCH", "/_emulator/arm/settings", { operationMs: -1 });
    expect(bad.status).to.equal(400);
  });
});

import { expect } from "chai";
import { randomUUID } from "node:crypto";
import { AUDIENCES, TokenService } from "../../../emulator/identity/tokens";

describe("local Azure token service", () => {
  let now = Date.parse("2026-11-30T12:00:00Z");
  const tokens = new TokenService({ tenantId: "tenant-1", lifetimeSeconds: 60, clock: () => now });
  const principal = tokens.addPrincipal({
    objectId: randomUUID(),
    clientId: randomUUID(),
    displayName: "deployer",
  });

  it("issues ES256 tokens with Entra v1 claims for the requested audience", () => {
    const token = tokens.issue(principal, AUDIENCES.dataPlane);
    const [header, payload] = token.accessToken
      .split(".")
      .slice(0, 2)
      .map((p) => JSON.parse(Buffer.from(p, "base64url").toString()));
    expect(header.alg).to.equal("ES256");
    expect(payload).to.include({
      aud: "https://cognitiveservices.azure.com",
      iss: "https://sts.windows.net/tenant-1/",
      oid: principal.objectId,
      appid: principal.clientId,
      tid: "tenant-1",
      exp: now / 1000 + 60,
    });
    const check = tokens.verify(`Bearer ${token.accessToken}`, [AUDIENCES.dataPlane]);
    expect(check.ok && check.principal).to.deep.equal(principal);
  });

  it("maps resources and .default scopes to audiences, with or without a trailing slash", () => {
    expect(tokens.audienceFor("https://management.azure.com")).to.equal(
      "https://management.azure.com/",
    );
    expect(tokens.audienceFor("https://management.azure.com/.default")).to.equal(
      "https://management.azure.com/",
    );
    expect(tokens.audienceFor("https://cognitiveservices.azure.com/")).to.equal(
      "https://cognitiveservices.azure.com",
    );
    expect(tokens.audienceFor("https://graph.microsoft.com/.default")).to.equal(
      "https://graph.microsoft.com",
    );
    expect(tokens.audienceFor("https://vault.azure.net")).to.equal(undefined);
  });

  it("refuses a missing, forged, expired or wrong-audience token", () => {
    const token = tokens.issue(principal, AUDIENCES.arm).accessToken;
    expect(tokens.verify(undefined, [AUDIENCES.arm])).to.deep.equal({
      ok: false,
      problem: { kind: "missing" },
    });
    const forged = `${token.split(".").slice(0, 2).join(".")}.${Buffer.from("x").toString("base64url")}`;
    expect(tokens.verify(`Bearer ${forged}`, [AUDIENCES.arm])).to.deep.equal({
      ok: false,
      problem: { kind: "invalid" },
    });
    expect(tokens.verify(`Bearer ${token}`, [AUDIENCES.dataPlane])).to.deep.equal({
      ok: false,
      problem: { kind: "audience", audience: "https://management.azure.com/" },
    });
    now += 61_000;
    const expired = tokens.verify(`Bearer ${token}`, [AUDIENCES.arm]);
    expect(expired.ok).to.equal(false);
    expect(!expired.ok && expired.problem.kind).to.equal("expired");
  });

  it("refuses a token signed by another emulator start", () => {
    const other = new TokenService({ tenantId: "tenant-1" });
    other.addPrincipal(principal);
    const token = other.issue(principal, AUDIENCES.arm).accessToken;
    expect(tokens.verify(`Bearer ${token}`, [AUDIENCES.arm])).to.deep.equal({
      ok: false,
      problem: { kind: "invalid" },
    });
  });
});

describe("token service as the data plane's bearer verifier", () => {
  it("lets startEmulator accept its data-plane tokens and refuse its ARM tokens", async () => {
    const { startEmulator } = await import("../../../emulator/server");
    const tokens = new TokenService({ tenantId: "t" });
    const principal = tokens.addPrincipal({ objectId: "o", clientId: "c", displayName: "p" });
    const emulator = await startEmulator({ quiet: true, verifyBearer: tokens.bearerVerifier() });
    try {
      const get = (audience: string) =>
        fetch(`${emulator.endpoint}/openai/models?api-version=2024-10-21`, {
          headers: { authorization: `Bearer ${tokens.issue(principal, audience).accessToken}` },
        });
      expect((await get(AUDIENCES.dataPlane)).status).to.equal(200);
      expect((await get(AUDIENCES.arm)).status).to.equal(401);
    } finally {
      await emulator.close();
    }
  });
});

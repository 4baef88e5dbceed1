import { expect } from "chai";
import tls from "node:tls";
import { RunningLocalAzure, startLocalAzure } from "../../../emulator/localAzure";

describe("local Azure Microsoft Graph: applications, service principals, federated identity credentials", () => {
  let azure: RunningLocalAzure;
  let defaults: string[];
  let call: (method: string, path: string, body?: unknown, resource?: string) => Promise<Response>;

  before(async () => {
    azure = await startLocalAzure({ quiet: true, defaultAccount: false });
    defaults = tls.getCACertificates("default");
    tls.setDefaultCACertificates([...defaults, azure.caPem]);
    call = (method, path, body, resource = "https://graph.microsoft.com") =>
      fetch(`${azure.graphEndpoint}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${azure.token(resource)}`,
          "content-type": "application/json",
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
  });
  after(async () => {
    tls.setDefaultCACertificates(defaults);
    await azure.close();
  });

  const credential = (name: string, subject: string) => ({
    name,
    issuer: "https://token.actions.githubusercontent.com",
    subject,
    audiences: ["api://AzureADTokenExchange"],
  });

  it("creates an application, its service principal (assignable in RBAC) and a federated credential", async () => {
    const app = (await (
      await call("POST", "/v1.0/applications", { displayName: "ci-dev" })
    ).json()) as Record<string, string>;
    expect(app.appId).to.match(/^[0-9a-f-]{36}$/);
    const sp = await call("POST", "/v1.0/servicePrincipals", { appId: app.appId });
    expect(sp.status).to.equal(201);
    const spBody = (await sp.json()) as Record<string, string>;
    expect(azure.context.principalType(spBody.id)).to.equal("ServicePrincipal");
    const fic = await call(
      "POST",
      `/v1.0/applications/${app.id}/federatedIdentityCredentials`,
      credential("deploy-dev", "repo:acme/aoift:environment:dev"),
    );
    expect(fic.status).to.equal(201);
    const listed = (await (
      await call("GET", `/v1.0/applications/${app.id}/federatedIdentityCredentials`)
    ).json()) as { value: unknown[] };
    expect(listed.value).to.have.length(1);
    expect((await call("GET", `/v1.0/applications(appId='${app.appId}')`)).status).to.equal(200);
  });

  it("refuses a duplicate name or subject, two audiences, and a 21st credential", async () => {
    const app = (await (
      await call("POST", "/v1.0/applications", { displayName: "ci-prod" })
    ).json()) as Record<string, string>;
    const path = `/v1.0/applications/${app.id}/federatedIdentityCredentials`;
    expect((await call("POST", path, credential("c0", "repo:a/b:environment:e0"))).status).to.equal(
      201,
    );
    expect(
      (await call("POST", path, credential("c0", "repo:a/b:environment:other"))).status,
    ).to.equal(409);
    expect((await call("POST", path, credential("c1", "repo:a/b:environment:e0"))).status).to.equal(
      409,
    );
    const two = await call("POST", path, {
      ...credential("c2", "repo:a/b:ref:x"),
      audiences: ["a", "b"],
    });
    expect(two.status).to.equal(400);
    for (let i = 1; i < 20; i++) {
      expect(
        (await call("POST", path, credential(`c${i}`, `repo:a/b:environment:e${i}`))).status,
      ).to.equal(201);
    }
    const over = await call("POST", path, credential("c20", "repo:a/b:environment:e20"));
    expect(over.status).to.equal(400);
    expect(await over.json()).to.deep.equal({
      error: {
        code: "Request_BadRequest",
        message: "An application can have at most 20 federated identity credentials.",
      },
    });
  });

  it("refuses a token for another audience", async () => {
    const res = await call("GET", "/v1.0/applications", undefined, "https://management.azure.com");
    expect(res.status).to.equal(401);
    expect(((await res.json()) as { error: { code: string } }).error.code).to.equal(
      "InvalidAuthenticationToken",
    );
  });
});

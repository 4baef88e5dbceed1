import { expect } from "chai";
import { RunningLocalAzure, startLocalAzure } from "../../../emulator/localAzure";

describe("local Azure managed-identity endpoint (App Service 2019-08-01)", () => {
  let azure: RunningLocalAzure;
  before(async () => {
    azure = await startLocalAzure({ quiet: true, defaultAccount: false });
  });
  after(() => azure.close());

  const get = (query: string, header?: string) =>
    fetch(`${azure.identityEndpoint}?${query}`, {
      headers: header === undefined ? {} : { "x-identity-header": header },
    });

  it("answers what @azure/identity reads: access_token, expires_on as a string of seconds, resource, token_type, client_id", async () => {
    const res = await get(
      "api-version=2019-08-01&resource=https%3A%2F%2Fcognitiveservices.azure.com",
      azure.identityHeader,
    );
    expect(res.status).to.equal(200);
    const body = (await res.json()) as Record<string, string>;
    expect(Object.keys(body).sort()).to.deep.equal([
      "access_token",
      "client_id",
      "expires_on",
      "resource",
      "token_type",
    ]);
    expect(body.expires_on).to.match(/^\d{10}$/);
    expect(body).to.include({
      resource: "https://cognitiveservices.azure.com",
      token_type: "Bearer",
      client_id: azure.identities[0].clientId,
    });
  });

  it("refuses a wrong identity header, an unknown resource and an unknown client_id", async () => {
    expect(
      (await get("api-version=2019-08-01&resource=https://management.azure.com", "nope")).status,
    ).to.equal(401);
    const resource = await get(
      "api-version=2019-08-01&resource=https://vault.azure.net",
      azure.identityHeader,
    );
    expect(resource.status).to.equal(400);
    expect(((await resource.json()) as { error: string }).error).to.equal("invalid_resource");
    const client = await get(
      "api-version=2019-08-01&resource=https://management.azure.com&client_id=x",
      azure.identityHeader,
    );
    expect(client.status).to.equal(400);
  });
});

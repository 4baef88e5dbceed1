import { expect } from "chai";
import { execFileSync } from "node:child_process";
import { RunningLocalAzure, startLocalAzure } from "../../emulator/localAzure";
import { formatEnv, localAzureEnv } from "../../emulator/localAzureEnv";

describe("local Azure client environment (npm run emulator -- --env-file / --print-env)", () => {
  let azure: RunningLocalAzure;
  before(async () => {
    azure = await startLocalAzure({ quiet: true });
  });
  after(() => azure.close());

  it("names the ARM endpoint, the default account, the token service, the ids and the CA under every client's variable", () => {
    const env = localAzureEnv(azure, "/tmp/ca.pem");
    expect(env).to.deep.equal({
      AZURE_RESOURCE_MANAGER_ENDPOINT: azure.armEndpoint,
      AZURE_OPENAI_ENDPOINT: azure.defaultAccount?.endpoint,
      AZURE_OPENAI_API_KEY: azure.defaultAccount?.apiKey,
      AZURE_OPENAI_ACCOUNT_ID: azure.defaultAccount?.id,
      IDENTITY_ENDPOINT: azure.identityEndpoint,
      IDENTITY_HEADER: azure.identityHeader,
      AZURE_CLIENT_ID: azure.identities[0].clientId,
      AZURE_SUBSCRIPTION_ID: azure.subscriptionId,
      AZURE_TENANT_ID: azure.tenantId,
      ARM_SUBSCRIPTION_ID: azure.subscriptionId,
      ARM_TENANT_ID: azure.tenantId,
      NODE_EXTRA_CA_CERTS: "/tmp/ca.pem",
      REQUESTS_CA_BUNDLE: "/tmp/ca.pem",
      SSL_CERT_FILE: "/tmp/ca.pem",
    });
    expect(azure.defaultAccount?.endpoint).to.match(/^https:\/\/127\.0\.0\.1:\d+\/$/);
  });

  it("writes lines a POSIX shell sources, quoting values", () => {
    const text = formatEnv({ A: "plain", B: "it's" });
    expect(text).to.equal("export A='plain'\nexport B='it'\\''s'\n");
    const out = execFileSync("sh", ["-c", `${text}printf '%s|%s' "$A" "$B"`]).toString();
    expect(out).to.equal("plain|it's");
  });
});

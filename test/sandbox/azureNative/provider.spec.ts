import { expect } from "chai";
import { AzureNativeSimulator } from "../../../sandbox/azureNative/provider";
import { useCredential } from "../../../sandbox/azure/rest";
import { UNKNOWN } from "../../../sandbox/plugin/wire";
import { CLAIMS, fakeJwt, FakeAzure, startFakeAzure } from "../fakeAzure";

const SUB = "00000000-0000-4000-8000-000000000001";
const ACCOUNT = "azure-native:cognitiveservices:Account";
const GROUP = "azure-native:resources:ResourceGroup";
const ASSIGNMENT = "azure-native:authorization:RoleAssignment";
const urn = (type: string, name: string) => `urn:pulumi:sandbox::p::${type}::${name}`;
const seed = new Uint8Array([1, 2, 3]);

describe("sandbox/azureNative/provider", () => {
  let azure: FakeAzure;
  let provider: AzureNativeSimulator;
  const saved = { ...process.env };

  before(async () => {
    azure = await startFakeAzure();
    process.env.AZURE_RESOURCE_MANAGER_ENDPOINT = azure.base;
    useCredential({
      getToken: async () => ({ token: fakeJwt(CLAIMS), expiresOnTimestamp: Date.now() + 3600_000 }),
    });
  });
  after(async () => {
    useCredential(undefined);
    process.env = saved;
    await azure.close();
  });
  beforeEach(() => {
    provider = new AzureNativeSimulator("3.28.0");
    provider.configure({ subscriptionId: SUB });
    azure.requests.length = 0;
  });

  describe("check", () => {
    it("autonames a resource group from its logical name, deterministically, and adds the api-version", async () => {
      const req = {
        type: GROUP,
        urn: urn(GROUP, "ft-rg"),
        name: "ft-rg",
        olds: {},
        news: { location: "swedencentral" },
        randomSeed: seed,
      };
      const first = await provider.check(req);
      const again = await provider.check(req);
      expect(first.failures).to.deep.equal([]);
      expect(first.inputs.resourceGroupName).to.match(/^ft-rg[0-9a-f]{8}$/);
      expect(again.inputs.resourceGroupName).to.equal(first.inputs.resourceGroupName);
      expect(first.inputs).to.include({
        azureApiVersion: "2024-03-01",
        __createBeforeDelete: true,
      });
    });

    it("keeps the old name on later checks", async () => {
      const out = await provider.check({
        type: GROUP,
        urn: urn(GROUP, "ft-rg"),
        name: "ft-rg",
        olds: {
          resourceGroupName: "ft-rgabcdef01",
          location: "swedencentral",
          __createBeforeDelete: true,
        },
        news: { location: "swedencentral" },
        randomSeed: new Uint8Array([9]),
      });
      expect(out.inputs.resourceGroupName).to.equal("ft-rgabcdef01");
    });

    it("names a role assignment with a GUID", async () => {
      const out = await provider.check({
        type: ASSIGNMENT,
        urn: urn(ASSIGNMENT, "ra"),
        name: "ra",
        olds: {},
        news: { scope: "/subscriptions/x", principalId: "p", roleDefinitionId: "r" },
        randomSeed: seed,
      });
      expect(out.inputs.roleAssignmentName).to.match(
        /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
      );
    });

    it("fails a missing location with azure-native's hint, and takes the configured one", async () => {
      const req = {
        type: ACCOUNT,
        urn: urn(ACCOUNT, "acct"),
        name: "acct",
        olds: {},
        news: { accountName: "a", resourceGroupName: "rg", kind: "AIServices" },
        randomSeed: seed,
      };
      expect((await provider.check(req)).failures).to.deep.equal([
        {
          property: "location",
          reason:
            "missing required property 'location'. Either set it explicitly or configure it with 'pulumi config set azure-native:location <value>'.",
        },
      ]);
      provider.configure({ location: "westus" });
      expect((await provider.check(req)).inputs.location).to.equal("westus");
    });
  });

  describe("preview", () => {
    const inputs = {
      accountName: "aoift-x",
      resourceGroupName: "rg",
      location: "swedencentral",
      kind: "AIServices",
      sku: { name: "S0" },
      identity: { type: "SystemAssigned" },
      properties: { customSubDomainName: "aoift-x" },
      azureApiVersion: "2025-06-01",
    };

    it("on create: inputs without path parameters, response-only fields unknown, no request", async () => {
      const out = await provider.create({
        type: ACCOUNT,
        urn: urn(ACCOUNT, "acct"),
        inputs,
        preview: true,
      });
      expect(out.id).to.equal("");
      expect(out.outputs).to.not.have.property("accountName");
      expect(out.outputs).to.include({
        name: UNKNOWN,
        location: "swedencentral",
        kind: "AIServices",
        etag: UNKNOWN,
      });
      expect(out.outputs.identity).to.deep.equal({
        type: "SystemAssigned",
        principalId: UNKNOWN,
        tenantId: UNKNOWN,
      });
      expect((out.outputs.properties as Record<string, unknown>).endpoint).to.equal(UNKNOWN);
      expect(azure.requests).to.deep.equal([]);
    });

    it("on update: only name and location carried over; the endpoint is unknown again", async () => {
      const outputs = await provider.update({
        type: ACCOUNT,
        id: "/x",
        urn: urn(ACCOUNT, "acct"),
        preview: true,
        oldInputs: inputs,
        news: { ...inputs, tags: { a: "b" } },
        oldOutputs: {
          name: "aoift-x",
          location: "swedencentral",
          properties: { endpoint: "https://aoift-x.example/" },
        },
      });
      expect(outputs).to.include({ name: "aoift-x", location: "swedencentral" });
      expect((outputs.properties as Record<string, unknown>).endpoint).to.equal(UNKNOWN);
    });
  });

  describe("CRUD against ARM", () => {
    const rgInputs = {
      resourceGroupName: "ft-rg1",
      location: "swedencentral",
      tags: { env: "t" },
      azureApiVersion: "2024-03-01",
    };
    const rgPath = `/subscriptions/${SUB}/resourcegroups/ft-rg1`;

    it("creates as GET (404) → PUT → poll Azure-AsyncOperation → GET, with the body and api-version", async () => {
      const out = await provider.create({
        type: GROUP,
        urn: urn(GROUP, "ft-rg"),
        inputs: rgInputs,
        preview: false,
      });
      expect(
        azure.requests.map((r) => `${r.method} ${r.url.replace(azure.base, "")}`),
      ).to.deep.equal([
        `GET ${rgPath}?api-version=2024-03-01`,
        `PUT ${rgPath}?api-version=2024-03-01`,
        "GET /ops/1",
        `GET ${rgPath}?api-version=2024-03-01`,
      ]);
      expect(azure.requests[1].body).to.deep.equal({
        location: "swedencentral",
        tags: { env: "t" },
      });
      expect(azure.requests[1].authorization).to.equal(`Bearer ${fakeJwt(CLAIMS)}`);
      expect(out.id).to.equal(rgPath);
      expect(out.outputs).to.include({
        name: "ft-rg1",
        location: "swedencentral",
        azureApiVersion: "2024-03-01",
      });
      expect(out.outputs).to.not.have.property("id");
    });

    it("refuses to create over an existing resource", async () => {
      let error: Error | undefined;
      await provider
        .create({ type: GROUP, urn: urn(GROUP, "ft-rg"), inputs: rgInputs, preview: false })
        .catch((e: Error) => (error = e));
      expect(error?.message).to.equal(
        `cannot create already existing resource '${rgPath}'; import it (\`pulumi import\`) or delete it first`,
      );
    });

    it("reads the live resource on refresh and takes changed values into the inputs", async () => {
      const live = azure.resources.get(rgPath) as Record<string, unknown>;
      const oldOutputs = { name: "ft-rg1", location: "swedencentral", tags: { env: "t" } };
      azure.resources.set(rgPath, { ...live, tags: { env: "changed" } });
      const out = await provider.read({
        type: GROUP,
        id: rgPath,
        urn: urn(GROUP, "ft-rg"),
        outputs: oldOutputs,
        inputs: rgInputs,
      });
      expect(out?.inputs).to.deep.equal({ ...rgInputs, tags: { env: "changed" } });
    });

    it("flattens role assignment inputs under properties and back", async () => {
      const scope = `/subscriptions/${SUB}/resourceGroups/rg`;
      const out = await provider.create({
        type: ASSIGNMENT,
        urn: urn(ASSIGNMENT, "ra"),
        preview: false,
        inputs: {
          scope,
          roleAssignmentName: "g-1",
          principalId: "p",
          principalType: "ServicePrincipal",
          roleDefinitionId: "/r",
          azureApiVersion: "2022-04-01",
        },
      });
      const put = azure.requests.find((r) => r.method === "PUT");
      expect(put?.url).to.equal(
        `${scope}/providers/Microsoft.Authorization/roleAssignments/g-1?api-version=2022-04-01`,
      );
      expect(put?.body).to.deep.equal({
        properties: { principalId: "p", principalType: "ServicePrincipal", roleDefinitionId: "/r" },
      });
      expect(out.outputs).to.include({
        principalId: "p",
        roleDefinitionId: "/r",
        provisioningState: "Succeeded",
      });
    });

    it("sends a role definition's roleType as properties.type and reads it back", async () => {
      const scope = `/subscriptions/${SUB}`;
      const out = await provider.create({
        type: "azure-native:authorization:RoleDefinition",
        urn: urn("azure-native:authorization:RoleDefinition", "purge"),
        preview: false,
        inputs: {
          scope,
          roleDefinitionId: "d-1",
          roleName: "purge",
          roleType: "CustomRole",
          permissions: [{ actions: ["a"] }],
          assignableScopes: [scope],
          azureApiVersion: "2022-05-01-preview",
        },
      });
      const put = azure.requests.find((r) => r.method === "PUT");
      expect(put?.body).to.deep.equal({
        properties: {
          roleName: "purge",
          type: "CustomRole",
          permissions: [{ actions: ["a"] }],
          assignableScopes: [scope],
        },
      });
      expect(out.outputs).to.include({ roleType: "CustomRole", type: "Microsoft.Test/things" });
    });

    it("deletes and waits for the 202's Location; a second delete (404) succeeds", async () => {
      await provider.delete({
        type: GROUP,
        id: rgPath,
        urn: urn(GROUP, "ft-rg"),
        outputs: {},
        inputs: rgInputs,
      });
      await provider.delete({
        type: GROUP,
        id: rgPath,
        urn: urn(GROUP, "ft-rg"),
        outputs: {},
        inputs: rgInputs,
      });
      expect(
        azure.requests.map((r) => `${r.method} ${r.url.replace(azure.base, "")}`),
      ).to.deep.equal([
        `DELETE ${rgPath}?api-version=2024-03-01`,
        "GET /results/1",
        `DELETE ${rgPath}?api-version=2024-03-01`,
      ]);
      expect(
        await provider.read({
          type: GROUP,
          id: rgPath,
          urn: urn(GROUP, "ft-rg"),
          outputs: {},
          inputs: rgInputs,
        }),
      ).to.equal(undefined);
    });
  });

  it("getClientConfig answers from the token's claims and the configured subscription", async () => {
    expect(await provider.invoke("azure-native:authorization:getClientConfig", {})).to.deep.equal({
      clientId: CLAIMS.appid,
      objectId: CLAIMS.oid,
      subscriptionId: SUB,
      tenantId: CLAIMS.tid,
    });
  });

  it("getAccount reads an existing account at the api-version azure-native 3.28.0 uses", async () => {
    const id = `/subscriptions/${SUB}/resourceGroups/shared-ai/providers/Microsoft.CognitiveServices/accounts/team-openai`;
    azure.resources.set(id, {
      id,
      name: "team-openai",
      kind: "AIServices",
      location: "swedencentral",
      properties: { customSubDomainName: "team-openai" },
    });
    const read = await provider.invoke("azure-native:cognitiveservices:getAccount", {
      accountName: "team-openai",
      resourceGroupName: "shared-ai",
    });
    expect([
      read,
      azure.requests.map((r) => `${r.method} ${r.url.replace(azure.base, "")}`),
    ]).to.deep.equal([
      {
        id,
        name: "team-openai",
        kind: "AIServices",
        location: "swedencentral",
        properties: { customSubDomainName: "team-openai" },
        azureApiVersion: "2025-06-01",
      },
      [`GET ${id}?api-version=2025-06-01`],
    ]);
  });

  it("names the modelled types when asked for another", async () => {
    let error: Error | undefined;
    await provider
      .diff({
        type: "azure-native:storage:StorageAccount",
        id: "",
        urn: "",
        oldInputs: {},
        oldOutputs: {},
        news: {},
      })
      .catch((e: Error) => (error = e));
    expect(error?.message).to.match(
      /^the azure-native simulator does not model 'azure-native:storage:StorageAccount'; it models azure-native:resources:ResourceGroup, /,
    );
  });
});

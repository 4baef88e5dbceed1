import { CognitiveServicesManagementClient, Deployment } from "@azure/arm-cognitiveservices";
import { expect } from "chai";
import { RunningLocalAzure, startLocalAzure } from "../../../emulator/localAzure";
import { groupClient, openAIAccount, POLL, rejection, SdkWorld, startSdkWorld } from "./support";

function base(name: string, version: string, sku: string): Deployment {
  return {
    sku: { name: sku, capacity: 1 },
    properties: { model: { format: "OpenAI", name, version } },
  };
}

describe("local Azure ARM: base-model deployments through @azure/arm-cognitiveservices", () => {
  let world: SdkWorld;
  let cs: CognitiveServicesManagementClient;
  const group = "rg-base-models";

  before(async () => {
    world = await startSdkWorld();
    cs = await groupClient(world, group);
    await cs.accounts.beginCreateAndWait(group, "acct-sweden", openAIAccount("acct-sweden"), POLL);
    await cs.accounts.beginCreateAndWait(
      group,
      "acct-korea",
      { ...openAIAccount("acct-korea"), location: "koreacentral" },
      POLL,
    );
  });

  const deploy = (account: string, name: string, body: Deployment) =>
    cs.deployments.beginCreateOrUpdateAndWait(group, account, name, body, POLL);

  it("deploys a Standard model where the Standard table lists it and GlobalStandard anywhere", async () => {
    const standard = await deploy(
      "acct-sweden",
      "mini",
      base("gpt-4.1-mini", "2025-04-14", "Standard"),
    );
    expect(standard.properties?.provisioningState).to.equal("Succeeded");
    const global = await deploy(
      "acct-korea",
      "global",
      base("gpt-4o-mini", "2024-07-18", "GlobalStandard"),
    );
    expect(global.properties?.provisioningState).to.equal("Succeeded");
  });

  it("refuses a Standard deployment in a region that does not offer it: 400 InvalidResourceProperties", async () => {
    const err = await rejection(
      deploy("acct-korea", "regional", base("gpt-4o-mini", "2024-07-18", "Standard")),
    );
    expect(err.statusCode).to.equal(400);
    expect(err.code).to.equal("InvalidResourceProperties");
    // Wording as quoted in Azure-Samples/azure-search-openai-demo-csharp#362.
    expect(err.message).to.equal(
      "The specified SKU 'Standard' for model 'gpt-4o-mini 2024-07-18' is not supported in this region 'koreacentral'.",
    );
  });

  it("refuses a deployment type the base model does not have (DeveloperTier)", async () => {
    const err = await rejection(
      deploy("acct-sweden", "dev", base("gpt-4.1", "2025-04-14", "DeveloperTier")),
    );
    expect(err.statusCode).to.equal(400);
    expect(err.code).to.equal("InvalidResourceProperties");
    // Wording as quoted in Azure/azure-dev#6727.
    expect(err.message).to.equal(
      "The specified SKU 'DeveloperTier' of account deployment is not supported by the model 'gpt-4.1' version: '2025-04-14'.",
    );
  });

  it("refuses a new deployment of a model the admin API retired, and deploys it again once restored", async () => {
    const admin = (method: string, path: string, body?: unknown) =>
      fetch(`${world.azure.armHttpEndpoint}${path}`, {
        method,
        headers: body === undefined ? {} : { "content-type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    const retire = await admin("POST", "/_emulator/arm/models/gpt-4o-mini/retire", {
      version: "2024-07-18",
      since: "2026-03-31T00:00:00Z",
    });
    expect(await retire.json()).to.deep.equal({
      model: "gpt-4o-mini",
      version: "2024-07-18",
      since: "2026-03-31T00:00:00.000Z",
    });
    try {
      const err = await rejection(
        deploy("acct-sweden", "retired", base("gpt-4o-mini", "2024-07-18", "GlobalStandard")),
      );
      expect(err.statusCode).to.equal(400);
      expect(err.code).to.equal("ServiceModelDeprecated");
      // Wording as quoted in microsoft/microsoft-foundry-for-vscode#491.
      expect(err.message).to.equal(
        "The model 'Format:OpenAI,Name:gpt-4o-mini,Version:2024-07-18' has been deprecated since 03/31/2026 00:00:00.",
      );
    } finally {
      const restored = await admin(
        "DELETE",
        "/_emulator/arm/models/gpt-4o-mini/retire?version=2024-07-18",
      );
      expect(restored.status).to.equal(204);
    }
    const again = await deploy(
      "acct-sweden",
      "retired",
      base("gpt-4o-mini", "2024-07-18", "GlobalStandard"),
    );
    expect(again.properties?.provisioningState).to.equal("Succeeded");
  });
});

describe("local Azure ARM: published retirement dates warn on the injected clock", () => {
  async function deployAt(today: string): Promise<{ status: number; warnings: string[] }> {
    const azure: RunningLocalAzure = await startLocalAzure({
      quiet: true,
      operationMs: 0,
      clock: () => Date.parse(today),
    });
    try {
      const id = `${azure.defaultAccount?.id}/deployments/base`;
      const res = await fetch(`${azure.armHttpEndpoint}${id}?api-version=2025-06-01`, {
        method: "PUT",
        headers: {
          authorization: `Bearer ${azure.token("https://management.azure.com")}`,
          "content-type": "application/json",
        },
        body: JSON.stringify(base("gpt-4o-mini", "2024-07-18", "GlobalStandard")),
      });
      const state = (await (
        await fetch(`${azure.armHttpEndpoint}/_emulator/arm/state`)
      ).json()) as {
        warnings: string[];
      };
      return { status: res.status, warnings: state.warnings };
    } finally {
      await azure.close();
    }
  }

  it("deploys without a warning before the published dates", async () => {
    expect(await deployAt("2025-06-01T00:00:00Z")).to.deep.equal({ status: 201, warnings: [] });
  });

  it("still deploys after a published retirement date, with admin-visible warnings", async () => {
    const { status, warnings } = await deployAt("2026-10-02T00:00:00Z");
    expect(status).to.equal(201);
    expect(warnings.map((w) => w.split(" is ")[0])).to.deep.equal([
      "gpt-4o-mini-2024-07-18: the published deprecation date (no new customers)",
      "gpt-4o-mini-2024-07-18: the published retirement date of Standard deployments",
      "gpt-4o-mini-2024-07-18: the published base model retirement date",
    ]);
  });
});

import { CognitiveServicesManagementClient, Deployment } from "@azure/arm-cognitiveservices";
import { expect } from "chai";
import { AzureOpenAI } from "openai";
import { GA, jobParams, uploadProcessed, waitForJob } from "../support";
import { groupClient, openAIAccount, POLL, rejection, SdkWorld, startSdkWorld } from "./support";

const BASE: Deployment = {
  sku: { name: "Standard", capacity: 1 },
  properties: { model: { format: "OpenAI", name: "gpt-4o-mini", version: "2024-07-18" } },
};

function tuned(model: string, sku = "Standard"): Deployment {
  return {
    sku: { name: sku, capacity: 1 },
    properties: { model: { format: "OpenAI", name: model, version: "1" } },
  };
}

describe("local Azure ARM: deployments through @azure/arm-cognitiveservices", () => {
  let world: SdkWorld;
  let cs: CognitiveServicesManagementClient;
  let tunedModel: string;
  let otherTunedModel: string;
  const group = "rg-deploy";

  async function trainOn(name: string): Promise<{ openai: AzureOpenAI; model: string }> {
    const account = await cs.accounts.beginCreateAndWait(group, name, openAIAccount(name), POLL);
    const keys = await cs.accounts.listKeys(group, name);
    const openai = new AzureOpenAI({
      endpoint: account.properties?.endpoint,
      apiKey: keys.key1,
      apiVersion: GA,
      maxRetries: 0,
    });
    const file = await uploadProcessed(openai);
    const job = await openai.fineTuning.jobs.create(jobParams(file.id));
    const done = await waitForJob(openai, job.id, ["succeeded"]);
    return { openai, model: done.fine_tuned_model as string };
  }

  before(async () => {
    world = await startSdkWorld();
    cs = await groupClient(world, group);
    tunedModel = (await trainOn("acct-tune")).model;
    otherTunedModel = (await trainOn("acct-other")).model;
  });

  it("deploys a base model as an LRO and serves chat on the account's own endpoint", async () => {
    const created = await cs.deployments.beginCreateOrUpdateAndWait(
      group,
      "acct-tune",
      "base",
      BASE,
      POLL,
    );
    expect(created.properties?.provisioningState).to.equal("Succeeded");
    const keys = await cs.accounts.listKeys(group, "acct-tune");
    const account = await cs.accounts.get(group, "acct-tune");
    const openai = new AzureOpenAI({
      endpoint: account.properties?.endpoint,
      apiKey: keys.key1,
      apiVersion: GA,
    });
    const reply = await openai.chat.completions.create({
      model: "base",
      messages: [{ role: "user", content: "Hi" }],
    });
    expect(reply.object).to.equal("chat.completion");
  });

  it("refuses a model that does not exist: 400 DeploymentModelNotSupported", async () => {
    const err = await rejection(
      cs.deployments.beginCreateOrUpdateAndWait(
        group,
        "acct-tune",
        "nope",
        {
          ...BASE,
          properties: { model: { format: "OpenAI", name: "gpt-4o-mini", version: "2099-01-01" } },
        },
        POLL,
      ),
    );
    expect(err.statusCode).to.equal(400);
    expect(err.code).to.equal("DeploymentModelNotSupported");
    expect(err.message).to.equal(
      "The model 'Format:OpenAI,Name:gpt-4o-mini,Version:2099-01-01' of account deployment is not supported.",
    );
  });

  it("refuses to change a deployment's model: 400 CannotChangeDeploymentModel", async () => {
    await cs.deployments.beginCreateOrUpdateAndWait(
      group,
      "acct-tune",
      "tuned",
      tuned(tunedModel),
      POLL,
    );
    const err = await rejection(
      cs.deployments.beginCreateOrUpdateAndWait(group, "acct-tune", "tuned", BASE, POLL),
    );
    expect(err.statusCode).to.equal(400);
    expect(err.code).to.equal("CannotChangeDeploymentModel");
    expect(err.message).to.equal("The model of deployment cannot be changed.");
  });

  it("refuses a second write while one runs on the account: 409 RequestConflict", async () => {
    // The first write's operation runs until the test ends it, so no machine load can let it
    // finish before the second write arrives.
    world.azure.context.settings.operationMs = 600_000;
    try {
      const first = await cs.deployments.beginCreateOrUpdate(
        group,
        "acct-tune",
        "first",
        BASE,
        POLL,
      );
      const err = await rejection(
        cs.deployments.beginCreateOrUpdate(group, "acct-tune", "second", BASE, POLL),
      );
      expect(err.statusCode).to.equal(409);
      expect(err.code).to.equal("RequestConflict");
      expect(err.message).to.equal(
        `Another operation is being performed on the parent resource '/subscriptions/${world.azure.subscriptionId}/resourceGroups/${group}/providers/Microsoft.CognitiveServices/accounts/acct-tune'. Please try again later.`,
      );
      world.azure.context.finishScheduled();
      expect((await first.pollUntilDone()).properties?.provisioningState).to.equal("Succeeded");
    } finally {
      world.azure.context.settings.operationMs = 20;
      world.azure.context.finishScheduled();
    }
  });

  it("refuses a fine-tuned model of another account and a SKU the model does not offer", async () => {
    const foreign = await rejection(
      cs.deployments.beginCreateOrUpdateAndWait(
        group,
        "acct-tune",
        "foreign",
        tuned(otherTunedModel),
        POLL,
      ),
    );
    expect(foreign.code).to.equal("DeploymentModelNotSupported");
    const sku = await rejection(
      cs.deployments.beginCreateOrUpdateAndWait(
        group,
        "acct-tune",
        "dev",
        tuned(tunedModel, "DeveloperTier"),
        POLL,
      ),
    );
    expect(sku.statusCode).to.equal(400);
    expect(sku.code).to.equal("InvalidResourceProperties");
    expect(sku.message).to.equal(
      `The specified SKU 'DeveloperTier' of account deployment is not supported by the model '${tunedModel}' version: '1'.`,
    );
  });

  it("refuses capacity 0 and a sixth fine-tuned deployment", async () => {
    const zero = await rejection(
      cs.deployments.beginCreateOrUpdateAndWait(
        group,
        "acct-tune",
        "zero",
        { ...BASE, sku: { name: "Standard", capacity: 0 } },
        POLL,
      ),
    );
    expect(zero.statusCode).to.equal(400);
    expect(zero.code).to.equal("InvalidCapacity");
    for (const n of [2, 3, 4, 5]) {
      await cs.deployments.beginCreateOrUpdateAndWait(
        group,
        "acct-tune",
        `tuned-${n}`,
        tuned(tunedModel),
        POLL,
      );
    }
    const sixth = await rejection(
      cs.deployments.beginCreateOrUpdateAndWait(
        group,
        "acct-tune",
        "tuned-6",
        tuned(tunedModel),
        POLL,
      ),
    );
    expect(sixth.statusCode).to.equal(409);
    expect(sixth.code).to.equal("QuotaExceeded");
  });

  it("deleting the account removes its data plane", async () => {
    const account = await cs.accounts.get(group, "acct-other");
    await cs.accounts.beginDeleteAndWait(group, "acct-other", POLL);
    const err = await rejection(
      fetch(`${account.properties?.endpoint}openai/models?api-version=${GA}`),
    );
    expect(err.message).to.equal("fetch failed");
  });
});

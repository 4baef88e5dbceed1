import { CognitiveServicesManagementClient } from "@azure/arm-cognitiveservices";
import { expect } from "chai";
import { groupClient, openAIAccount, POLL, rejection, SdkWorld, startSdkWorld } from "./support";

describe("local Azure ARM: accounts through @azure/arm-cognitiveservices over HTTPS with managed-identity tokens", () => {
  let world: SdkWorld;
  let cs: CognitiveServicesManagementClient;
  const group = "rg-sdk";

  before(async () => {
    world = await startSdkWorld();
    cs = await groupClient(world, group);
  });

  const account = openAIAccount;

  it("creates an account as an LRO, gets, updates, deletes (soft) and purges it", async () => {
    const created = await cs.accounts.beginCreateAndWait(group, "acct-a", account("acct-a"), POLL);
    expect(created.properties?.provisioningState).to.equal("Succeeded");
    expect(created.properties?.endpoint).to.match(/^https:\/\/127\.0\.0\.1:\d+\/$/);
    const got = await cs.accounts.get(group, "acct-a");
    expect(got.id).to.equal(
      `/subscriptions/${world.azure.subscriptionId}/resourceGroups/${group}/providers/Microsoft.CognitiveServices/accounts/acct-a`,
    );
    const updated = await cs.accounts.beginUpdateAndWait(
      group,
      "acct-a",
      { tags: { env: "dev" } },
      POLL,
    );
    expect(updated.tags).to.deep.equal({ env: "dev" });
    await cs.accounts.beginDeleteAndWait(group, "acct-a", POLL);
    const missing = await rejection(cs.accounts.get(group, "acct-a"));
    expect(missing.statusCode).to.equal(404);
    expect(missing.code).to.equal("ResourceNotFound");
    const deleted = await cs.deletedAccounts.get("swedencentral", group, "acct-a");
    expect(deleted.properties?.deletionDate).to.be.a("string");
    await cs.deletedAccounts.beginPurgeAndWait("swedencentral", group, "acct-a", POLL);
    const purged = await rejection(cs.deletedAccounts.get("swedencentral", group, "acct-a"));
    expect(purged.statusCode).to.equal(404);
  });

  it("refuses a subdomain another account uses: 409 CustomDomainInUse", async () => {
    await cs.accounts.beginCreateAndWait(group, "acct-b", account("shared-sub"), POLL);
    const err = await rejection(
      cs.accounts.beginCreateAndWait(group, "acct-c", account("shared-sub"), POLL),
    );
    expect(err.statusCode).to.equal(409);
    expect(err.code).to.equal("CustomDomainInUse");
    expect(err.message).to.equal(
      "Please pick a different name. The subdomain name 'shared-sub' is not available as it's already used by a resource. " +
        "If the resource using the name was deleted in the last 48 hours, you may need to purge the deleted resource. " +
        'Learn more at "https://go.microsoft.com/fwlink/?linkid=2215493"',
    );
  });

  it("keeps a deleted account's name until purge: 409 FlagMustBeSetForRestore, then restore: true brings it back", async () => {
    await cs.accounts.beginCreateAndWait(group, "acct-d", account("acct-d"), POLL);
    await cs.accounts.beginDeleteAndWait(group, "acct-d", POLL);
    const err = await rejection(
      cs.accounts.beginCreateAndWait(group, "acct-d", account("acct-d"), POLL),
    );
    expect(err.statusCode).to.equal(409);
    expect(err.code).to.equal("FlagMustBeSetForRestore");
    expect(err.message).to.equal(
      `An existing resource with ID '/subscriptions/${world.azure.subscriptionId}/resourceGroups/${group}/providers/Microsoft.CognitiveServices/accounts/acct-d' has been soft-deleted. ` +
        "To restore the resource, you must specify 'restore' to be 'true' in the property. If you don't want to restore existing resource, please purge it first.",
    );
    const restore = account("acct-d");
    const restored = await cs.accounts.beginCreateAndWait(
      group,
      "acct-d",
      { ...restore, properties: { ...restore.properties, restore: true } },
      POLL,
    );
    expect(restored.properties?.provisioningState).to.equal("Succeeded");
  });

  it("lists keys, and refuses them when disableLocalAuth is set", async () => {
    await cs.accounts.beginCreateAndWait(group, "acct-e", account("acct-e"), POLL);
    const keys = await cs.accounts.listKeys(group, "acct-e");
    expect(keys.key1).to.match(/^[0-9a-f]{32}$/);
    await cs.accounts.beginUpdateAndWait(
      group,
      "acct-e",
      { properties: { disableLocalAuth: true } },
      POLL,
    );
    const err = await rejection(cs.accounts.listKeys(group, "acct-e"));
    expect(err.statusCode).to.equal(400);
    expect(err.message).to.equal("Failed to list key. disableLocalAuth is set to be true");
  });

  it("refuses an unknown api-version with NoRegisteredProviderFound", async () => {
    const client = new CognitiveServicesManagementClient(
      world.credential,
      world.azure.subscriptionId,
      {
        ...world.clientOptions,
        apiVersion: "2019-01-01",
      },
    );
    const err = await rejection(client.accounts.get(group, "acct-b"));
    expect(err.statusCode).to.equal(400);
    expect(err.code).to.equal("NoRegisteredProviderFound");
  });
});

import { AuthorizationManagementClient } from "@azure/arm-authorization";
import { CognitiveServicesManagementClient } from "@azure/arm-cognitiveservices";
import type { TokenCredential } from "@azure/identity";
import { getBearerTokenProvider } from "@azure/identity";
import { expect } from "chai";
import { randomUUID } from "node:crypto";
import { AzureOpenAI, toFile } from "openai";
import type { Principal } from "../../../emulator/identity/tokens";
import { GA, trainingJsonl } from "../support";
import { groupClient, openAIAccount, POLL, rejection, SdkWorld, startSdkWorld } from "./support";

const ROLE = "/providers/Microsoft.Authorization/roleDefinitions";
const OPENAI_USER = "5e0bd9bd-7b93-4f28-af87-19fc36ad61bd";
const OPENAI_CONTRIBUTOR = "a001fd3d-188f-4b5d-821b-7da978bf7442";

describe("local Azure: role assignments (@azure/arm-authorization) and data-plane access", () => {
  let world: SdkWorld;
  let auth: AuthorizationManagementClient;
  let cs: CognitiveServicesManagementClient;
  let outsider: Principal;
  let accountId: string;
  let endpoint: string;
  const group = "rg-access";
  const sub = () => `/subscriptions/${world.azure.subscriptionId}`;

  /** A credential for `principal` from the token service. */
  function credentialOf(principal: Principal): TokenCredential {
    return {
      getToken: async (scopes) => ({
        token: world.azure.token([scopes].flat()[0], principal),
        expiresOnTimestamp: Date.now() + 3_600_000,
      }),
    };
  }

  function openaiAs(credential: TokenCredential): AzureOpenAI {
    return new AzureOpenAI({
      endpoint,
      apiVersion: GA,
      maxRetries: 0,
      azureADTokenProvider: getBearerTokenProvider(
        credential,
        "https://cognitiveservices.azure.com/.default",
      ),
    });
  }

  before(async () => {
    world = await startSdkWorld();
    const { credential, clientOptions, azure } = world;
    auth = new AuthorizationManagementClient(credential, azure.subscriptionId, clientOptions);
    cs = await groupClient(world, group);
    const account = await cs.accounts.beginCreateAndWait(
      group,
      "acct-rbac",
      openAIAccount("acct-rbac"),
      POLL,
    );
    accountId = account.id as string;
    endpoint = account.properties?.endpoint as string;
    outsider = azure.context.tokens.addPrincipal({
      objectId: randomUUID(),
      clientId: randomUUID(),
      displayName: "ci",
    });
  });

  it("refuses a role definition that does not exist (the old wrong Contributor id): 400 RoleDefinitionDoesNotExist", async () => {
    const err = await rejection(
      auth.roleAssignments.create(accountId, randomUUID(), {
        roleDefinitionId: `${sub()}${ROLE}/b24988ac-6180-42a0-ab88-20f61eddcd04`,
        principalId: outsider.objectId,
        principalType: "ServicePrincipal",
      }),
    );
    expect(err.statusCode).to.equal(400);
    expect(err.code).to.equal("RoleDefinitionDoesNotExist");
    expect(err.message).to.equal(
      "The specified role definition with ID 'b24988ac-6180-42a0-ab88-20f61eddcd04' does not exist.",
    );
  });

  it("refuses a wrong principalType and a duplicate assignment with Azure's codes", async () => {
    const params = {
      roleDefinitionId: `${sub()}${ROLE}/${OPENAI_USER}`,
      principalId: outsider.objectId,
      principalType: "ServicePrincipal",
    };
    const wrongType = await rejection(
      auth.roleAssignments.create(accountId, randomUUID(), { ...params, principalType: "User" }),
    );
    expect(wrongType.code).to.equal("UnmatchedPrincipalType");
    expect(wrongType.message).to.equal(
      `The PrincipalId '${outsider.objectId}' has type 'ServicePrincipal' , which is different from specified PrincipalType 'User'.`,
    );
    const created = await auth.roleAssignments.create(accountId, randomUUID(), params);
    expect(created.principalId).to.equal(outsider.objectId);
    const duplicate = await rejection(auth.roleAssignments.create(accountId, randomUUID(), params));
    expect(duplicate.statusCode).to.equal(409);
    expect(duplicate.code).to.equal("RoleAssignmentExists");
    expect(duplicate.message).to.equal("The role assignment already exists.");
  });

  it("lets a token through the data plane only with a data action, by the role's actions (OpenAI User reads, cannot upload)", async () => {
    const deployer = openaiAs(world.credential);
    const denied = await rejection(deployer.files.list());
    expect(denied.message).to.include("401");
    expect((denied as { error?: { code?: string } }).error?.code).to.equal("PermissionDenied");
    const user = openaiAs(credentialOf(outsider));
    expect((await user.files.list()).data).to.deep.equal([]);
    const upload = await rejection(
      user.files.create({ file: await toFile(trainingJsonl(), "t.jsonl"), purpose: "fine-tune" }),
    );
    expect((upload as { error?: { message?: string } }).error?.message).to.equal(
      `The principal \`${outsider.objectId}\` lacks the required data action \`Microsoft.CognitiveServices/accounts/OpenAI/files/write\` to perform \`POST /openai/files\` operation.`,
    );
  });

  it("applies a new assignment only after the propagation delay", async () => {
    world.azure.context.settings.propagationMs = 200;
    try {
      const deployer = world.azure.identities[0];
      await auth.roleAssignments.create(accountId, randomUUID(), {
        roleDefinitionId: `${sub()}${ROLE}/${OPENAI_CONTRIBUTOR}`,
        principalId: deployer.objectId,
        principalType: "ServicePrincipal",
      });
      const openai = openaiAs(world.credential);
      await rejection(openai.files.list());
      await new Promise((resolve) => setTimeout(resolve, 250));
      expect((await openai.files.list()).data).to.deep.equal([]);
    } finally {
      world.azure.context.settings.propagationMs = 0;
    }
  });

  it("refuses tokens for another audience on ARM (InvalidAuthenticationTokenAudience) and on the data plane", async () => {
    const armWithDataToken = new CognitiveServicesManagementClient(
      credentialOf(world.azure.identities[0]),
      world.azure.subscriptionId,
      {
        ...world.clientOptions,
        credentialScopes: ["https://cognitiveservices.azure.com/.default"],
      },
    );
    const err = await rejection(armWithDataToken.accounts.get(group, "acct-rbac"));
    expect(err.statusCode).to.equal(401);
    expect(err.code).to.equal("InvalidAuthenticationTokenAudience");
    const res = await fetch(`${endpoint}openai/files?api-version=${GA}`, {
      headers: { authorization: `Bearer ${world.azure.token("https://management.azure.com")}` },
    });
    expect(res.status).to.equal(401);
    expect(await res.json()).to.deep.equal({
      statusCode: 401,
      message:
        "Unauthorized. Access token is missing, invalid, audience is incorrect (https://cognitiveservices.azure.com), or have expired.",
    });
  });

  it("refuses callers outside networkAcls, everyone when publicNetworkAccess is Disabled, and keys under disableLocalAuth", async () => {
    const keys = await cs.accounts.listKeys(group, "acct-rbac");
    const get = () =>
      fetch(`${endpoint}openai/models?api-version=${GA}`, {
        headers: { "api-key": keys.key1 as string },
      });
    world.azure.context.settings.callerAddress = "198.51.100.7";
    await cs.accounts.beginUpdateAndWait(
      group,
      "acct-rbac",
      {
        properties: {
          networkAcls: { defaultAction: "Deny", ipRules: [{ value: "203.0.113.0/24" }] },
        },
      },
      POLL,
    );
    const blocked = await get();
    expect(blocked.status).to.equal(403);
    expect(await blocked.json()).to.deep.equal({
      error: { code: "403", message: "Access denied due to Virtual Network/Firewall rules." },
    });
    world.azure.context.settings.callerAddress = "203.0.113.9";
    expect((await get()).status).to.equal(200);
    await cs.accounts.beginUpdateAndWait(
      group,
      "acct-rbac",
      { properties: { publicNetworkAccess: "Disabled" } },
      POLL,
    );
    expect(await (await get()).json()).to.deep.equal({
      error: {
        code: "403",
        message: "Public access is disabled. Please configure private endpoint.",
      },
    });
    await cs.accounts.beginUpdateAndWait(
      group,
      "acct-rbac",
      { properties: { publicNetworkAccess: "Enabled", disableLocalAuth: true } },
      POLL,
    );
    const keyed = await get();
    expect(keyed.status).to.equal(403);
    expect(await keyed.json()).to.deep.equal({
      error: {
        code: "AuthenticationTypeDisabled",
        message: "Key based authentication is disabled for this resource.",
      },
    });
    world.azure.context.settings.callerAddress = undefined;
  });

  it("purges only with deletedAccounts/delete at subscription scope (a custom role at resource-group scope is not enough)", async () => {
    const purger = world.azure.context.tokens.addPrincipal({
      objectId: randomUUID(),
      clientId: randomUUID(),
      displayName: "purger",
    });
    const roleId = randomUUID();
    await auth.roleDefinitions.createOrUpdate(sub(), roleId, {
      roleName: "Purge deleted AI accounts",
      roleType: "CustomRole",
      permissions: [
        {
          actions: ["Microsoft.CognitiveServices/locations/resourceGroups/deletedAccounts/delete"],
        },
      ],
      assignableScopes: [sub()],
    });
    await cs.accounts.beginDeleteAndWait(group, "acct-rbac", POLL);
    const asPurger = new CognitiveServicesManagementClient(
      credentialOf(purger),
      world.azure.subscriptionId,
      world.clientOptions,
    );
    const assign = (scope: string) =>
      auth.roleAssignments.create(scope, randomUUID(), {
        roleDefinitionId: `${sub()}${ROLE}/${roleId}`,
        principalId: purger.objectId,
        principalType: "ServicePrincipal",
      });
    await assign(`${sub()}/resourceGroups/${group}`);
    const refused = await rejection(
      asPurger.deletedAccounts.beginPurgeAndWait("swedencentral", group, "acct-rbac", POLL),
    );
    expect(refused.statusCode).to.equal(403);
    expect(refused.code).to.equal("AuthorizationFailed");
    expect(refused.message).to.equal(
      `The client '${purger.clientId}' with object id '${purger.objectId}' does not have authorization to perform action ` +
        `'Microsoft.CognitiveServices/locations/resourceGroups/deletedAccounts/delete' over scope ` +
        `'${sub()}/providers/Microsoft.CognitiveServices/locations/swedencentral/resourceGroups/${group}/deletedAccounts/acct-rbac' ` +
        "or the scope is invalid. If access was recently granted, please refresh your credentials.",
    );
    await assign(sub());
    await asPurger.deletedAccounts.beginPurgeAndWait("swedencentral", group, "acct-rbac", POLL);
  });
});

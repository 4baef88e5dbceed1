/**
 * Connect mode through the sandbox (issue #13): another team's account, made through local Azure's
 * ARM with the Azure SDK before the first command, with a deployment and a role assignment of its
 * own; the unchanged program with `existingAccount` trains and deploys into it; `destroy` removes
 * only what the stack made there (training file, job, tuned deployment, its grant), and the
 * account, its deployment and its role assignment survive, as local Azure's state shows.
 */
import { CognitiveServicesManagementClient } from "@azure/arm-cognitiveservices";
import { AuthorizationManagementClient } from "@azure/arm-authorization";
import { ResourceManagementClient } from "@azure/arm-resources";
import type { AccessToken, TokenCredential } from "@azure/identity";
import { expect } from "chai";
import tls from "node:tls";
import { CommandResult, Scenario, startScenario, tally } from "./harness";

const SUB = "5b1c3e4a-0000-4000-8000-00000000a0f7";
/** Local Azure's subscription Owner (sandbox/localAzure.ts): here, the other team's admin. */
const OWNER = "3f9d6c2e-0000-4000-8000-00000000a0f7";
const GROUP = "shared-ai";
const ACCOUNT = "team-openai";
const ACCOUNT_ID = `/subscriptions/${SUB}/resourceGroups/${GROUP}/providers/Microsoft.CognitiveServices/accounts/${ACCOUNT}`;
/** The other team's own deployment and grant, which the stack must leave alone. */
const THEIR_DEPLOYMENT = "team-chat";
const THEIR_ASSIGNMENT = "6d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6";
const CALLER_APP = "a7c3e9d1-0000-4000-8000-0000000c0a11";
/** Cognitive Services OpenAI User (https://learn.microsoft.com/azure/role-based-access-control/built-in-roles/ai-machine-learning#cognitive-services-openai-user). */
const OPENAI_USER = "5e0bd9bd-7b93-4f28-af87-19fc36ad61bd";
const POLL = { updateIntervalInMs: 50 };

function ok(res: CommandResult): CommandResult {
  expect(res.code, res.output).to.equal(0);
  return res;
}

/** A token for `OWNER` from local Azure's token service (its admin API). */
function ownerCredential(s: Scenario): TokenCredential {
  return {
    async getToken(): Promise<AccessToken> {
      const res = await s.admin("POST", "/_emulator/identity/tokens", {
        objectId: OWNER,
        resource: "https://management.azure.com/",
      });
      const body = res.body as { access_token: string; expires_on: string };
      return { token: body.access_token, expiresOnTimestamp: Number(body.expires_on) * 1000 };
    },
  };
}

/** The other team's account, as they would make it: group, account, deployment, grant. */
async function createTheirAccount(s: Scenario): Promise<void> {
  const credential = ownerCredential(s);
  const options = {
    endpoint: s.azure.endpoint,
    credentialScopes: ["https://management.azure.com/.default"],
  };
  await new ResourceManagementClient(credential, SUB, options).resourceGroups.createOrUpdate(
    GROUP,
    { location: "swedencentral" },
  );
  const cs = new CognitiveServicesManagementClient(credential, SUB, options);
  await cs.accounts.beginCreateAndWait(
    GROUP,
    ACCOUNT,
    {
      location: "swedencentral",
      kind: "AIServices",
      sku: { name: "S0" },
      identity: { type: "SystemAssigned" },
      properties: { customSubDomainName: "team-openai-e2e", disableLocalAuth: true },
    },
    POLL,
  );
  await cs.deployments.beginCreateOrUpdateAndWait(
    GROUP,
    ACCOUNT,
    THEIR_DEPLOYMENT,
    {
      sku: { name: "GlobalStandard", capacity: 10 },
      properties: { model: { format: "OpenAI", name: "gpt-4.1-mini", version: "2025-04-14" } },
    },
    POLL,
  );
  await s.admin("POST", "/_emulator/identity/principals", {
    objectId: CALLER_APP,
    displayName: "team-caller-app",
  });
  await new AuthorizationManagementClient(credential, SUB, options).roleAssignments.create(
    ACCOUNT_ID,
    THEIR_ASSIGNMENT,
    {
      principalId: CALLER_APP,
      principalType: "ServicePrincipal",
      roleDefinitionId: `/subscriptions/${SUB}/providers/Microsoft.Authorization/roleDefinitions/${OPENAI_USER}`,
    },
  );
}

describe("sandbox e2e: connect to an account the stack does not own", function () {
  this.timeout(10 * 60_000);
  let s: Scenario;
  let tunedDeployment: string;
  const defaults = tls.getCACertificates("default");

  before(async () => {
    s = await startScenario({
      stack: "e2e-connect",
      config: { existingAccount: ACCOUNT_ID, baseDeploymentName: THEIR_DEPLOYMENT },
      before: async (scenario) => {
        // The SDK clients run in this process: trust local Azure's CA here (what
        // NODE_EXTRA_CA_CERTS does for the CLI's processes).
        tls.setDefaultCACertificates([...defaults, scenario.azure.caPem]);
        await createTheirAccount(scenario);
      },
    });
  });

  after(async () => {
    tls.setDefaultCACertificates(defaults);
    await s?.close();
  });

  /** The account as local Azure holds it: deployments, and the grants on it by name. */
  function account() {
    const record = s.azure.arm.account(GROUP, ACCOUNT);
    const grants = [...s.azure.arm.roleAssignments.values()].filter(
      (a) => a.scope.toLowerCase() === ACCOUNT_ID.toLowerCase(),
    );
    return {
      exists: record !== undefined,
      deployments: [...(record?.deployments.keys() ?? [])].sort(),
      grants: grants.map((a) => `${a.principalId} ${a.roleDefinitionId.split("/").pop()}`).sort(),
      theirGrant: grants.some((a) => a.name === THEIR_ASSIGNMENT),
      endpoint: record?.dataPlane?.endpoint,
    };
  }

  /** The account's data plane as local Azure holds it (its admin API). */
  async function dataPlane(endpoint: string | undefined) {
    const res = await s.admin("GET", `${endpoint}_emulator/state`);
    const body = res.body as { files: unknown[]; jobs: unknown[]; deployments: { name: string }[] };
    return { ...body, deployments: body.deployments.map((d) => d.name).sort() };
  }

  it("up trains and deploys into the existing account and writes nothing but a deployment and a grant there", async () => {
    const res = ok(await s.up());
    const outputs = await s.outputs();
    tunedDeployment = String(outputs.tunedDeploymentName);
    expect([
      outputs.accountName,
      outputs.resourceGroupName,
      outputs.baseDeploymentName,
      String(outputs.fineTunedModel).startsWith("gpt-4.1-mini-2025-04-14.ft-"),
    ]).to.deep.equal([ACCOUNT, GROUP, THEIR_DEPLOYMENT, true]);
    const state = await s.exportStack();
    const declared = state.resources.map((r) => r.type);
    for (const owned of [
      "azure-native:resources:ResourceGroup",
      "azure-native:cognitiveservices:Account",
      "pulumi-nodejs:dynamic/azure-openai:AccountPurge",
    ]) {
      expect(declared, owned).to.not.include(owned);
    }
    // Every ARM write of `up` is a deployment or a role assignment under the account.
    const writes = Object.keys(tally(res.requests.arm, "mutating"));
    const under = `PUT /subscriptions/{}/resourceGroups/{}/providers/Microsoft.CognitiveServices/accounts/{}/`;
    expect(
      writes.filter(
        (w) =>
          !w.startsWith(`${under}deployments/{}`) &&
          !w.startsWith(`${under}providers/Microsoft.Authorization/roleAssignments/{}`),
      ),
      writes.join("\n"),
    ).to.deep.equal([]);
    const now = account();
    const plane = await dataPlane(now.endpoint);
    expect([
      now.deployments,
      now.theirGrant,
      plane.files.length > 0,
      plane.jobs.length,
      plane.deployments,
    ]).to.deep.equal([
      [THEIR_DEPLOYMENT, tunedDeployment].sort(),
      true,
      true,
      1,
      [THEIR_DEPLOYMENT, tunedDeployment].sort(),
    ]);
  });

  it("destroy removes only the stack's file, job, tuned deployment and grant; the account, its deployment and its grant stay", async () => {
    const before = account();
    ok(await s.destroy());
    const after = account();
    expect({
      exists: after.exists,
      deleted: s.azure.arm.deletedAccounts.size,
      deployments: after.deployments,
      grants: after.grants,
      theirGrant: after.theirGrant,
    }).to.deep.equal({
      exists: true,
      deleted: 0,
      deployments: [THEIR_DEPLOYMENT],
      grants: [`${CALLER_APP} ${OPENAI_USER}`],
      theirGrant: true,
    });
    expect(before.grants).to.include(`${CALLER_APP} ${OPENAI_USER}`);
    expect(before.grants).to.have.length(2); // theirs and the stack's (`principals`)
    const plane = await dataPlane(after.endpoint);
    expect([plane.files, plane.jobs, plane.deployments]).to.deep.equal([
      [],
      [],
      [THEIR_DEPLOYMENT],
    ]);
    const state = await s.exportStack();
    expect(
      state.resources
        .map((r) => r.type)
        .filter((t) => t !== "pulumi:pulumi:Stack" && !t.startsWith("pulumi:providers:")),
    ).to.deep.equal([]);
  });
});

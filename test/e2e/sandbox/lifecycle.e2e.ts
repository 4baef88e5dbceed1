/**
 * The whole program (index.ts, unchanged) through the sandbox: the real `pulumi` CLI on one stack
 * against local Azure, the scenarios in order on the same stack, each asserting on the requests
 * local Azure received per plane and on `pulumi stack export`.
 */
import { expect } from "chai";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { REPO } from "../../../sandbox/session";
import { cookbookTokens, trainingData } from "../support/trainingData";
import { CommandResult, Scenario, StackExport, startScenario, tally } from "./harness";

const SUB = "5b1c3e4a-0000-4000-8000-00000000a0f7";
const DEPLOYER = "3f9d6c2e-0000-4000-8000-00000000a0f7";
/** Cognitive Services OpenAI User, https://learn.microsoft.com/azure/role-based-access-control/built-in-roles/ai-machine-learning */
const OPENAI_USER = "5e0bd9bd-7b93-4f28-af87-19fc36ad61bd";
const ACCOUNT =
  "/subscriptions/{}/resourceGroups/{}/providers/Microsoft.CognitiveServices/accounts/{}";
const TUNED = "ft-sandbox-tuned-deployment";

function ok(res: CommandResult): CommandResult {
  expect(res.code, res.output).to.equal(0);
  return res;
}

/** `type::name` of every resource in state, sorted. */
function inventory(state: StackExport): string[] {
  return state.resources.map((r) => `${r.type}::${r.urn.split("::").pop()}`).sort();
}

function find(state: StackExport, name: string) {
  return state.resources.find((r) => r.urn.endsWith(`::${name}`));
}

/** Ids of the custom resources by name. */
function ids(state: StackExport): Record<string, string | undefined> {
  return Object.fromEntries(
    state.resources.filter((r) => r.id).map((r) => [r.urn.split("::").pop(), r.id]),
  );
}

describe("sandbox e2e: the whole program's lifecycle against local Azure", function () {
  this.timeout(10 * 60_000);
  let s: Scenario;
  let first: StackExport;
  let outputs: Record<string, unknown>;

  before(async () => {
    s = await startScenario({ stack: "e2e-lifecycle" });
  });

  after(async () => {
    await s?.close();
  });

  const account = () => {
    const [only] = [...s.azure.arm.accounts.values()];
    return only;
  };

  it("up creates every resource, keylessly", async () => {
    const res = ok(await s.up());
    expect(tally(res.requests.arm, "mutating")).to.deep.equal({
      "PUT /subscriptions/{}/resourcegroups/{} 201": 1,
      [`PUT ${ACCOUNT} 201`]: 1,
      [`PUT ${ACCOUNT}/deployments/{} 201`]: 2,
      [`PUT ${ACCOUNT}/projects/{} 201`]: 1,
      [`PUT ${ACCOUNT}/providers/Microsoft.Authorization/roleAssignments/{} 201`]: 1,
    });
    expect(tally(res.requests.dataPlane, "mutating")).to.deep.equal({
      "POST /openai/files 201": 1,
      "POST /openai/fine_tuning/jobs 201": 1,
    });
    expect(res.requests.graph.requests).to.deep.equal([]);

    first = await s.exportStack();
    expect(inventory(first)).to.deep.equal([
      "azure-native:authorization:RoleAssignment::ft-sandbox-access-contributor-3f9d6c2e-0000-4000-8000-00000000a0f7",
      "azure-native:cognitiveservices:Account::ft-sandbox-account",
      "azure-native:cognitiveservices:Deployment::ft-sandbox-base",
      `azure-native:cognitiveservices:Deployment::${TUNED}`,
      "azure-native:cognitiveservices:Project::ft-sandbox-project",
      "azure-native:resources:ResourceGroup::ft-sandbox-rg",
      "azure-openai-finetune:access:AccountAccess::ft-sandbox-access",
      "azure-openai-finetune:model:FineTunedModel::ft-sandbox-tuned",
      "azure-openai-finetune:platform:FineTuningPlatform::ft-sandbox",
      "pulumi-nodejs:dynamic/azure-openai:AccountPurge::ft-sandbox-purge",
      "pulumi-nodejs:dynamic/azure-openai:FineTuningJob::ft-sandbox-tuned-job",
      "pulumi-nodejs:dynamic/azure-openai:TrainingFile::ft-sandbox-tuned-training-file",
      "pulumi:providers:azure-native::default_3_28_0",
      "pulumi:providers:pulumi-nodejs::default",
      "pulumi:pulumi:Stack::azure-openai-finetune-e2e-lifecycle",
    ]);
    outputs = await s.outputs();
    const live = account();
    expect(live.properties.disableLocalAuth).to.equal(true);
    expect(
      [...live.deployments.values()].map((d) => [
        d.name,
        (d.properties.model as { name: string }).name,
      ]),
    ).to.deep.equal([
      ["gpt-4.1-mini-base", "gpt-4.1-mini"],
      [outputs.tunedDeploymentName, outputs.fineTunedModel],
    ]);
  });

  it("a second up (with its preview) is a no-op: no mutating request on any plane", async () => {
    const res = ok(await s.pulumi(["up", "--yes", ...s.configArgs]));
    for (const plane of [res.requests.arm, res.requests.dataPlane, res.requests.graph]) {
      expect(plane.mutating, plane.requests.join("\n")).to.equal(0);
    }
    expect(res.stdout).to.match(/Resources:\n {4}13 unchanged\n/);
    expect(ids(await s.exportStack())).to.deep.equal(ids(first));
  });

  it("an Account tag change previews and applies as updates only; a moved training file with the same content changes nothing", async () => {
    const moved = path.join(s.session.dir, "e2e-data", "moved.jsonl");
    fs.mkdirSync(path.dirname(moved), { recursive: true });
    fs.copyFileSync(path.join(REPO, "data", "travel-assistant.jsonl"), moved);
    s.setConfig({ tags: { "cost-center": "ml-sandbox", team: "travel" }, trainingFile: moved });
    const res = ok(await s.pulumi(["up", "--yes", ...s.configArgs]));
    // The preview's summary, then the update's: the resource group, the account and the Foundry
    // project carry the tags.
    expect(res.stdout).to.match(/Resources:\n {4}~ 3 to update\n {4}10 unchanged\n/);
    expect(res.stdout).to.match(/Resources:\n {4}~ 3 updated\n {4}10 unchanged\n/);
    expect(tally(res.requests.arm, "mutating")).to.deep.equal({
      "PUT /subscriptions/{}/resourceGroups/{} 200": 1,
      [`PUT ${ACCOUNT} 200`]: 1,
      [`PUT ${ACCOUNT}/projects/{} 200`]: 1,
    });
    expect(res.requests.dataPlane.mutating, res.requests.dataPlane.requests.join("\n")).to.equal(0);
    expect(ids(await s.exportStack())).to.deep.equal(ids(first));
    expect(account().tags).to.include({ team: "travel", "cost-center": "ml-sandbox" });
  });

  it("a training-data change retrains; the tuned deployment moves to the new model under its new name", async () => {
    const file = path.join(s.session.dir, "e2e-data", "travel-v2.jsonl");
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, trainingData(10, " (second edition)"));
    s.setConfig({ trainingFile: file });
    const before = outputs;
    const res = ok(await s.pulumi(["up", "--yes", ...s.configArgs]));
    outputs = await s.outputs();
    const model = outputs.fineTunedModel as string;
    // The preview shows the retrain: file, job and tuned deployment replaced.
    expect(res.stdout).to.match(/Resources:\n {4}\+-3 to replace\n {4}10 unchanged\n/);
    // The job's progress lines reach the engine's output.
    expect(res.stdout).to.include(
      `fine-tuning job ${outputs.fineTuningJobId}: fine-tuned model ${model}`,
    );
    // Billed tokens counted with gpt-tokenizer by the OpenAI cookbook's rule, not by the
    // project's validator: 3 epochs (Pulumi.sandbox.yaml).
    expect(outputs.trainedTokens).to.equal(3 * cookbookTokens(fs.readFileSync(file, "utf8")));

    expect(model).to.not.equal(before.fineTunedModel);
    const hash = createHash("sha256").update(model).digest("hex").slice(0, 8);
    expect(outputs.tunedDeploymentName).to.equal(`gpt-4.1-mini-travel-sandbox-${hash}`);
    // The new deployment is created before the old one is deleted; ARM refused nothing (its
    // CannotChangeDeploymentModel rule is always on in local Azure).
    expect(res.requests.arm.requests.filter((r) => /^(PUT|DELETE) /.test(r))).to.deep.equal([
      `PUT /subscriptions/${SUB}/resourceGroups/${before.resourceGroupName}/providers/Microsoft.CognitiveServices/accounts/${before.accountName}/deployments/${outputs.tunedDeploymentName} 201`,
      `DELETE /subscriptions/${SUB}/resourceGroups/${before.resourceGroupName}/providers/Microsoft.CognitiveServices/accounts/${before.accountName}/deployments/${before.tunedDeploymentName} 202`,
    ]);
    expect(
      res.requests.arm.requests.filter((r) => / [45]\d\d$/.test(r) && !/^GET /.test(r)),
    ).to.deep.equal([]);
    // New file and job; the old job's model, result file, job and training file are deleted.
    expect(tally(res.requests.dataPlane, "mutating")).to.deep.equal({
      "DELETE /openai/files/{} 200": 2,
      "DELETE /openai/fine_tuning/jobs/{} 204": 1,
      "DELETE /openai/v1/models/{} 200": 1,
      "POST /openai/files 201": 1,
      "POST /openai/fine_tuning/jobs 201": 1,
    });
    expect(
      [...account().deployments.values()].map((d) => [
        d.name,
        (d.properties.model as { name: string }).name,
      ]),
    ).to.deep.equal([
      ["gpt-4.1-mini-base", "gpt-4.1-mini"],
      [outputs.tunedDeploymentName, model],
    ]);
  });

  it("refresh sees the tuned deployment and the training file deleted out of band; up recreates them without retraining", async () => {
    const state = await s.exportStack();
    const id = find(state, TUNED)?.id as string;
    const fileId = find(state, "ft-sandbox-tuned-training-file")?.id as string;
    const del = await s.admin("DELETE", `/_emulator/arm/resources?id=${encodeURIComponent(id)}`);
    expect(del.status).to.equal(204);
    // As someone with data-plane access would, through the Files API.
    const token = await s.dataPlaneToken();
    const delFile = await s.admin(
      "DELETE",
      `${outputs.endpoint}openai/files/${fileId}?api-version=2024-10-21`,
      undefined,
      { authorization: `Bearer ${token}` },
    );
    expect(delFile.status).to.equal(200);

    const refresh = ok(await s.refresh());
    expect(refresh.requests.arm.requests).to.include(`GET ${id} 404`);
    expect(refresh.requests.arm.mutating + refresh.requests.dataPlane.mutating).to.equal(0);
    const refreshed = await s.exportStack();
    expect([
      find(refreshed, TUNED),
      find(refreshed, "ft-sandbox-tuned-training-file"),
    ]).to.deep.equal([undefined, undefined]);

    const up = ok(await s.up());
    expect(up.requests.arm.requests.filter((r) => !r.startsWith("GET "))).to.deep.equal([
      `PUT ${id} 201`,
    ]);
    expect(tally(up.requests.dataPlane, "mutating")).to.deep.equal({ "POST /openai/files 201": 1 });
    const repaired = await s.exportStack();
    expect(find(repaired, TUNED)?.id).to.equal(id);
    expect(find(repaired, "ft-sandbox-tuned-job")?.id).to.equal(outputs.fineTuningJobId);
    expect(account().deployments.has(outputs.tunedDeploymentName as string)).to.equal(true);
  });

  it("a role assignment whose role definition was removed fails up with ARM's RoleDefinitionDoesNotExist", async () => {
    const role = `/subscriptions/${SUB}/providers/Microsoft.Authorization/roleDefinitions/${OPENAI_USER}`;
    const del = await s.admin("DELETE", `/_emulator/arm/resources?id=${encodeURIComponent(role)}`);
    expect(del.status).to.equal(204);
    s.setConfig({ inferencePrincipals: [`ServicePrincipal:${DEPLOYER}`] });

    const res = await s.up();
    expect(res.code).to.equal(1);
    expect(res.stdout).to.include("ERROR CODE: RoleDefinitionDoesNotExist");
    expect(res.stdout).to.include(
      `"message": "The specified role definition with ID '${OPENAI_USER}' does not exist."`,
    );
    expect(tally(res.requests.arm, "mutating")).to.deep.equal({
      [`PUT ${ACCOUNT}/providers/Microsoft.Authorization/roleAssignments/{} 400`]: 1,
    });
    expect(res.requests.dataPlane.mutating).to.equal(0);
    expect(inventory(await s.exportStack()).filter((r) => r.includes("access-user"))).to.deep.equal(
      [],
    );
    s.setConfig({ inferencePrincipals: undefined });
  });

  it("state holds no key and no token", async () => {
    const { text } = await s.exportStack();
    const keys = account().dataPlane?.keys ?? [];
    expect(keys).to.have.length(2);
    for (const key of keys) expect(text).to.not.include(key);
    // An access token is a JWT: three base64url parts, the first two JSON objects ("eyJ").
    expect(text).to.not.match(/eyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\./);
  });

  it("destroy leaves both planes empty and the account purged", async () => {
    const res = ok(await s.destroy());
    expect(tally(res.requests.arm, "mutating")).to.deep.equal({
      "DELETE /subscriptions/{}/providers/Microsoft.CognitiveServices/locations/{}/resourceGroups/{}/deletedAccounts/{} 202": 1,
      "DELETE /subscriptions/{}/resourceGroups/{} 202": 1,
      [`DELETE ${ACCOUNT} 202`]: 1,
      [`DELETE ${ACCOUNT}/deployments/{} 202`]: 2,
      [`DELETE ${ACCOUNT}/projects/{} 202`]: 1,
      [`DELETE ${ACCOUNT}/providers/Microsoft.Authorization/roleAssignments/{} 200`]: 1,
    });
    // Training file, result file, job, model.
    expect(tally(res.requests.dataPlane, "mutating")).to.deep.equal({
      "DELETE /openai/files/{} 200": 2,
      "DELETE /openai/fine_tuning/jobs/{} 204": 1,
      "DELETE /openai/v1/models/{} 200": 1,
    });
    const arm = s.azure.arm;
    expect([...arm.resourceGroups.keys()]).to.deep.equal([]);
    expect([...arm.accounts.keys()]).to.deep.equal([]);
    expect([...arm.deletedAccounts.keys()]).to.deep.equal([]);
    // Only local Azure's own Owner grant on the subscription is left.
    expect([...arm.roleAssignments.values()].map((a) => [a.scope, a.principalId])).to.deep.equal([
      [`/subscriptions/${SUB}`, DEPLOYER],
    ]);
    expect((await s.exportStack()).resources).to.deep.equal([]);
  });
});

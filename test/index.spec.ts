import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import {
  DEPLOYER_OBJECT_ID,
  ProgramFailure,
  ProgramRun,
  runProgram,
  SUBSCRIPTION_ID,
  TENANT_ID,
} from "./support/mockProgram";

const roleDef = (guid: string) =>
  `/subscriptions/${SUBSCRIPTION_ID}/providers/Microsoft.Authorization/roleDefinitions/${guid}`;

function names(run: ProgramRun, type: string): string[] {
  return run.resources
    .filter((r) => r.type === type)
    .map((r) => r.name)
    .sort();
}

function everyString(value: unknown): string[] {
  if (typeof value === "string") return [value];
  if (Array.isArray(value)) return value.flatMap(everyString);
  if (value && typeof value === "object") return Object.values(value).flatMap(everyString);
  return [];
}

describe("index (dev stack)", function () {
  // Program runs under mocks take 1–3 s on a quiet machine and far longer on a loaded one; a
  // test's time is not what these tests check (speed targets live in bench/).
  this.timeout(120_000);
  let run: ProgramRun;
  before(async function () {
    // The first run loads @pulumi/azure-native through ts-node, which takes long on a busy machine.
    this.timeout(120_000);
    run = await runProgram("dev");
  });

  it("registers exactly the platform, access and CI resources", () => {
    expect(run.resources.map((r) => `${r.type} ${r.name}`).sort()).to.deep.equal(
      [
        "azure-native:authorization:RoleAssignment ft-dev-ci-rg-access-contributor",
        "azure-native:authorization:RoleAssignment ft-dev-ci-rg-access-openai-contributor",
        "azure-native:authorization:RoleAssignment ft-dev-ci-rg-access-preview-data-read",
        "azure-native:authorization:RoleAssignment ft-dev-ci-rg-access-preview-reader",
        "azure-native:authorization:RoleAssignment ft-dev-ci-rg-access-rbac-admin",
        "azure-native:authorization:RoleAssignment ft-dev-ci-subscription-access-access-read",
        "azure-native:authorization:RoleAssignment ft-dev-ci-subscription-access-preview-access-read",
        "azure-native:authorization:RoleAssignment ft-dev-ci-subscription-access-purge",
        "azure-native:authorization:RoleDefinition ft-dev-ci-access-read",
        "azure-native:authorization:RoleDefinition ft-dev-ci-preview-data-read",
        "azure-native:authorization:RoleDefinition ft-dev-ci-purge",
        "azure-native:cognitiveservices:Account ft-dev-account",
        "azure-native:cognitiveservices:Deployment ft-dev-base",
        "azure-native:resources:ResourceGroup ft-dev-rg",
        "azure-openai-finetune:access:AccountAccess ft-dev-access",
        "azure-openai-finetune:access:AccountAccess ft-dev-ci-rg-access",
        "azure-openai-finetune:access:AccountAccess ft-dev-ci-subscription-access",
        "azure-openai-finetune:ci:CiIdentity ft-dev-ci",
        "azure-openai-finetune:platform:FineTuningPlatform ft-dev",
        "azuread:index/application:Application ft-dev-ci-app",
        "azuread:index/application:Application ft-dev-ci-preview-app",
        "azuread:index/applicationFederatedIdentityCredential:ApplicationFederatedIdentityCredential ft-dev-ci-env-dev",
        "azuread:index/applicationFederatedIdentityCredential:ApplicationFederatedIdentityCredential ft-dev-ci-preview-branch",
        "azuread:index/applicationFederatedIdentityCredential:ApplicationFederatedIdentityCredential ft-dev-ci-preview-pull-request",
        "azuread:index/servicePrincipal:ServicePrincipal ft-dev-ci-preview-sp",
        "azuread:index/servicePrincipal:ServicePrincipal ft-dev-ci-sp",
        "pulumi-nodejs:dynamic/azure-openai:AccountPurge ft-dev-purge",
        "azure-openai-finetune:model:FineTunedModel ft-dev-tuned",
        "pulumi-nodejs:dynamic/azure-openai:TrainingFile ft-dev-tuned-training-file",
        "pulumi-nodejs:dynamic/azure-openai:FineTuningJob ft-dev-tuned-job",
        "azure-native:cognitiveservices:Deployment ft-dev-tuned-deployment",
      ].sort(),
    );
  });

  it("parents every child to its component and nothing else at the top", () => {
    const parents = Object.fromEntries(run.resources.map((r) => [r.name, r.parent ?? null]));
    const children = (parent: string, names: string[]) => names.map((n) => [n, parent]);
    expect(parents).to.deep.equal(
      Object.fromEntries([
        ...children("ft-dev", ["ft-dev-rg", "ft-dev-account", "ft-dev-base", "ft-dev-purge"]),
        ...["ft-dev", "ft-dev-access", "ft-dev-ci", "ft-dev-tuned"].map((n) => [n, null]),
        ...children("ft-dev-ci", [
          "ft-dev-ci-app",
          "ft-dev-ci-sp",
          "ft-dev-ci-env-dev",
          "ft-dev-ci-preview-app",
          "ft-dev-ci-preview-sp",
          "ft-dev-ci-preview-branch",
          "ft-dev-ci-preview-pull-request",
          "ft-dev-ci-access-read",
          "ft-dev-ci-preview-data-read",
          "ft-dev-ci-purge",
          "ft-dev-ci-rg-access",
          "ft-dev-ci-subscription-access",
        ]),
        ...children("ft-dev-ci-rg-access", [
          "ft-dev-ci-rg-access-contributor",
          "ft-dev-ci-rg-access-openai-contributor",
          "ft-dev-ci-rg-access-preview-data-read",
          "ft-dev-ci-rg-access-preview-reader",
          "ft-dev-ci-rg-access-rbac-admin",
        ]),
        ...children("ft-dev-ci-subscription-access", [
          "ft-dev-ci-subscription-access-access-read",
          "ft-dev-ci-subscription-access-preview-access-read",
          "ft-dev-ci-subscription-access-purge",
        ]),
        ...children("ft-dev-tuned", [
          "ft-dev-tuned-training-file",
          "ft-dev-tuned-job",
          "ft-dev-tuned-deployment",
        ]),
      ]),
    );
  });

  it("creates the account keyless, with a derived subdomain, identity and tags", () => {
    const account = run.byName("ft-dev-account");
    const subdomain = account.inputs.accountName as string;
    expect(subdomain).to.match(/^aoift-dev-[0-9a-f]{8}$/);
    expect(account.inputs).to.deep.equal({
      accountName: subdomain,
      resourceGroupName: "ft-dev-rg",
      location: "swedencentral",
      kind: "AIServices",
      sku: { name: "S0" },
      identity: { type: "SystemAssigned" },
      properties: {
        customSubDomainName: subdomain,
        disableLocalAuth: true,
        publicNetworkAccess: "Enabled",
        networkAcls: { defaultAction: "Allow" },
      },
      tags: {
        "cost-center": "ml-dev",
        environment: "dev",
        "managed-by": "pulumi",
        owner: "platform-team",
        "pulumi-project": "azure-openai-finetune",
      },
    });
  });

  it("derives the same subdomain on every run of the stack", async () => {
    const again = await runProgram("dev");
    expect(again.byName("ft-dev-account").inputs.accountName).to.equal(
      run.byName("ft-dev-account").inputs.accountName,
    );
  });

  it("deploys the configured base model with its SKU and capacity", () => {
    expect(run.byName("ft-dev-base").inputs).to.deep.equal({
      accountName: run.byName("ft-dev-account").inputs.accountName,
      resourceGroupName: "ft-dev-rg",
      deploymentName: "gpt-4.1-mini-base",
      sku: { name: "GlobalStandard", capacity: 10 },
      properties: {
        model: { format: "OpenAI", name: "gpt-4.1-mini", version: "2025-04-14" },
        versionUpgradeOption: "NoAutoUpgrade",
      },
    });
  });

  it("purges the soft-deleted account after the account is destroyed", () => {
    expect(run.byName("ft-dev-account").dependencies).to.deep.equal(["ft-dev-purge", "ft-dev-rg"]);
    const purge = run.byName("ft-dev-purge").inputs;
    expect({ ...purge, __provider: undefined }).to.deep.equal({
      subscriptionId: SUBSCRIPTION_ID,
      resourceGroupName: "ft-dev-rg",
      location: "swedencentral",
      accountName: run.byName("ft-dev-account").inputs.accountName,
      __provider: undefined,
    });
  });

  it("grants nothing to whoever runs `up`: the dev stack declares no principals", () => {
    expect(run.resources.filter((r) => r.parent === "ft-dev-access")).to.deep.equal([]);
  });

  it("federates the deploy identity with the dev environment only and the preview identity with pull requests and main", () => {
    const creds = run.resources
      .filter((r) => r.type.endsWith("ApplicationFederatedIdentityCredential"))
      .map((r) => [r.name, r.inputs.subject, r.inputs.applicationId])
      .sort();
    expect(creds).to.deep.equal([
      [
        "ft-dev-ci-env-dev",
        "repo:contoso/fine-tuning-platform:environment:dev",
        "/applications/ft-dev-ci-app-object-id",
      ],
      [
        "ft-dev-ci-preview-branch",
        "repo:contoso/fine-tuning-platform:ref:refs/heads/main",
        "/applications/ft-dev-ci-preview-app-object-id",
      ],
      [
        "ft-dev-ci-preview-pull-request",
        "repo:contoso/fine-tuning-platform:pull_request",
        "/applications/ft-dev-ci-preview-app-object-id",
      ],
    ]);
  });

  it("grants the CI identities on the stack's group, and the purge at subscription scope because dev purges", () => {
    const scopes = run.resources
      .filter(
        (r) =>
          r.name.startsWith("ft-dev-ci-") && r.type === "azure-native:authorization:RoleAssignment",
      )
      .map((r) => [r.name, r.inputs.scope, r.inputs.principalId])
      .sort();
    const rg = `/subscriptions/${SUBSCRIPTION_ID}/resourceGroups/ft-dev-rg`;
    const sub = `/subscriptions/${SUBSCRIPTION_ID}`;
    const deploy = "ft-dev-ci-sp-object-id";
    const preview = "ft-dev-ci-preview-sp-object-id";
    expect(scopes).to.deep.equal([
      ["ft-dev-ci-rg-access-contributor", rg, deploy],
      ["ft-dev-ci-rg-access-openai-contributor", rg, deploy],
      ["ft-dev-ci-rg-access-preview-data-read", rg, preview],
      ["ft-dev-ci-rg-access-preview-reader", rg, preview],
      ["ft-dev-ci-rg-access-rbac-admin", rg, deploy],
      ["ft-dev-ci-subscription-access-access-read", sub, deploy],
      ["ft-dev-ci-subscription-access-preview-access-read", sub, preview],
      ["ft-dev-ci-subscription-access-purge", sub, deploy],
    ]);
  });

  it("uploads the configured training data with the cost cap and its config key", () => {
    const file = run.byName("ft-dev-tuned-training-file");
    expect(file.parent).to.equal("ft-dev-tuned");
    // Training needs the roles (none declared in dev), not the base deployment, which only
    // serves the comparison.
    expect(file.dependencies).to.deep.equal(["ft-dev-account"]);
    const { __provider, content, ...inputs } = file.inputs;
    expect(inputs).to.deep.equal({
      endpoint: `https://${run.byName("ft-dev-account").inputs.accountName}.cognitiveservices.azure.com/`,
      // Known at preview even when an account update makes the endpoint unknown.
      accountName: run.byName("ft-dev-account").inputs.accountName,
      path: "data/travel-assistant.jsonl",
      purpose: "fine-tune",
      model: "gpt-4.1-mini-2025-04-14",
      epochs: 3,
      maxBilledTokens: 500000,
      maxBilledTokensSetting: "azure-openai-finetune:maxBilledTokens",
      apiVersion: "2025-04-01-preview",
    });
    expect(typeof __provider).to.equal("string");
    expect([
      content.examples,
      content.epochs,
      content.estimatedBilledTokens,
      content.errorCount,
    ]).to.deep.equal([12, 3, content.totalTokens * 3, 0]);
  });

  it("trains on the uploaded file's id and content hash with the configured job settings", () => {
    const job = run.byName("ft-dev-tuned-job");
    const file = run.byName("ft-dev-tuned-training-file");
    expect(job.dependencies).to.deep.equal(["ft-dev-account", "ft-dev-tuned-training-file"]);
    const { __provider, logicalName, ...inputs } = job.inputs;
    expect(inputs).to.deep.equal({
      endpoint: file.inputs.endpoint,
      accountName: run.byName("ft-dev-account").inputs.accountName,
      baseModel: "gpt-4.1-mini-2025-04-14",
      trainingFileId: "file-ft-dev-tuned-training-file",
      trainingFileSha256: file.inputs.content.sha256,
      hyperparameters: { nEpochs: 3, batchSize: "auto", learningRateMultiplier: "auto" },
      suffix: "travel-dev",
      seed: 42,
      trainingType: "Developer",
      deadlineMinutes: 240,
      apiVersion: "2025-04-01-preview",
    });
    expect(logicalName).to.equal("azure-openai-finetune/dev/ft-dev-tuned-job");
  });

  it("deploys the job's fine-tuned model after the base deployment, on the Developer tier, named after the model", () => {
    const deployment = run.byName("ft-dev-tuned-deployment");
    expect(deployment.inputs).to.deep.equal({
      accountName: run.byName("ft-dev-account").inputs.accountName,
      resourceGroupName: "ft-dev-rg",
      // sha256("gpt-4.1-mini-2025-04-14.ft-0123456789abcdef0123456789abcdef") starts a666fcdc.
      deploymentName: "gpt-4.1-mini-travel-dev-a666fcdc",
      sku: { name: "DeveloperTier", capacity: 50 },
      properties: {
        model: {
          format: "OpenAI",
          name: "gpt-4.1-mini-2025-04-14.ft-0123456789abcdef0123456789abcdef",
          version: "1",
        },
      },
    });
    // ARM refuses concurrent deployment writes on one account.
    expect(deployment.dependencies).to.deep.equal([
      "ft-dev-account",
      "ft-dev-base",
      "ft-dev-rg",
      "ft-dev-tuned-job",
    ]);
  });

  it("exports the endpoint, names and CI ids", () => {
    const account = run.byName("ft-dev-account").inputs.accountName;
    expect(run.outputs).to.deep.include({
      endpoint: `https://${account}.cognitiveservices.azure.com/`,
      accountName: account,
      resourceGroupName: "ft-dev-rg",
      baseDeploymentName: "gpt-4.1-mini-base",
      tunedDeploymentName: "gpt-4.1-mini-travel-dev-a666fcdc",
      fineTunedModel: "gpt-4.1-mini-2025-04-14.ft-0123456789abcdef0123456789abcdef",
      fineTuningJobId: "ftjob-ft-dev-tuned-job",
      trainedTokens: 1234,
      estimatedBilledTokens: run.byName("ft-dev-tuned-training-file").inputs.content
        .estimatedBilledTokens,
      ciClientId: "ft-dev-ci-app-client-id",
      ciTenantId: TENANT_ID,
    });
  });

  it("puts no key or secret in any input or output", () => {
    const strings = [
      ...run.resources.flatMap((r) => everyString({ ...r.inputs, __provider: undefined })),
      ...everyString(run.outputs),
    ];
    expect(
      strings.filter((s) => /key1|key2|listKeys|api-key|secret|password/i.test(s)),
    ).to.deep.equal([]);
    expect(
      Object.keys(run.outputs).filter((k) => /key|secret|password|accesstoken|bearer/i.test(k)),
    ).to.deep.equal([]);
  });
});

describe("index (prod stack)", () => {
  let run: ProgramRun;
  before(async function () {
    this.timeout(120_000);
    run = await runProgram("prod");
  });

  it("adds the Foundry project and configured principals, and no purge", () => {
    expect(names(run, "azure-native:cognitiveservices:Project")).to.deep.equal(["ft-prod-project"]);
    expect(names(run, "pulumi-nodejs:dynamic/azure-openai:AccountPurge")).to.deep.equal([]);
    expect(names(run, "azure-native:authorization:RoleAssignment")).to.deep.equal([
      "ft-prod-access-contributor-00000000-0000-0000-0000-00000000a11c",
      "ft-prod-access-user-00000000-0000-0000-0000-0000000b0b00",
      "ft-prod-ci-rg-access-contributor",
      "ft-prod-ci-rg-access-openai-contributor",
      "ft-prod-ci-rg-access-preview-data-read",
      "ft-prod-ci-rg-access-preview-reader",
      "ft-prod-ci-rg-access-rbac-admin",
    ]);
  });

  it("grants configured principals Contributor or User with their principal type", () => {
    const contributor = run.byName(
      "ft-prod-access-contributor-00000000-0000-0000-0000-00000000a11c",
    ).inputs;
    const user = run.byName("ft-prod-access-user-00000000-0000-0000-0000-0000000b0b00").inputs;
    expect([
      contributor.principalId,
      contributor.principalType,
      contributor.roleDefinitionId,
    ]).to.deep.equal([
      "00000000-0000-0000-0000-00000000a11c",
      "Group",
      roleDef("a001fd3d-188f-4b5d-821b-7da978bf7442"),
    ]);
    expect([user.principalId, user.principalType, user.roleDefinitionId]).to.deep.equal([
      "00000000-0000-0000-0000-0000000b0b00",
      "Group",
      roleDef("5e0bd9bd-7b93-4f28-af87-19fc36ad61bd"),
    ]);
  });

  it("locks the account down to the configured IP ranges and allows projects", () => {
    const props = run.byName("ft-prod-account").inputs.properties;
    expect(props.networkAcls).to.deep.equal({
      defaultAction: "Deny",
      bypass: "AzureServices",
      ipRules: [{ value: "203.0.113.0/24" }],
    });
    expect(props.allowProjectManagement).to.equal(true);
    expect(run.byName("ft-prod-account").dependencies).to.deep.equal(["ft-prod-rg"]);
  });

  it("deploys gpt-4.1 as a Standard deployment with the prod capacity", () => {
    const base = run.byName("ft-prod-base").inputs;
    expect([base.deploymentName, base.sku, base.properties.model]).to.deep.equal([
      "gpt-4.1-base",
      { name: "Standard", capacity: 30 },
      { format: "OpenAI", name: "gpt-4.1", version: "2025-04-14" },
    ]);
  });

  it("writes under the account one at a time: base deployment, then project, then tuned deployment", () => {
    expect(run.byName("ft-prod-project").dependencies).to.deep.equal([
      "ft-prod-account",
      "ft-prod-base",
      "ft-prod-rg",
    ]);
    expect(run.byName("ft-prod-tuned-deployment").dependencies).to.deep.equal([
      "ft-prod-account",
      "ft-prod-base",
      "ft-prod-project",
      "ft-prod-rg",
      "ft-prod-tuned-job",
    ]);
  });

  it("creates the Foundry project on the account", () => {
    expect(run.byName("ft-prod-project").inputs).to.deep.equal({
      accountName: run.byName("ft-prod-account").inputs.accountName,
      resourceGroupName: "ft-prod-rg",
      projectName: "travel-assistant",
      location: "swedencentral",
      identity: { type: "SystemAssigned" },
      properties: { displayName: "travel-assistant", description: "Fine-tuning (prod)" },
      tags: {
        "cost-center": "ml-prod",
        environment: "prod",
        "managed-by": "pulumi",
        owner: "platform-team",
        "pulumi-project": "azure-openai-finetune",
      },
    });
  });
});

describe("index (variants)", function () {
  this.timeout(120_000); // each test runs the program (see the dev stack's note)
  it("uses an existing resource group instead of creating one", async () => {
    const run = await runProgram("dev", { resourceGroupName: "shared-ml" });
    expect(names(run, "azure-native:resources:ResourceGroup")).to.deep.equal([]);
    expect(run.byName("ft-dev-account").inputs.resourceGroupName).to.equal("shared-ml");
    expect(run.outputs.resourceGroupName).to.equal("shared-ml");
  });

  it("uploads a validation file and hands it to the job when one is configured", async () => {
    const run = await runProgram("dev", { validationFile: "data/travel-assistant.jsonl" });
    const validation = run.byName("ft-dev-tuned-validation-file");
    expect([
      validation.parent,
      validation.inputs.path,
      validation.inputs.maxBilledTokens,
    ]).to.deep.equal(["ft-dev-tuned", "data/travel-assistant.jsonl", undefined]);
    expect(run.byName("ft-dev-tuned-job").inputs.validationFileId).to.equal(
      "file-ft-dev-tuned-validation-file",
    );
  });

  it("creates no CI identity when no repository is configured", async () => {
    const run = await runProgram("dev", { ciRepository: undefined });
    expect(run.resources.filter((r) => r.name.startsWith("ft-dev-ci"))).to.deep.equal([]);
    expect(run.outputs.ciClientId).to.equal(undefined);
  });

  it("declares the same grants whoever runs `up`", async function () {
    this.timeout(60_000); // two program runs
    const grants = (r: ProgramRun) =>
      r.resources
        .filter((x) => x.type === "azure-native:authorization:RoleAssignment")
        .map((x) => JSON.stringify([x.name, x.inputs]))
        .sort();
    const person = await runProgram("dev", { deployerPrincipalType: "User" });
    const ci = await runProgram("dev", { deployerPrincipalType: "ServicePrincipal" });
    expect(grants(ci)).to.deep.equal(grants(person));
    expect(JSON.stringify(grants(person))).to.not.include(DEPLOYER_OBJECT_ID);
  });

  it("fails before declaring anything when the config is invalid", async () => {
    const failure = await runProgram("dev", { location: "westus9" }).then(
      () => undefined,
      (err: ProgramFailure) => err,
    );
    expect(failure?.message).to.contain(
      '`azure-openai-finetune:location` is "westus9"; use a region that offers fine-tuning:',
    );
    expect(failure?.registered).to.deep.equal([]);
  });

  it("logs the config's warnings on the preview: the firewall and an unknown model", async function () {
    this.timeout(120_000); // may be the first program load of the run (see the dev stack's hook)
    const warned: string[] = [];
    const warn = pulumi.log.warn;
    pulumi.log.warn = async (message: string) => void warned.push(message);
    try {
      await runProgram("prod", { baseModel: "gpt-4.2-mini-2026-05-01" });
    } finally {
      pulumi.log.warn = warn;
    }
    expect(warned.slice(0, 2)).to.deep.equal([
      '`azure-openai-finetune:baseModel` "gpt-4.2-mini-2026-05-01" is not in this program\'s model catalog (lib/models); it is passed to Azure as is and Azure decides whether it can be fine-tuned there. See docs/models.md for how to check which models your account can fine-tune.',
      "`azure-openai-finetune:allowedIpRanges` is set (203.0.113.0/24): the account's firewall refuses every other address, so whoever runs `pulumi up` (its uploads and job calls go to the account's data plane) must reach Azure from inside one of these ranges, or those calls fail with 403",
    ]);
    // The training resources let the model pass too, each saying what it could not check.
    expect(warned.slice(2)).to.have.members([
      'FineTuningJob ft-prod-tuned-job: `baseModel` "gpt-4.2-mini-2026-05-01" is not in this program\'s model catalog (lib/models/catalog.ts), so its methods, limits and tokenizer are not checked here; the account decides when the resource is created (GET /openai/models/gpt-4.2-mini-2026-05-01). docs/models.md says how to check a model.',
      "TrainingFile ft-prod-tuned-training-file: gpt-4.2-mini-2026-05-01 is not in the model catalog: examples were checked against the largest known limit (65,536 tokens) and counted with o200k_base (estimate; gpt-4.2-mini-2026-05-01 uses an unknown tokenizer); Azure decides",
    ]);
  });

  it("deploys no base model when baseDeployment is false, and trains all the same", async () => {
    const run = await runProgram("dev", { baseDeployment: "false" });
    expect(names(run, "azure-native:cognitiveservices:Deployment")).to.deep.equal([
      "ft-dev-tuned-deployment",
    ]);
    expect(run.byName("ft-dev-tuned-deployment").dependencies).to.deep.equal([
      "ft-dev-account",
      "ft-dev-rg",
      "ft-dev-tuned-job",
    ]);
    expect(run.outputs.baseDeploymentName).to.equal(undefined);
  });

  it("gives a retrained model a new deployment name, so the old deployment is replaced, not changed", async () => {
    const retrained = await runProgram("dev", {}, (type) =>
      type === "pulumi-nodejs:dynamic/azure-openai:FineTuningJob"
        ? { fineTunedModel: "gpt-4.1-mini-2025-04-14.ft-fedcba9876543210fedcba9876543210" }
        : {},
    );
    expect(retrained.byName("ft-dev-tuned-deployment").inputs.deploymentName).to.equal(
      "gpt-4.1-mini-travel-dev-913b298b",
    );
    expect(retrained.outputs.tunedDeploymentName).to.equal("gpt-4.1-mini-travel-dev-913b298b");
  });
});

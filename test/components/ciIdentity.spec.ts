import { expect } from "chai";
import * as pulumi from "@pulumi/pulumi";
import {
  CiIdentity,
  CiIdentityArgs,
  delegationCondition,
  federatedSubjects,
  validateCiIdentity,
} from "../../components/ciIdentity";
import {
  BUILT_IN_ROLES,
  RoleDefinitionRecord,
  roleGrants,
  scopeContains,
} from "../../emulator/arm/roles";

// Built-in role GUIDs, copied from Microsoft's built-in roles pages:
// https://learn.microsoft.com/azure/role-based-access-control/built-in-roles/privileged#contributor
const CONTRIBUTOR = "b24988ac-6180-42a0-ab88-20f7382dd24c";
// https://learn.microsoft.com/azure/role-based-access-control/built-in-roles/privileged#role-based-access-control-administrator
const RBAC_ADMINISTRATOR = "f58310d9-a9f6-439a-9e8d-f62e7b41a168";
// https://learn.microsoft.com/azure/role-based-access-control/built-in-roles/general#reader
const READER = "acdd72a7-3385-48ef-bd42-f606fba81ae7";
// https://learn.microsoft.com/azure/role-based-access-control/built-in-roles/ai-machine-learning#cognitive-services-openai-contributor
const OPENAI_CONTRIBUTOR = "a001fd3d-188f-4b5d-821b-7da978bf7442";
// https://learn.microsoft.com/azure/role-based-access-control/built-in-roles/ai-machine-learning#cognitive-services-openai-user
const OPENAI_USER = "5e0bd9bd-7b93-4f28-af87-19fc36ad61bd";

const SUBSCRIPTION = "11111111-2222-3333-4444-555555555555";
const RG_ID = `/subscriptions/${SUBSCRIPTION}/resourceGroups/rg-ft-dev`;
const DEPLOY_SP = "ci-sp-object-id";
const PREVIEW_SP = "ci-preview-sp-object-id";

interface Registered {
  type: string;
  name: string;
  inputs: Record<string, any>;
}

/** Builds the component under Pulumi mocks and returns every resource it registered. */
async function build(overrides: Partial<CiIdentityArgs> = {}): Promise<Registered[]> {
  const recorded: Registered[] = [];
  await pulumi.runtime.setMocks(
    {
      newResource(args) {
        recorded.push({ type: args.type, name: args.name, inputs: args.inputs });
        const state: Record<string, any> = { ...args.inputs };
        if (args.type === "azuread:index/application:Application") {
          state.clientId = `${args.name}-client-id`;
        }
        if (args.type === "azuread:index/servicePrincipal:ServicePrincipal") {
          state.objectId = `${args.name}-object-id`;
        }
        if (args.type === "azure-native:authorization:RoleDefinition") {
          state.name = args.inputs.roleDefinitionId; // ARM names a role definition by its GUID
        }
        return { id: `${args.name}-id`, state };
      },
      call: () => ({}),
    },
    "azure-openai-finetune",
    "dev",
    false,
  );
  const ci = new CiIdentity("ci", {
    repository: "contoso/ml",
    branch: "main",
    environments: ["dev"],
    displayName: "azure-openai-finetune-dev-ci",
    resourceGroupId: RG_ID,
    subscriptionId: SUBSCRIPTION,
    purge: false,
    ...overrides,
  });
  await new Promise((resolve) => pulumi.all([ci.clientId, ci.previewClientId]).apply(resolve));
  let seen = -1;
  while (seen !== recorded.length) {
    seen = recorded.length;
    await new Promise((r) => setTimeout(r, 20));
  }
  return recorded;
}

const ofType = (resources: Registered[], type: string) =>
  resources.filter((r) => r.type === type).sort((a, b) => a.name.localeCompare(b.name));

/** Role assignments as "principal role-guid scope". */
function assignments(resources: Registered[]): string[] {
  return ofType(resources, "azure-native:authorization:RoleAssignment")
    .map(
      (r) =>
        `${r.inputs.principalId} ${r.inputs.roleDefinitionId.split("/").pop()} ${r.inputs.scope}`,
    )
    .sort();
}

function definition(resources: Registered[], name: string): Record<string, any> {
  const found = resources.find(
    (r) => r.type === "azure-native:authorization:RoleDefinition" && r.name === name,
  );
  if (!found) throw new Error(`no role definition ${name}`);
  return found.inputs;
}

describe("components/ciIdentity", () => {
  describe("CiIdentity", () => {
    it("trusts only the environment subject for deploys, and pull requests and the branch for previews", async () => {
      const resources = await build({ environments: ["dev", "dev-eu"] });
      const credentials = ofType(
        resources,
        "azuread:index/applicationFederatedIdentityCredential:ApplicationFederatedIdentityCredential",
      ).map((r) => ({
        name: r.name,
        app: r.inputs.applicationId,
        subject: r.inputs.subject,
        issuer: r.inputs.issuer,
        audiences: r.inputs.audiences,
      }));
      const github = {
        issuer: "https://token.actions.githubusercontent.com",
        audiences: ["api://AzureADTokenExchange"],
      };
      expect(credentials).to.deep.equal([
        {
          name: "ci-env-dev",
          app: "ci-app-id",
          subject: "repo:contoso/ml:environment:dev",
          ...github,
        },
        {
          name: "ci-env-dev-eu",
          app: "ci-app-id",
          subject: "repo:contoso/ml:environment:dev-eu",
          ...github,
        },
        {
          name: "ci-preview-branch",
          app: "ci-preview-app-id",
          subject: "repo:contoso/ml:ref:refs/heads/main",
          ...github,
        },
        {
          name: "ci-preview-pull-request",
          app: "ci-preview-app-id",
          subject: "repo:contoso/ml:pull_request",
          ...github,
        },
      ]);
    });

    it("names the two applications after the stack", async () => {
      const resources = await build();
      expect(
        ofType(resources, "azuread:index/application:Application").map((r) => [
          r.name,
          r.inputs.displayName,
          r.inputs.signInAudience,
        ]),
      ).to.deep.equal([
        ["ci-app", "azure-openai-finetune-dev-ci", "AzureADMyOrg"],
        ["ci-preview-app", "azure-openai-finetune-dev-ci-preview", "AzureADMyOrg"],
      ]);
    });

    it("grants exactly Contributor, constrained RBAC Administrator and OpenAI Contributor to deploy, and Reader plus data reads to preview, on the group", async () => {
      const resources = await build();
      const previewRole = definition(resources, "ci-preview-data-read").roleDefinitionId;
      expect(assignments(resources)).to.deep.equal(
        [
          `${DEPLOY_SP} ${CONTRIBUTOR} ${RG_ID}`,
          `${DEPLOY_SP} ${RBAC_ADMINISTRATOR} ${RG_ID}`,
          `${DEPLOY_SP} ${OPENAI_CONTRIBUTOR} ${RG_ID}`,
          `${PREVIEW_SP} ${READER} ${RG_ID}`,
          `${PREVIEW_SP} ${previewRole} ${RG_ID}`,
        ].sort(),
      );
      for (const r of ofType(resources, "azure-native:authorization:RoleAssignment")) {
        expect(r.inputs.principalType, r.name).to.equal("ServicePrincipal");
        expect(r.inputs.roleDefinitionId, r.name).to.match(
          new RegExp(
            `^/subscriptions/${SUBSCRIPTION}/providers/Microsoft.Authorization/roleDefinitions/[0-9a-f-]{36}$`,
          ),
        );
      }
    });

    it("lets the deploy identity assign and remove only OpenAI Contributor and OpenAI User", async () => {
      const resources = await build();
      const rbac = resources.find((r) => r.name === "ci-rg-access-rbac-admin")!;
      expect(rbac.inputs.conditionVersion).to.equal("2.0");
      // Shape of Microsoft's "Example: Constrain roles" (delegate-role-assignments-examples).
      expect(rbac.inputs.condition).to.equal(
        [
          "(",
          " (",
          "  !(ActionMatches{'Microsoft.Authorization/roleAssignments/write'})",
          " )",
          " OR",
          " (",
          `  @Request[Microsoft.Authorization/roleAssignments:RoleDefinitionId] ForAnyOfAnyValues:GuidEquals {${OPENAI_CONTRIBUTOR}, ${OPENAI_USER}}`,
          " )",
          ")",
          "AND",
          "(",
          " (",
          "  !(ActionMatches{'Microsoft.Authorization/roleAssignments/delete'})",
          " )",
          " OR",
          " (",
          `  @Resource[Microsoft.Authorization/roleAssignments:RoleDefinitionId] ForAnyOfAnyValues:GuidEquals {${OPENAI_CONTRIBUTOR}, ${OPENAI_USER}}`,
          " )",
          ")",
        ].join("\n"),
      );
      const conditioned = ofType(resources, "azure-native:authorization:RoleAssignment").filter(
        (r) => r.inputs.condition !== undefined,
      );
      expect(conditioned.map((r) => r.name)).to.deep.equal(["ci-rg-access-rbac-admin"]);
    });

    it("defines the preview's data role on the group with exactly the files, fine-tunes and models reads", async () => {
      const resources = await build();
      const role = definition(resources, "ci-preview-data-read");
      // Microsoft.CognitiveServices data actions, copied from
      // https://learn.microsoft.com/azure/role-based-access-control/permissions/ai-machine-learning
      expect(role.permissions).to.deep.equal([
        {
          actions: [],
          notActions: [],
          dataActions: [
            "Microsoft.CognitiveServices/accounts/OpenAI/files/read",
            "Microsoft.CognitiveServices/accounts/OpenAI/fine-tunes/read",
            "Microsoft.CognitiveServices/accounts/OpenAI/models/read",
          ],
          notDataActions: [],
        },
      ]);
      expect(role.scope).to.equal(RG_ID);
      expect(role.assignableScopes).to.deep.equal([RG_ID]);
      expect(role.roleType).to.equal("CustomRole");
      expect(role.roleName).to.equal(
        `azure-openai-finetune-dev-ci reads fine-tuning files, jobs and models (${role.roleDefinitionId.slice(0, 8)})`,
      );
    });

    it("creates nothing at subscription scope for a stack that never purges", async () => {
      const resources = await build({ purge: false });
      const subscriptionScoped = resources.filter(
        (r) => r.inputs.scope === `/subscriptions/${SUBSCRIPTION}`,
      );
      expect(subscriptionScoped).to.deep.equal([]);
    });

    it("grants the purge and its polling at subscription scope to deploy only, and the grant reads to both", async () => {
      const resources = await build({ purge: true });
      const subscription = `/subscriptions/${SUBSCRIPTION}`;
      const purge = definition(resources, "ci-purge");
      const accessRead = definition(resources, "ci-access-read");
      // Copied from https://learn.microsoft.com/azure/role-based-access-control/permissions/ai-machine-learning
      expect(purge.permissions[0].actions).to.deep.equal([
        "Microsoft.CognitiveServices/locations/resourceGroups/deletedAccounts/delete",
        "Microsoft.CognitiveServices/locations/operationresults/read",
      ]);
      expect(purge.permissions[0].dataActions).to.deep.equal([]);
      expect(accessRead.permissions[0].actions).to.deep.equal([
        "Microsoft.Authorization/roleAssignments/read",
        "Microsoft.Authorization/roleDefinitions/read",
      ]);
      expect([purge.scope, purge.assignableScopes]).to.deep.equal([subscription, [subscription]]);
      expect(assignments(resources).filter((a) => a.endsWith(` ${subscription}`))).to.deep.equal(
        [
          `${DEPLOY_SP} ${purge.roleDefinitionId} ${subscription}`,
          `${DEPLOY_SP} ${accessRead.roleDefinitionId} ${subscription}`,
          `${PREVIEW_SP} ${accessRead.roleDefinitionId} ${subscription}`,
        ].sort(),
      );
    });

    it("gives the preview identity read actions only", async () => {
      const resources = await build({ purge: true });
      const previewRoles = ofType(resources, "azure-native:authorization:RoleAssignment")
        .filter((r) => r.inputs.principalId === PREVIEW_SP)
        .map((r) => r.inputs.roleDefinitionId.split("/").pop());
      const custom = ofType(resources, "azure-native:authorization:RoleDefinition").filter((d) =>
        previewRoles.includes(d.inputs.roleDefinitionId),
      );
      expect(
        previewRoles.filter((g) => !custom.some((d) => d.inputs.roleDefinitionId === g)),
      ).to.deep.equal([READER]);
      const granted = custom.flatMap((d) => [
        ...d.inputs.permissions[0].actions,
        ...d.inputs.permissions[0].dataActions,
      ]);
      expect(granted.filter((a: string) => !a.endsWith("/read"))).to.deep.equal([]);
    });

    it("derives the same custom role GUIDs on every run", async () => {
      const first = definition(await build({ purge: true }), "ci-purge").roleDefinitionId;
      const second = definition(await build({ purge: true }), "ci-purge").roleDefinitionId;
      expect(first).to.equal(second);
    });

    it("fails before declaring anything when the arguments are invalid", async () => {
      let thrown: unknown;
      let resources: Registered[] = [];
      try {
        resources = await build({ repository: "ml" });
      } catch (e) {
        thrown = e;
      }
      expect(String(thrown)).to.include('`repository` "ml" must be "owner/repository".');
      expect(resources).to.deep.equal([]);
    });
  });

  describe("in connect mode (an account the stack does not own)", () => {
    const SHARED_RG = `/subscriptions/${SUBSCRIPTION}/resourceGroups/shared-ai`;
    const CONNECTED = `${SHARED_RG}/providers/Microsoft.CognitiveServices/accounts/team-openai`;
    const connected = () => build({ resourceGroupId: SHARED_RG, connectedAccountId: CONNECTED });

    it("grants constrained RBAC Administrator and OpenAI Contributor to deploy, and Reader plus data reads to preview, on the account only", async () => {
      const resources = await connected();
      const previewRole = definition(resources, "ci-preview-data-read").roleDefinitionId;
      const onAccount = [
        [DEPLOY_SP, RBAC_ADMINISTRATOR],
        [DEPLOY_SP, OPENAI_CONTRIBUTOR],
        [PREVIEW_SP, READER],
        [PREVIEW_SP, previewRole],
      ].map(([principal, role]) => `${principal} ${role} ${CONNECTED}`);
      expect(assignments(resources)).to.deep.equal(onAccount.sort());
      expect(
        ofType(resources, "azure-native:authorization:RoleAssignment")
          .map((r) => r.name)
          .sort(),
      ).to.deep.equal([
        "ci-account-access-openai-contributor",
        "ci-account-access-preview-data-read",
        "ci-account-access-preview-reader",
        "ci-account-access-rbac-admin",
      ]);
    });

    it("defines the preview's data role assignable on the account's group, as Azure advises, and assigns it on the account", async () => {
      const role = definition(await connected(), "ci-preview-data-read");
      expect([role.scope, role.assignableScopes]).to.deep.equal([SHARED_RG, [SHARED_RG]]);
    });
  });

  // Evaluates the declared grants the way Azure RBAC does, with local Azure's built-in role
  // definitions (copied from Microsoft's built-in roles pages) and the stack's custom roles.
  describe("what the identities may do", () => {
    const ACCOUNT = `${RG_ID}/providers/Microsoft.CognitiveServices/accounts/ft-dev-1234abcd`;
    const PURGE_TARGET = `/subscriptions/${SUBSCRIPTION}/providers/Microsoft.CognitiveServices/locations/swedencentral/resourceGroups/rg-ft-dev/deletedAccounts/ft-dev-1234abcd`;
    const OPERATION = `/subscriptions/${SUBSCRIPTION}/providers/Microsoft.CognitiveServices/locations/swedencentral/operationresults/op-1`;

    /** `principal may <action> on <scope>` per the registered grants. */
    function allowed(resources: Registered[]) {
      const custom: RoleDefinitionRecord[] = ofType(
        resources,
        "azure-native:authorization:RoleDefinition",
      ).map((d) => ({
        name: d.inputs.roleDefinitionId,
        roleName: d.inputs.roleName,
        description: d.inputs.description,
        roleType: "CustomRole",
        permissions: d.inputs.permissions,
        assignableScopes: d.inputs.assignableScopes,
        createdOn: "",
      }));
      const roles = [...BUILT_IN_ROLES, ...custom];
      const grants = ofType(resources, "azure-native:authorization:RoleAssignment");
      return (principal: string, action: string, scope: string, data = false) =>
        grants.some((g) => {
          const role = roles.find((r) => r.name === g.inputs.roleDefinitionId.split("/").pop());
          return (
            g.inputs.principalId === principal &&
            scopeContains(g.inputs.scope, scope) &&
            role !== undefined &&
            roleGrants(role, action, data)
          );
        });
    }

    it("lets the deploy identity do what up does: ARM writes, uploads, jobs, grants, purge", async () => {
      const may = allowed(await build({ purge: true }));
      const deploy = (action: string, scope: string, data = false) =>
        may(DEPLOY_SP, action, scope, data);
      expect([
        deploy("Microsoft.CognitiveServices/accounts/write", ACCOUNT),
        deploy(
          "Microsoft.CognitiveServices/accounts/deployments/write",
          `${ACCOUNT}/deployments/d`,
        ),
        deploy(
          "Microsoft.CognitiveServices/accounts/deployments/delete",
          `${ACCOUNT}/deployments/d`,
        ),
        deploy("Microsoft.Resources/subscriptions/resourceGroups/write", RG_ID),
        deploy("Microsoft.CognitiveServices/accounts/OpenAI/files/write", ACCOUNT, true),
        deploy("Microsoft.CognitiveServices/accounts/OpenAI/fine-tunes/write", ACCOUNT, true),
        deploy("Microsoft.CognitiveServices/accounts/OpenAI/models/read", ACCOUNT, true),
        deploy("Microsoft.Authorization/roleAssignments/write", ACCOUNT),
        deploy(
          "Microsoft.CognitiveServices/locations/resourceGroups/deletedAccounts/delete",
          PURGE_TARGET,
        ),
        deploy("Microsoft.CognitiveServices/locations/operationresults/read", OPERATION),
        deploy("Microsoft.Authorization/roleAssignments/read", `/subscriptions/${SUBSCRIPTION}`),
      ]).to.deep.equal(Array(11).fill(true));
    });

    it("keeps the deploy identity from changing role definitions, reaching other groups, or purging in a stack that never purges", async () => {
      const may = allowed(await build({ purge: false }));
      const other = `/subscriptions/${SUBSCRIPTION}/resourceGroups/someone-else`;
      expect([
        may(DEPLOY_SP, "Microsoft.Authorization/roleDefinitions/write", RG_ID),
        may(DEPLOY_SP, "Microsoft.CognitiveServices/accounts/write", other),
        may(DEPLOY_SP, "Microsoft.Authorization/roleAssignments/write", other),
        may(
          DEPLOY_SP,
          "Microsoft.CognitiveServices/locations/resourceGroups/deletedAccounts/delete",
          PURGE_TARGET,
        ),
      ]).to.deep.equal([false, false, false, false]);
    });

    it("in connect mode lets deploy manage deployments, grants and training on the account, and nothing else of the account's group", async () => {
      const may = allowed(
        await build({
          resourceGroupId: RG_ID,
          connectedAccountId: ACCOUNT,
        }),
      );
      const deploy = (action: string, scope: string, data = false) =>
        may(DEPLOY_SP, action, scope, data);
      const sibling = `${RG_ID}/providers/Microsoft.CognitiveServices/accounts/other-team`;
      const deployment = `${ACCOUNT}/deployments/d`;
      const needed: [string, string, boolean?][] = [
        ["Microsoft.CognitiveServices/accounts/read", ACCOUNT],
        ["Microsoft.CognitiveServices/accounts/deployments/write", deployment],
        ["Microsoft.CognitiveServices/accounts/deployments/delete", deployment],
        ["Microsoft.CognitiveServices/accounts/OpenAI/files/write", ACCOUNT, true],
        ["Microsoft.CognitiveServices/accounts/OpenAI/fine-tunes/write", ACCOUNT, true],
        ["Microsoft.Authorization/roleAssignments/write", ACCOUNT],
        ["Microsoft.Authorization/roleAssignments/read", ACCOUNT],
      ];
      expect(needed.map(([action, scope, data]) => deploy(action, scope, data))).to.deep.equal(
        Array(7).fill(true),
      );
      expect([
        deploy("Microsoft.CognitiveServices/accounts/write", ACCOUNT),
        deploy("Microsoft.CognitiveServices/accounts/delete", ACCOUNT),
        deploy("Microsoft.CognitiveServices/accounts/listKeys/action", ACCOUNT),
        deploy("Microsoft.Resources/subscriptions/resourceGroups/write", RG_ID),
        deploy("Microsoft.Authorization/roleAssignments/write", RG_ID),
        deploy(
          "Microsoft.CognitiveServices/accounts/deployments/write",
          `${sibling}/deployments/d`,
        ),
        deploy("Microsoft.CognitiveServices/accounts/read", sibling),
      ]).to.deep.equal(Array(7).fill(false));
    });

    it("lets the preview identity read ARM and the three data reads, and nothing else", async () => {
      const may = allowed(await build({ purge: true }));
      const preview = (action: string, scope: string, data = false) =>
        may(PREVIEW_SP, action, scope, data);
      expect([
        preview("Microsoft.CognitiveServices/accounts/read", ACCOUNT),
        preview(
          "Microsoft.CognitiveServices/accounts/deployments/read",
          `${ACCOUNT}/deployments/d`,
        ),
        preview("Microsoft.Authorization/roleAssignments/read", ACCOUNT),
        preview("Microsoft.Authorization/roleAssignments/read", `/subscriptions/${SUBSCRIPTION}`),
        preview("Microsoft.CognitiveServices/accounts/OpenAI/files/read", ACCOUNT, true),
        preview("Microsoft.CognitiveServices/accounts/OpenAI/fine-tunes/read", ACCOUNT, true),
        preview("Microsoft.CognitiveServices/accounts/OpenAI/models/read", ACCOUNT, true),
      ]).to.deep.equal(Array(7).fill(true));
      expect([
        preview("Microsoft.CognitiveServices/accounts/write", ACCOUNT),
        preview(
          "Microsoft.CognitiveServices/accounts/deployments/write",
          `${ACCOUNT}/deployments/d`,
        ),
        preview("Microsoft.CognitiveServices/accounts/listKeys/action", ACCOUNT),
        preview("Microsoft.Authorization/roleAssignments/write", ACCOUNT),
        preview(
          "Microsoft.CognitiveServices/locations/resourceGroups/deletedAccounts/delete",
          PURGE_TARGET,
        ),
        preview("Microsoft.CognitiveServices/accounts/OpenAI/files/write", ACCOUNT, true),
        preview("Microsoft.CognitiveServices/accounts/OpenAI/fine-tunes/write", ACCOUNT, true),
        preview(
          "Microsoft.CognitiveServices/accounts/OpenAI/deployments/chat/completions/action",
          ACCOUNT,
          true,
        ),
      ]).to.deep.equal(Array(8).fill(false));
    });
  });

  describe("delegationCondition", () => {
    it("lists the given role GUIDs in both the write and the delete clause", () => {
      const condition = delegationCondition(["r1", "r2"]);
      expect(condition.match(/\{r1, r2\}/g)).to.have.length(2);
    });
  });

  describe("federatedSubjects", () => {
    it("gives deploy the environment subjects and preview the pull-request and branch subjects", () => {
      expect(federatedSubjects("contoso/ml", "main", ["dev", "prod"])).to.deep.equal({
        deploy: ["repo:contoso/ml:environment:dev", "repo:contoso/ml:environment:prod"],
        preview: ["repo:contoso/ml:pull_request", "repo:contoso/ml:ref:refs/heads/main"],
      });
    });
  });

  describe("validateCiIdentity", () => {
    it("accepts an owner/repository and distinct environments", () => {
      expect(
        validateCiIdentity({ repository: "contoso/ml", environments: ["dev", "prod"] }),
      ).to.deep.equal([]);
    });

    it("names the repository that is not owner/repository", () => {
      expect(validateCiIdentity({ repository: "ml", environments: ["dev"] })).to.deep.equal([
        '`repository` "ml" must be "owner/repository".',
      ]);
    });

    it("refuses an empty environment list, which would leave nothing able to deploy", () => {
      expect(validateCiIdentity({ repository: "contoso/ml", environments: [] })).to.deep.equal([
        "`environments` is empty; list the GitHub environment(s) whose jobs deploy this stack.",
      ]);
    });

    it("names an environment listed twice", () => {
      expect(
        validateCiIdentity({ repository: "contoso/ml", environments: ["dev", "dev"] }),
      ).to.deep.equal(['`environments` lists "dev" twice; list each GitHub environment once.']);
    });

    it("refuses a purge in connect mode: the account is not the stack's", () => {
      expect(
        validateCiIdentity({
          repository: "contoso/ml",
          environments: ["dev"],
          purge: true,
          connectedAccountId:
            "/subscriptions/s/resourceGroups/g/providers/Microsoft.CognitiveServices/accounts/a",
        }),
      ).to.deep.equal([
        "`purge` is true but `connectedAccountId` is set; a connected account is never the stack's to purge: set `purge` to false.",
      ]);
    });

    it("refuses more environments than Entra's 20 federated credentials per application", () => {
      const environments = Array.from({ length: 21 }, (_, i) => `env${i}`);
      expect(validateCiIdentity({ repository: "contoso/ml", environments })).to.deep.equal([
        "`environments` has 21 entries; an Entra application holds at most 20 federated credentials.",
      ]);
    });
  });
});

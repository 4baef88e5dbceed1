import { AuthorizationManagementClient } from "@azure/arm-authorization";
import type { TokenCredential } from "@azure/identity";
import { expect } from "chai";
import { randomUUID } from "node:crypto";
import { delegationCondition, DELEGABLE_ROLES } from "../../../components/ciIdentity";
import { conditionAllows, UnsupportedCondition } from "../../../emulator/arm/conditions";
import type { Principal } from "../../../emulator/identity/tokens";
import { rejection, SdkWorld, startSdkWorld } from "./support";

// Role GUIDs as learn.microsoft.com's built-in roles page prints them.
const OWNER = "8e3af657-a8ff-443c-a75c-2fe8c4bcb635";
const OPENAI_USER = "5e0bd9bd-7b93-4f28-af87-19fc36ad61bd";
const RBAC_ADMIN = "f58310d9-a9f6-439a-9e8d-f62e7b41a168";
const WRITE = "Microsoft.Authorization/roleAssignments/write";
const DELETE = "Microsoft.Authorization/roleAssignments/delete";

describe("local Azure ARM: role-assignment conditions", () => {
  describe("conditionAllows (the program's constrain-roles condition)", () => {
    const condition = delegationCondition(DELEGABLE_ROLES);
    const request = (role: string) => ({ request: { RoleDefinitionId: [role] } });
    const resource = (role: string) => ({ resource: { RoleDefinitionId: [role] } });

    it("allows writing and deleting assignments of the delegable roles only", () => {
      expect(conditionAllows(condition, "2.0", WRITE, request(OPENAI_USER.toUpperCase()))).to.equal(
        true,
      );
      expect(conditionAllows(condition, "2.0", WRITE, request(OWNER))).to.equal(false);
      expect(conditionAllows(condition, "2.0", DELETE, resource(OPENAI_USER))).to.equal(true);
      expect(conditionAllows(condition, "2.0", DELETE, resource(OWNER))).to.equal(false);
    });

    it("lets actions the condition does not target through", () => {
      expect(
        conditionAllows(condition, "2.0", "Microsoft.Resources/subscriptions/read", {}),
      ).to.equal(true);
    });

    it("evaluates Microsoft's principal-type and all-values examples", () => {
      // "Example: Constrain roles and principal types" and "Allow most roles, but don't allow
      // others to assign roles" (delegate-role-assignments-examples).
      const types =
        "((!(ActionMatches{'Microsoft.Authorization/roleAssignments/write'})) OR " +
        `(@Request[Microsoft.Authorization/roleAssignments:RoleDefinitionId] ForAnyOfAnyValues:GuidEquals {${OPENAI_USER}} ` +
        "AND @Request[Microsoft.Authorization/roleAssignments:PrincipalType] ForAnyOfAnyValues:StringEqualsIgnoreCase {'ServicePrincipal'}))";
      const sp = {
        request: { RoleDefinitionId: [OPENAI_USER], PrincipalType: ["ServicePrincipal"] },
      };
      const user = { request: { RoleDefinitionId: [OPENAI_USER], PrincipalType: ["User"] } };
      expect(conditionAllows(types, "2.0", WRITE, sp)).to.equal(true);
      expect(conditionAllows(types, "2.0", WRITE, user)).to.equal(false);
      const notOwner = `((!(ActionMatches{'Microsoft.Authorization/roleAssignments/write'})) OR (@Request[Microsoft.Authorization/roleAssignments:RoleDefinitionId] ForAnyOfAllValues:GuidNotEquals {${OWNER}, ${RBAC_ADMIN}}))`;
      expect(conditionAllows(notOwner, "2.0", WRITE, request(OPENAI_USER))).to.equal(true);
      expect(conditionAllows(notOwner, "2.0", WRITE, request(RBAC_ADMIN))).to.equal(false);
    });

    it("reports forms it cannot evaluate instead of guessing", () => {
      const reason = (text: string, version = "2.0") => {
        try {
          conditionAllows(text, version, WRITE, request(OPENAI_USER));
        } catch (err) {
          expect(err).to.be.instanceOf(UnsupportedCondition);
          return (err as Error).message;
        }
        throw new Error("expected UnsupportedCondition");
      };
      expect(
        reason(
          "@Principal[Microsoft.Directory/CustomSecurityAttributes/Attributes:x] StringEquals 'y'",
        ),
      ).to.equal('"@Principal[Microsoft.Directory/CustomSecurityAttributes/Attributes:x]"');
      expect(
        reason(
          `@Request[Microsoft.Authorization/roleAssignments:RoleDefinitionId] ForAnyOfAnyValues:GuidEquals {${OWNER}} AND !(ActionMatches{'x'}) OR !(ActionMatches{'y'})`,
        ),
      ).to.equal("AND and OR mixed without parentheses");
      expect(
        reason(
          "@Request[Microsoft.Authorization/roleAssignments:RoleDefinitionId] StringLike 'a*'",
        ),
      ).to.equal("operator StringLike");
      expect(reason(condition, "1.0")).to.equal("condition version 1.0");
    });
  });

  describe("through @azure/arm-authorization, as a deploy identity holding the constrained RBAC Administrator", () => {
    let world: SdkWorld;
    let admin: AuthorizationManagementClient;
    let deployer: Principal;
    let target: Principal;
    let asDeployer: AuthorizationManagementClient;
    const group = () => `/subscriptions/${world.azure.subscriptionId}/resourceGroups/rg-conditions`;
    const roleId = (guid: string) =>
      `/subscriptions/${world.azure.subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${guid}`;

    function credentialOf(principal: Principal): TokenCredential {
      return {
        getToken: async (scopes) => ({
          token: world.azure.token([scopes].flat()[0], principal),
          expiresOnTimestamp: Date.now() + 3_600_000,
        }),
      };
    }

    const principal = (displayName: string) =>
      world.azure.context.tokens.addPrincipal({
        objectId: randomUUID(),
        clientId: randomUUID(),
        displayName,
      });

    const grant = (client: AuthorizationManagementClient, name: string, role: string) =>
      client.roleAssignments.create(group(), name, {
        roleDefinitionId: roleId(role),
        principalId: target.objectId,
        principalType: "ServicePrincipal",
      });

    before(async () => {
      world = await startSdkWorld();
      const { credential, clientOptions, azure } = world;
      admin = new AuthorizationManagementClient(credential, azure.subscriptionId, clientOptions);
      deployer = principal("ci-deploy");
      target = principal("app");
      await admin.roleAssignments.create(group(), randomUUID(), {
        roleDefinitionId: roleId(RBAC_ADMIN),
        principalId: deployer.objectId,
        principalType: "ServicePrincipal",
        condition: delegationCondition(DELEGABLE_ROLES),
        conditionVersion: "2.0",
      });
      asDeployer = new AuthorizationManagementClient(
        credentialOf(deployer),
        azure.subscriptionId,
        clientOptions,
      );
    });

    it("assigns and removes a delegable role", async () => {
      const name = randomUUID();
      const created = await grant(asDeployer, name, OPENAI_USER);
      expect(created.roleDefinitionId).to.equal(roleId(OPENAI_USER));
      await asDeployer.roleAssignments.delete(group(), name);
    });

    it("refuses to assign Owner: 403 AuthorizationFailed with the ABAC wording", async () => {
      const name = randomUUID();
      const err = await rejection(grant(asDeployer, name, OWNER));
      expect(err.statusCode).to.equal(403);
      expect(err.code).to.equal("AuthorizationFailed");
      expect(err.message).to.equal(
        `The client '${deployer.clientId}' with object id '${deployer.objectId}' does not have authorization or an ABAC condition not fulfilled to perform action ` +
          `'Microsoft.Authorization/roleAssignments/write' over scope '${group()}/providers/Microsoft.Authorization/roleAssignments/${name}' ` +
          "or the scope is invalid. If access was recently granted, please refresh your credentials.",
      );
    });

    it("refuses to remove an Owner assignment someone else made (the @Resource side)", async () => {
      const name = randomUUID();
      await grant(admin, name, OWNER);
      const err = await rejection(asDeployer.roleAssignments.delete(group(), name));
      expect(err.statusCode).to.equal(403);
      expect(err.code).to.equal("AuthorizationFailed");
      expect(err.message).to.contain(
        "does not have authorization or an ABAC condition not fulfilled to perform action 'Microsoft.Authorization/roleAssignments/delete'",
      );
    });

    it("refuses explicitly when the only grant carries a condition local Azure cannot evaluate", async () => {
      const other = principal("ci-other");
      const unsupportedCondition =
        "((!(ActionMatches{'Microsoft.Authorization/roleAssignments/write'})) OR " +
        "(@Principal[Microsoft.Directory/CustomSecurityAttributes/Attributes:team] StringEquals 'ml'))";
      const grantName = randomUUID();
      await admin.roleAssignments.create(group(), grantName, {
        roleDefinitionId: roleId(RBAC_ADMIN),
        principalId: other.objectId,
        principalType: "ServicePrincipal",
        condition: unsupportedCondition,
        conditionVersion: "2.0",
      });
      const asOther = new AuthorizationManagementClient(
        credentialOf(other),
        world.azure.subscriptionId,
        world.clientOptions,
      );
      const name = randomUUID();
      const err = await rejection(grant(asOther, name, OPENAI_USER));
      expect(err.statusCode).to.equal(403);
      expect(err.code).to.equal("ConditionNotSupportedByLocalAzure");
      expect(err.message).to.equal(
        `Role assignment '${grantName}' grants 'Microsoft.Authorization/roleAssignments/write' over scope ` +
          `'${group()}/providers/Microsoft.Authorization/roleAssignments/${name}' only under a condition local Azure cannot evaluate ` +
          '("@Principal[Microsoft.Directory/CustomSecurityAttributes/Attributes:team]"); local Azure refuses the request. ' +
          "Use a condition of the forms listed in emulator/README.md, or an assignment without a condition.",
      );
    });

    it("returns the condition on the assignment", async () => {
      const list = [];
      for await (const a of admin.roleAssignments.listForScope(group())) list.push(a);
      const constrained = list.find((a) => a.principalId === deployer.objectId);
      expect(constrained?.condition).to.equal(delegationCondition(DELEGABLE_ROLES));
      expect(constrained?.conditionVersion).to.equal("2.0");
    });
  });
});

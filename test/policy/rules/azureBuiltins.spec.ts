import { expect } from "chai";
import {
  BUILT_INS,
  customerManagedKey,
  keyAccessDisabled,
  managedIdentity,
  privateLink,
  restrictNetworkAccess,
} from "../../../policy/rules/azureBuiltins";
import { TYPES } from "../../../policy/resources";
import { devAccount, prodAccount } from "../fixtures";
import { UNKNOWN, validateResource, validateStack } from "../support";

describe("policy: Azure Policy built-ins for Azure AI Services", () => {
  it("names the built-in definitions by the ids Azure/azure-policy publishes", () => {
    // Literals copied from the "id" of each definition file named in BUILT_INS[*].source.
    expect(BUILT_INS.keyAccessDisabled.id).to.equal("71ef260a-8f18-47b7-abcb-62d0673d94dc");
    expect(BUILT_INS.restrictNetworkAccess.id).to.equal("037eea7a-bd0a-46c5-9a66-03aea78705d3");
    expect(BUILT_INS.managedIdentity.id).to.equal("fe3fd216-4f83-4fc1-8984-2bbec80a3418");
    expect(BUILT_INS.privateLink.id).to.equal("d6759c02-b87f-42b7-892e-71b3f471d782");
    expect(BUILT_INS.customerManagedKey.id).to.equal("67121cc7-ff39-4ab8-b7e3-95b84dab487d");
    expect(keyAccessDisabled.description).to.equal(
      "The account refuses API keys: every call carries a Microsoft Entra token. Mirrors Azure Policy built-in " +
        '"Azure AI Services resources should have key access disabled (disable local authentication)" (71ef260a-8f18-47b7-abcb-62d0673d94dc, v1.1.0).',
    );
  });

  describe("ai-services-key-access-disabled", () => {
    it("passes an account with local auth disabled", async () => {
      expect(await validateResource([keyAccessDisabled], devAccount())).to.deep.equal([]);
    });

    it("fails an account that accepts keys, in the runtime's message format", async () => {
      const [d] = await validateResource(
        [keyAccessDisabled],
        devAccount({ disableLocalAuth: false }),
      );
      expect(d.level).to.equal("mandatory");
      expect(d.reported).to.equal(
        "properties.disableLocalAuth is false; set `azure-openai-finetune:disableLocalAuth` to true so the account accepts Microsoft Entra tokens only",
      );
      expect(d.message).to.equal(`${keyAccessDisabled.description}\n${d.reported}`);
      expect(d.urn).to.equal(
        "urn:pulumi:dev::azure-openai-finetune::azure-native:cognitiveservices:Account::ft-dev-account",
      );
    });

    it("fails an account that leaves disableLocalAuth unset (Azure's default is keys on)", async () => {
      const [d] = await validateResource(
        [keyAccessDisabled],
        devAccount({ disableLocalAuth: undefined }),
      );
      expect(d.reported).to.match(/^properties\.disableLocalAuth is not set; /);
    });

    it("cannot judge an unknown value at preview and says so as an advisory", async () => {
      const diagnostics = await validateResource(
        [keyAccessDisabled],
        devAccount({ disableLocalAuth: UNKNOWN }),
      );
      expect(diagnostics).to.deep.equal([
        {
          policy: "ai-services-key-access-disabled",
          level: "advisory",
          reported:
            "can't run policy 'ai-services-key-access-disabled' from policy pack 'azure-openai-finetune@v0.1.0' during preview: string value at .properties.disableLocalAuth can't be known during preview",
          message:
            "can't run policy 'ai-services-key-access-disabled' from policy pack 'azure-openai-finetune@v0.1.0' during preview: string value at .properties.disableLocalAuth can't be known during preview",
        },
      ]);
    });

    it("ignores other resource types", async () => {
      const other = { type: TYPES.resourceGroup, name: "rg", props: { location: "swedencentral" } };
      expect(await validateResource([keyAccessDisabled], other)).to.deep.equal([]);
    });
  });

  describe("ai-services-restrict-network-access", () => {
    it("advises on an account open to every network (the dev stack)", async () => {
      const diagnostics = await validateResource([restrictNetworkAccess], devAccount());
      expect(diagnostics.map((d) => [d.level, d.reported])).to.deep.equal([
        [
          "advisory",
          'properties.publicNetworkAccess is "Enabled" and properties.networkAcls.defaultAction is "Allow": every network reaches the account; ' +
            "list the callers' ranges in `azure-openai-finetune:allowedIpRanges` (the firewall then denies the rest) or set `azure-openai-finetune:publicNetworkAccess` to Disabled",
        ],
      ]);
    });

    it("passes a firewalled account and one closed to public networks", async () => {
      expect(await validateResource([restrictNetworkAccess], prodAccount())).to.deep.equal([]);
      const closed = devAccount({ publicNetworkAccess: "Disabled" });
      expect(await validateResource([restrictNetworkAccess], closed)).to.deep.equal([]);
    });

    it("is mandatory where the stack's policy config says so", async () => {
      const [d] = await validateResource([restrictNetworkAccess], devAccount(), {
        "ai-services-restrict-network-access": { enforcementLevel: "mandatory" },
      });
      expect(d.level).to.equal("mandatory");
    });
  });

  describe("cognitive-services-managed-identity", () => {
    it("passes a system-assigned identity and fails none", async () => {
      expect(await validateResource([managedIdentity], devAccount())).to.deep.equal([]);
      const none = await validateResource(
        [managedIdentity],
        devAccount({}, { identity: { type: "None" } }),
      );
      expect(none.map((d) => d.reported)).to.deep.equal([
        'identity.type is "None"; give the account a SystemAssigned or UserAssigned identity',
      ]);
      const missing = await validateResource(
        [managedIdentity],
        devAccount({}, { identity: undefined }),
      );
      expect(missing.map((d) => d.reported)).to.deep.equal([
        "identity.type is not set; give the account a SystemAssigned or UserAssigned identity",
      ]);
    });
  });

  describe("ai-services-private-link", () => {
    it("advises per account when the stack has no private endpoint", async () => {
      const account = devAccount();
      const diagnostics = await validateStack([privateLink], [account]);
      expect(diagnostics.map((d) => [d.level, d.urn, d.reported])).to.deep.equal([
        [
          "advisory",
          "urn:pulumi:dev::azure-openai-finetune::azure-native:cognitiveservices:Account::ft-dev-account",
          "ft-dev-account: no private endpoint in this stack, so callers reach the account over its public endpoint; " +
            "add a private endpoint, or disable this policy in the stack's policy config when one exists outside the stack",
        ],
      ]);
    });

    it("passes when the stack declares a private endpoint", async () => {
      const endpoint = { type: TYPES.privateEndpoint, name: "pe", props: {} };
      expect(await validateStack([privateLink], [devAccount(), endpoint])).to.deep.equal([]);
    });
  });

  describe("cognitive-services-customer-managed-key", () => {
    it("advises on Microsoft-managed keys and passes a Key Vault key", async () => {
      const diagnostics = await validateResource([customerManagedKey], devAccount());
      expect(diagnostics.map((d) => [d.level, d.reported])).to.deep.equal([
        [
          "advisory",
          "properties.encryption.keySource is not set, so Microsoft-managed keys encrypt the training data and models; " +
            'this program does not set up a Key Vault key: accept this advisory or add encryption with keySource "Microsoft.KeyVault"',
        ],
      ]);
      const cmk = devAccount({ encryption: { keySource: "Microsoft.KeyVault" } });
      expect(await validateResource([customerManagedKey], cmk)).to.deep.equal([]);
    });
  });
});

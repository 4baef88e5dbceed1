import { expect } from "chai";
import { TYPES } from "../../../policy/resources";
import {
  networkRestrictedInProduction,
  purgeOffInProduction,
} from "../../../policy/rules/production";
import { devAccount, prodAccount } from "../fixtures";
import { stackConfigForEachTest, type TestResource, UNKNOWN, validateResource } from "../support";

const PROD = {
  "azure-openai-finetune:environment": "prod",
  "azure-openai-finetune:production": "true",
};
const DEV = { "azure-openai-finetune:environment": "dev" };

/** The AccountPurge the program creates when `purgeOnDestroy` is on. */
const purge: TestResource = {
  type: TYPES.accountPurge,
  name: "ft-prod-purge",
  props: {
    subscriptionId: "11111111-2222-3333-4444-555555555555",
    resourceGroupName: "ft-prod-rg",
    location: "swedencentral",
    accountName: "aoift-prod-0123456789",
  },
};

describe("policy: production rules", () => {
  const setStackConfig = stackConfigForEachTest();

  describe("purge-on-destroy-off-in-production", () => {
    it("fails a purge in a production stack", async () => {
      setStackConfig(PROD);
      const diagnostics = await validateResource([purgeOffInProduction], purge);
      expect(diagnostics.map((d) => [d.level, d.reported])).to.deep.equal([
        [
          "mandatory",
          "destroy would purge the soft-deleted account, and its fine-tuned models and files with it, in a production stack (`azure-openai-finetune:production`); " +
            "set `azure-openai-finetune:purgeOnDestroy` to false",
        ],
      ]);
    });

    it("allows a purge outside production", async () => {
      setStackConfig(DEV);
      expect(await validateResource([purgeOffInProduction], purge)).to.deep.equal([]);
    });

    it("fails when the policy config and the stack disagree", async () => {
      setStackConfig(DEV);
      const diagnostics = await validateResource([purgeOffInProduction], purge, {
        "purge-on-destroy-off-in-production": { production: true },
      });
      expect(diagnostics.map((d) => d.reported)).to.deep.equal([
        "the policy config says production is true but the stack sets `azure-openai-finetune:production` to false; make them agree",
      ]);
    });
  });

  describe("network-restricted-in-production", () => {
    it("passes the firewalled prod account and one closed to public networks", async () => {
      setStackConfig(PROD);
      expect(await validateResource([networkRestrictedInProduction], prodAccount())).to.deep.equal(
        [],
      );
      const closed = devAccount({ publicNetworkAccess: "Disabled" });
      expect(await validateResource([networkRestrictedInProduction], closed)).to.deep.equal([]);
    });

    it("fails a production account open to every network", async () => {
      setStackConfig(PROD);
      const diagnostics = await validateResource([networkRestrictedInProduction], devAccount());
      expect(diagnostics.map((d) => [d.level, d.reported])).to.deep.equal([
        [
          "mandatory",
          'properties.networkAcls.defaultAction is "Allow" in a production stack (`azure-openai-finetune:production`); ' +
            "list the deploying runner's egress range and the callers' ranges in `azure-openai-finetune:allowedIpRanges`, or set `azure-openai-finetune:publicNetworkAccess` to Disabled",
        ],
      ]);
    });

    it("fails a production firewall without ip rules: the runner could not reach the data plane", async () => {
      setStackConfig(PROD);
      const closed = devAccount({ networkAcls: { defaultAction: "Deny", ipRules: [] } });
      const diagnostics = await validateResource([networkRestrictedInProduction], closed);
      expect(diagnostics.map((d) => d.reported)).to.deep.equal([
        "properties.networkAcls denies every network and lists no ipRules, so the deploying runner cannot reach the data plane; " +
          "list its egress range in `azure-openai-finetune:allowedIpRanges`",
      ]);
    });

    it("leaves non-production accounts to the advisory built-in", async () => {
      setStackConfig(DEV);
      expect(await validateResource([networkRestrictedInProduction], devAccount())).to.deep.equal(
        [],
      );
    });

    it("reports an unknown firewall at preview as not yet judged", async () => {
      setStackConfig(PROD);
      const preview = devAccount({ networkAcls: UNKNOWN });
      const diagnostics = await validateResource([networkRestrictedInProduction], preview);
      expect(diagnostics.map((d) => [d.level, d.reported])).to.deep.equal([
        [
          "advisory",
          "can't run policy 'network-restricted-in-production' from policy pack 'azure-openai-finetune@v0.1.0' during preview: string value at .properties.networkAcls can't be known during preview",
        ],
      ]);
    });
  });
});

import { expect } from "chai";
import { TYPES } from "../../../policy/resources";
import { allowedRegions, requiredTags } from "../../../policy/rules/governance";
import { devAccount } from "../fixtures";
import { UNKNOWN, validateResource } from "../support";

describe("policy: governance rules", () => {
  describe("required-tags", () => {
    it("passes the default environment and owner tags", async () => {
      expect(await validateResource([requiredTags], devAccount())).to.deep.equal([]);
    });

    it("fails missing or empty tags, listing each", async () => {
      const group = {
        type: TYPES.resourceGroup,
        name: "ft-dev-rg",
        props: { location: "swedencentral", tags: { environment: "dev", owner: "" } },
      };
      const diagnostics = await validateResource([requiredTags], group, {
        "required-tags": { requiredTags: ["environment", "owner", "cost-center"] },
      });
      expect(diagnostics.map((d) => [d.level, d.reported])).to.deep.equal([
        [
          "mandatory",
          'tags lack "owner", "cost-center"; add them under `azure-openai-finetune:tags` (owner also through `azure-openai-finetune:owner`)',
        ],
      ]);
    });

    it("ignores resources that take no tags", async () => {
      const file = { type: TYPES.trainingFile, name: "f", props: {} };
      expect(await validateResource([requiredTags], file)).to.deep.equal([]);
    });
  });

  describe("allowed-regions", () => {
    it("allows by default the regions the catalog offers fine-tuning in", async () => {
      expect(await validateResource([allowedRegions], devAccount())).to.deep.equal([]);
      const [d] = await validateResource([allowedRegions], devAccount({}, { location: "westus2" }));
      expect(d.reported).to.match(/^location "westus2" is not an allowed region \(australiaeast, /);
    });

    it("applies the stack's list and accepts ARM's display names", async () => {
      const config = { "allowed-regions": { allowedRegions: ["swedencentral"] } };
      const display = devAccount({}, { location: "Sweden Central" });
      expect(await validateResource([allowedRegions], display, config)).to.deep.equal([]);
      const diagnostics = await validateResource(
        [allowedRegions],
        devAccount({}, { location: "eastus2" }),
        config,
      );
      expect(diagnostics.map((d) => d.reported)).to.deep.equal([
        'location "eastus2" is not an allowed region (swedencentral); change `azure-openai-finetune:location`',
      ]);
    });

    it("reports an unknown location at preview as not yet judged", async () => {
      const [d] = await validateResource([allowedRegions], devAccount({}, { location: UNKNOWN }));
      expect(d.level).to.equal("advisory");
      expect(d.reported).to.match(/string value at \.location can't be known during preview$/);
    });
  });
});

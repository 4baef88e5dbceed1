import { expect } from "chai";
import { federatedSubjects, validateCiIdentity } from "../../components/ciIdentity";

describe("components/ciIdentity", () => {
  describe("federatedSubjects", () => {
    it("trusts pushes to the branch, pull requests and each environment, in that order", () => {
      expect(federatedSubjects("contoso/ml", "main", ["dev", "prod"])).to.deep.equal([
        "repo:contoso/ml:ref:refs/heads/main",
        "repo:contoso/ml:pull_request",
        "repo:contoso/ml:environment:dev",
        "repo:contoso/ml:environment:prod",
      ]);
    });
  });

  describe("validateCiIdentity", () => {
    it("accepts an owner/repository and distinct environments", () => {
      expect(
        validateCiIdentity({ repository: "contoso/ml", environments: ["dev", "prod"] }),
      ).to.deep.equal([]);
    });

    it("names the repository that is not owner/repository", () => {
      expect(validateCiIdentity({ repository: "ml", environments: [] })).to.deep.equal([
        '`repository` "ml" must be "owner/repository".',
      ]);
    });

    it("names an environment listed twice", () => {
      expect(
        validateCiIdentity({ repository: "contoso/ml", environments: ["dev", "dev"] }),
      ).to.deep.equal(['`environments` lists "dev" twice; list each GitHub environment once.']);
    });

    it("refuses more environments than Entra's 20 federated credentials leave room for", () => {
      const environments = Array.from({ length: 19 }, (_, i) => `env${i}`);
      expect(validateCiIdentity({ repository: "contoso/ml", environments })).to.deep.equal([
        "`environments` has 19 entries; at most 18 fit beside the branch and pull-request credentials.",
      ]);
    });
  });
});

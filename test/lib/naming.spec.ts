import { expect } from "chai";
import { accountSubdomain, deterministicGuid } from "../../lib/naming";

describe("lib/naming", () => {
  describe("deterministicGuid", () => {
    it("returns the same version-5 shaped GUID for the same parts", () => {
      const guid = deterministicGuid("/subscriptions/s/rg", "principal", "role");
      expect(guid).to.equal(deterministicGuid("/subscriptions/s/rg", "principal", "role"));
      expect(guid).to.match(
        /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
      );
    });

    it("differs when any part differs, including how parts are split", () => {
      const guids = new Set([
        deterministicGuid("a", "b", "c"),
        deterministicGuid("a", "b", "d"),
        deterministicGuid("ab", "", "c"),
        deterministicGuid("a", "bc"),
      ]);
      expect(guids.size).to.equal(4);
    });
  });

  describe("accountSubdomain", () => {
    it("joins prefix, environment and an 8-hex hash of the seed", () => {
      expect(accountSubdomain("aoift", "dev", "sub", "rg")).to.match(/^aoift-dev-[0-9a-f]{8}$/);
      expect(accountSubdomain("aoift", "dev", "sub", "rg")).to.equal(
        accountSubdomain("aoift", "dev", "sub", "rg"),
      );
      expect(accountSubdomain("aoift", "dev", "sub", "rg")).to.not.equal(
        accountSubdomain("aoift", "dev", "other", "rg"),
      );
    });

    it("stays within the 63-character DNS label limit", () => {
      expect(accountSubdomain("p".repeat(40), "e".repeat(30), "s").length).to.equal(63);
    });
  });
});

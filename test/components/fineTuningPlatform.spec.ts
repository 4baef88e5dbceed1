import { expect } from "chai";
import { validateFineTuningPlatformArgs } from "../../components/fineTuningPlatform";

describe("components/fineTuningPlatform", () => {
  describe("validateFineTuningPlatformArgs", () => {
    it("accepts a project on an AIServices account", () => {
      expect(
        validateFineTuningPlatformArgs({
          environment: "prod",
          accountKind: "AIServices",
          foundryProject: "travel",
          allowedIpRanges: ["203.0.113.0/24"],
        }),
      ).to.deep.equal([]);
    });

    it("names each bad argument, its value and the fix", () => {
      expect(
        validateFineTuningPlatformArgs({
          environment: "Prod",
          accountKind: "OpenAI",
          foundryProject: "travel",
          allowedIpRanges: ["203.0.113.0/24", "203.0.113.0/24"],
        }),
      ).to.deep.equal([
        '`environment` "Prod" must be 1-16 lowercase letters, digits or hyphens.',
        '`foundryProject` "travel" needs `accountKind` AIServices; set it or drop `foundryProject`.',
        '`allowedIpRanges` lists "203.0.113.0/24" twice; list each range once.',
      ]);
    });
  });
});

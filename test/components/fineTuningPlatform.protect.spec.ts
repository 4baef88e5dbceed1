import { expect } from "chai";
import { runProgram } from "../support/mockProgram";

const accountOptions = async (stack: string, overrides: Record<string, string> = {}) => {
  const account = (await runProgram(stack, overrides)).byName(`ft-${stack}-account`);
  return { protect: account.protect, retainOnDelete: account.retainOnDelete };
};

describe("components/fineTuningPlatform: protecting the account (under mocks)", function () {
  this.timeout(120_000);

  it("leaves a dev account unprotected, so destroy deletes and purges it", async () => {
    expect(await accountOptions("dev")).to.deep.equal({ protect: false, retainOnDelete: false });
  });

  it("protects and retains the production account by default", async () => {
    expect(await accountOptions("prod")).to.deep.equal({ protect: true, retainOnDelete: true });
  });

  it("applies the per-stack settings", async () => {
    expect(
      await accountOptions("prod", { protectAccount: "false", retainAccountOnDelete: "true" }),
    ).to.deep.equal({ protect: false, retainOnDelete: true });
  });
});

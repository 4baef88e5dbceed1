import { expect } from "chai";
import { runProgram } from "../support/mockProgram";

describe("components/fineTuningPlatform: the account's name for adoption (under mocks)", function () {
  this.timeout(120_000);

  it("declares the account under accountName with accountSubdomain as its subdomain, and purges that name", async () => {
    const run = await runProgram("dev", {
      accountName: "Team_OpenAI",
      accountSubdomain: "team-openai-7f3a",
    });
    const account = run.byName("ft-dev-account").inputs;
    expect([
      account.accountName,
      account.properties.customSubDomainName,
      run.byName("ft-dev-purge").inputs.accountName,
    ]).to.deep.equal(["Team_OpenAI", "team-openai-7f3a", "Team_OpenAI"]);
  });

  it("derives name and subdomain from subscription, group, project and stack when unset", async () => {
    const account = (await runProgram("dev")).byName("ft-dev-account").inputs;
    expect(account.accountName).to.match(/^aoift-dev-[0-9a-f]{8}$/);
    expect(account.properties.customSubDomainName).to.equal(account.accountName);
  });
});

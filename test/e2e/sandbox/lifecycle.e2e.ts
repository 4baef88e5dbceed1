/**
 * The whole program (index.ts, unchanged) through the sandbox: the real `pulumi` CLI on one stack
 * against local Azure, the scenarios in order on the same stack, each asserting on the requests
 * local Azure received per plane and on `pulumi stack export`.
 */
import { expect } from "chai";
import { CommandResult, Scenario, startScenario } from "./harness";

function ok(res: CommandResult): CommandResult {
  expect(res.code, res.output).to.equal(0);
  return res;
}

describe("sandbox e2e: the whole program's lifecycle against local Azure", function () {
  this.timeout(10 * 60_000);
  let s: Scenario;

  before(async () => {
    s = await startScenario({ stack: "e2e-lifecycle" });
  });

  after(async () => {
    await s?.close();
  });

  it("up creates the account", async () => {
    ok(await s.up());
    const { resources } = await s.exportStack();
    expect(resources.map((r) => r.type)).to.include("azure-native:cognitiveservices:Account");
  });

  it("a second up is a no-op: no mutating request on either plane", async () => {
    const res = ok(await s.up());
    expect(res.requests.arm.mutating, res.requests.arm.requests.join("\n")).to.equal(0);
    expect(res.requests.dataPlane.mutating).to.equal(0);
    expect(res.requests.graph.mutating).to.equal(0);
  });
});

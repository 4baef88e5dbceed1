import { expect } from "chai";
describe("runtime", () => {
  it("runs on Node 22 or newer", () => {
    expect(Number(process.versions.node.split(".")[0])).to.be.at.least(22);
  });
});

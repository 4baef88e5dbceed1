import { expect } from "chai";
import { autoEpochs } from "../../lib/cost";

describe("lib/cost", () => {
  describe("autoEpochs", () => {
    it("raises epochs for small files so about 100 examples are trained, at most 25", () => {
      expect([1, 3, 4, 10, 12, 33].map(autoEpochs)).to.deep.equal([25, 25, 25, 10, 8, 3]);
    });

    it("keeps 3 epochs in the middle range", () => {
      expect([34, 1000, 8333].map(autoEpochs)).to.deep.equal([3, 3, 3]);
    });

    it("lowers epochs for large files so at most 25,000 examples are trained, at least 1", () => {
      expect([8334, 12500, 25000, 100000].map(autoEpochs)).to.deep.equal([2, 2, 1, 1]);
    });
  });
});

import { expect } from "chai";
import * as path from "node:path";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { transpileTree } = require("../../lib/transpile") as {
  transpileTree(entry: string): Record<string, string>;
};

const ROOT = path.resolve(__dirname, "../..");

describe("lib/transpile.js", () => {
  it("transpileTree follows relative requires of .ts files, in the order it meets them", () => {
    const tree = transpileTree(path.join(ROOT, "lib/trainingData/lineWorker.ts"));
    expect(Object.keys(tree).map((f) => path.relative(ROOT, f))).to.deep.equal([
      "lib/trainingData/lineWorker.ts",
      "lib/trainingData/lineAnalysis.ts",
      "lib/trainingData/lines.ts",
      "lib/trainingData/longLines.ts",
      "lib/trainingData/rules.ts",
      "lib/trainingData/tokens.ts",
      "lib/trainingData/bpe.ts",
    ]);
  });

  it("gives CommonJS JavaScript with the imports as requires", () => {
    const tree = transpileTree(path.join(ROOT, "lib/trainingData/lineWorker.ts"));
    const js = tree[path.join(ROOT, "lib/trainingData/lineWorker.ts")];
    expect(js).to.include('require("node:worker_threads")');
    expect(js).to.include('require("./lineAnalysis")');
    expect(js).not.to.match(/^import /m);
  });

  it("resolves a folder's index.ts", () => {
    const tree = transpileTree(path.join(ROOT, "lib/trainingData/validate.ts"));
    expect(Object.keys(tree).map((f) => path.relative(ROOT, f))).to.include("lib/models/index.ts");
  });
});

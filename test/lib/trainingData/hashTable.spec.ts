import { expect } from "chai";
import { LineHashTable } from "../../../lib/trainingData/hashTable";

describe("LineHashTable", () => {
  it("returns 0 for new content and the first line for repeated content", () => {
    const table = new LineHashTable();
    expect([
      table.add("alpha", 1),
      table.add(Buffer.from("beta"), 2),
      table.add(Buffer.from("alpha"), 3),
      table.add("beta", 4),
    ]).to.deep.equal([0, 0, 1, 2]);
    expect(table.size).to.equal(2);
  });

  it("keeps every entry when it grows", () => {
    const table = new LineHashTable(16);
    for (let i = 1; i <= 5000; i++) table.add(`line ${i}`, i);
    const firstSeen = [1, 777, 4096, 5000].map((i) => table.add(`line ${i}`, 9999));
    expect([table.size, firstSeen]).to.deep.equal([5000, [1, 777, 4096, 5000]]);
  });
});

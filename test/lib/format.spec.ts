import { expect } from "chai";
import { formatBytes } from "../../lib/format";

describe("formatBytes", () => {
  it("prints whole sizes without decimals and others with one", () => {
    expect(
      [100, 1024, 2867, 1536 * 1024, 512 * 1024 * 1024, 1024 ** 3].map(formatBytes),
    ).to.deep.equal(["100 bytes", "1 KB", "2.8 KB", "1.5 MB", "512 MB", "1 GB"]);
  });
});

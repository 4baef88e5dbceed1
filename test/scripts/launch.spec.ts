import { expect } from "chai";
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import * as path from "node:path";

const ROOT = path.resolve(__dirname, "../..");
const CACHE = path.join(ROOT, "node_modules", ".cache", "aoift-transpile");

function launch(...args: string[]) {
  return spawnSync(process.execPath, ["scripts/launch.js", ...args], {
    cwd: ROOT,
    encoding: "utf8",
  });
}

describe("scripts/launch.js (cached transpile for the CLI)", () => {
  it("runs a TypeScript entry with its own arguments and keeps the transpiled files", () => {
    const run = launch("emulator/cli.ts", "--help");
    expect(run.status).to.equal(0);
    expect(run.stdout.split("\n")[0]).to.equal(
      "usage: npm run emulator -- [--port P] [--api-key K] [--job-seconds N] [--accept-any-bearer] [--quiet]",
    );
    expect(readdirSync(CACHE).filter((f) => f.endsWith(".js")).length).to.be.greaterThan(0);
  });

  it("exits 2 with its usage when no entry is given", () => {
    const run = launch();
    expect(run.status).to.equal(2);
    expect(run.stderr).to.equal("usage: node scripts/launch.js <entry.ts> [args]\n");
  });
});

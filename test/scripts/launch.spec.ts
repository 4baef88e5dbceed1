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
    expect(run.stderr).to.equal(
      "usage: node scripts/launch.js <entry.ts> [args] | --warm <entry.ts>...\n",
    );
  });

  it("starts the entry as require.main, so a CLI guarded by it runs", () => {
    const run = launch("scripts/validate.ts", "test/fixtures/trainingData/missing-assistant.jsonl");
    expect(run.status).to.equal(1);
    expect(run.stdout.split("\n")[0]).to.equal(
      "test/fixtures/trainingData/missing-assistant.jsonl: invalid chat training file (1 error)",
    );
  });

  it("--warm transpiles an entry and every project file it imports, and says how many", () => {
    const run = launch("--warm", "lib/trainingData/lineWorker.ts");
    expect([run.status, run.stdout]).to.deep.equal([
      0,
      "transpile cache: 7 files ready for lib/trainingData/lineWorker.ts\n",
    ]);
  });

  it("--warm never fails an install: a missing entry is reported, exit 0", () => {
    const run = launch("--warm", "no/such/entry.ts");
    expect(run.status).to.equal(0);
    expect(run.stdout).to.match(
      /^transpile cache not warmed \(ENOENT: no such file or directory, open '.*no\/such\/entry\.ts'\); the first run will compile instead\n$/,
    );
  });
});

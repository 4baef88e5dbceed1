import { expect } from "chai";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import {
  installPolicyRunner,
  policyPulumiArgs,
  policyRunnerLauncher,
  splitPolicyFlags,
} from "../../sandbox/policyPack";

describe("sandbox/policyPack", () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), "policy-pack-"))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("launches run-policy-pack in the real pack directory with the engine address", () => {
    expect(policyRunnerLauncher("/repo/policy", "/repo")).to.equal(
      [
        "#!/bin/sh",
        "# Runs a policy pack for `npm run sandbox` (written by sandbox/policyPack.ts).",
        "cd '/repo/policy' && exec '/repo/node_modules/.bin/node' \\",
        "  '/repo/node_modules/@pulumi/pulumi/cmd/run-policy-pack' \"$1\" .",
        "",
      ].join("\n"),
    );
  });

  it("installs the nodejslegacy analyzer plugin and a shim pack that names that runtime", () => {
    const pack = path.join(dir, "pack");
    fs.mkdirSync(pack);
    fs.writeFileSync(path.join(pack, "PulumiPolicy.yaml"), "runtime: nodejs\n");
    const shim = installPolicyRunner(dir, path.join(dir, "home"), pack, "/repo");
    expect(shim).to.equal(path.join(dir, "policy-pack"));
    expect(fs.readFileSync(path.join(shim, "PulumiPolicy.yaml"), "utf8")).to.match(
      /\nruntime: nodejslegacy\n$/,
    );
    const plugin = path.join(
      dir,
      "home/plugins/analyzer-policy-nodejslegacy-v1.0.0/pulumi-analyzer-policy-nodejslegacy",
    );
    expect(fs.readFileSync(plugin, "utf8")).to.equal(policyRunnerLauncher(pack, "/repo"));
    expect(fs.statSync(plugin).mode & 0o111).to.equal(0o111);
  });

  it("refuses a directory without PulumiPolicy.yaml, naming the flag", () => {
    expect(() => installPolicyRunner(dir, path.join(dir, "home"), dir)).to.throw(
      `--policy-pack ${dir} has no PulumiPolicy.yaml; pass the pack's directory, e.g. --policy-pack policy`,
    );
  });

  it("splits the policy flags from the commands and resolves their paths", () => {
    const argv = [
      "preview",
      "--policy-pack",
      "policy",
      "--policy-pack-config",
      "policy/config/dev.json",
    ];
    expect(splitPolicyFlags(argv, "/repo")).to.deep.equal({
      commands: ["preview"],
      packDir: "/repo/policy",
      packConfig: "/repo/policy/config/dev.json",
    });
    expect(splitPolicyFlags(["up", "destroy"], "/repo")).to.deep.equal({
      commands: ["up", "destroy"],
    });
    expect(() => splitPolicyFlags(["preview", "--policy-pack"])).to.throw(
      "--policy-pack needs a directory",
    );
    expect(policyPulumiArgs("/s/policy-pack", "/repo/c.json")).to.deep.equal([
      "--policy-pack",
      "/s/policy-pack",
      "--policy-pack-config",
      "/repo/c.json",
    ]);
  });
});

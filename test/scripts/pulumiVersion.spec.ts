import { expect } from "chai";
import { readFileSync } from "node:fs";
import { join } from "node:path";

const ROOT = join(__dirname, "..", "..");
const read = (path: string) => readFileSync(join(ROOT, path), "utf8");

// scripts/pulumi-version is the one pin of the Pulumi version; the places that cannot read it
// (package.json, the composite action's input default) are checked against it here.
describe("scripts/pulumi-version", () => {
  const pin = read("scripts/pulumi-version").trim();

  it("is a plain semantic version", () => {
    expect(pin).to.match(/^\d+\.\d+\.\d+$/);
  });

  it("equals the @pulumi/pulumi SDK version in package.json", () => {
    expect(JSON.parse(read("package.json")).dependencies["@pulumi/pulumi"]).to.equal(pin);
  });

  it("equals the default pulumi-version of the setup-stack action", () => {
    const action = read(".github/actions/setup-stack/action.yml");
    const block = /pulumi-version:\n(?:\s{4}.*\n)*?\s{4}default:\s*(\S+)/.exec(action);
    expect(block?.[1]).to.equal(pin);
  });

  it("is what scripts/get-pulumi.sh builds", () => {
    expect(read("scripts/get-pulumi.sh")).to.include(
      `PULUMI_VERSION="v$(tr -d '[:space:]' <"$repo_dir/scripts/pulumi-version")"`,
    );
  });
});

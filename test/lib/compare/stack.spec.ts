import { expect } from "chai";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { CompareError } from "../../../lib/compare/errors";
import { readStackOutputs, targetFromOutputs } from "../../../lib/compare/stack";
import { writeFakePulumi } from "./fixture";

async function rejection(promise: Promise<unknown>): Promise<[number, string]> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).to.be.instanceOf(CompareError);
  return [(err as CompareError).exitCode, (err as CompareError).message];
}

describe("compare stack outputs", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), "compare-stack-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const outputs = {
    endpoint: "https://acct.openai.azure.com/",
    baseDeploymentName: "mini",
    tunedDeploymentName: "mini-travel",
  };

  it("runs `pulumi stack output --json --stack <name>` found on PATH", async () => {
    writeFakePulumi(dir, { stdout: JSON.stringify(outputs) });
    const result = await readStackOutputs(
      "dev",
      { PATH: `${dir}${path.delimiter}${process.env.PATH}` },
      dir,
    );
    expect([result, readFileSync(path.join(dir, "args.txt"), "utf8")]).to.deep.equal([
      outputs,
      "stack\noutput\n--json\n--stack\ndev\n",
    ]);
  });

  it("runs the executable named by PULUMI_BIN", async () => {
    const bin = writeFakePulumi(dir, { stdout: '{"endpoint": "http://127.0.0.1:1"}' });
    expect(
      await readStackOutputs("prod", { PULUMI_BIN: bin, PATH: process.env.PATH }, dir),
    ).to.deep.equal({
      endpoint: "http://127.0.0.1:1",
    });
  });

  it("reports a failing pulumi with its last stderr line", async () => {
    const bin = writeFakePulumi(dir, {
      stderr: "error: no stack named 'nope' found\n",
      exitCode: 255,
    });
    expect(await rejection(readStackOutputs("nope", { PULUMI_BIN: bin }, dir))).to.deep.equal([
      2,
      `\`${bin} stack output --json --stack nope\` failed (exit 255): error: no stack named 'nope' found; ` +
        "check the stack name (`pulumi stack ls`) and that the CLI is logged in to the stack's backend",
    ]);
  });

  it("explains a missing Pulumi CLI", async () => {
    const bin = path.join(dir, "no-such-pulumi");
    expect(await rejection(readStackOutputs("dev", { PULUMI_BIN: bin }, dir))).to.deep.equal([
      2,
      `the Pulumi CLI (${bin}) was not found; install it, set PULUMI_BIN to its path, or pass --endpoint --base --tuned instead of --stack`,
    ]);
  });

  it("takes the endpoint and deployments from the outputs", () => {
    expect(targetFromOutputs("dev", outputs)).to.deep.equal({
      endpoint: "https://acct.openai.azure.com",
      base: "mini",
      tuned: "mini-travel",
    });
  });

  it("lets --base and --tuned override the outputs", () => {
    expect(targetFromOutputs("dev", outputs, { base: "b", tuned: "t" })).to.deep.equal({
      endpoint: "https://acct.openai.azure.com",
      base: "b",
      tuned: "t",
    });
  });

  it("names the settings that give the comparison a base when the stack deploys none", () => {
    // baseDeployment false (or connect mode without baseDeploymentName): index.ts exports no name.
    const noBase = { endpoint: outputs.endpoint, tunedDeploymentName: outputs.tunedDeploymentName };
    let caught: unknown;
    try {
      targetFromOutputs("dev", noBase);
    } catch (err) {
      caught = err;
    }
    expect([(caught as CompareError).exitCode, (caught as CompareError).message]).to.deep.equal([
      3,
      "stack `dev` has no `baseDeploymentName` output: it deploys no base model to compare with " +
        "(`azure-openai-finetune:baseDeployment` is false, or the account is connected without " +
        "`azure-openai-finetune:baseDeploymentName`). Set `azure-openai-finetune:baseDeploymentName` to the name of " +
        "the account's deployment of the base model (connected account) or `azure-openai-finetune:baseDeployment` " +
        "to true (new account), then run `pulumi up --stack dev`; or pass --base <deployment>",
    ]);
    expect(targetFromOutputs("dev", noBase, { base: "mine" }).base).to.equal("mine");
  });

  it("exits 3 when the stack has no fine-tuned deployment yet", () => {
    const partial = { endpoint: outputs.endpoint, baseDeploymentName: outputs.baseDeploymentName };
    let caught: unknown;
    try {
      targetFromOutputs("dev", partial);
    } catch (err) {
      caught = err;
    }
    expect([(caught as CompareError).exitCode, (caught as CompareError).message]).to.deep.equal([
      3,
      "stack `dev` has no `tunedDeploymentName` output (the fine-tuned deployment, created once the fine-tuning job succeeds); " +
        "run `pulumi up --stack dev` first, or pass --tuned",
    ]);
  });
});

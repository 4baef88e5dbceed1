import { expect } from "chai";
import { execFile } from "node:child_process";
import { mkdirSync, readdirSync } from "node:fs";
import * as path from "node:path";
import {
  BASE_DEPLOYMENT,
  CompareFixture,
  startCompareFixture,
  TUNED_DEPLOYMENT,
  TUNED_REPLIES,
  writeFakePulumi,
} from "../lib/compare/fixture";

const REPO = path.resolve(__dirname, "../..");

interface ScriptRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs scripts/compare.ts as `npm run compare` does (ts-node on this Node), from the repo root. */
function compare(argv: string[], env: NodeJS.ProcessEnv): Promise<ScriptRun> {
  const tsNode = require.resolve("ts-node/dist/bin.js");
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [tsNode, "--transpile-only", "scripts/compare.ts", ...argv],
      { cwd: REPO, env },
      (err, stdout, stderr) => {
        const code = err ? Number((err as { code?: unknown }).code) : 0;
        resolve({ code, stdout: String(stdout), stderr: String(stderr) });
      },
    );
  });
}

describe("scripts/compare.ts", () => {
  let fixture: CompareFixture;
  let env: NodeJS.ProcessEnv;
  let out: string;

  before(async () => {
    fixture = await startCompareFixture();
    const bin = path.join(fixture.dir, "bin");
    mkdirSync(bin);
    writeFakePulumi(bin, {
      stdout: JSON.stringify({
        endpoint: fixture.emulator.endpoint,
        baseDeploymentName: BASE_DEPLOYMENT,
        tunedDeploymentName: TUNED_DEPLOYMENT,
      }),
    });
    env = {
      ...process.env,
      PULUMI_BIN: "",
      PATH: `${bin}${path.delimiter}${process.env.PATH}`,
      AZURE_OPENAI_API_KEY: fixture.emulator.apiKey,
    };
    out = path.join(fixture.dir, "out");
  });
  after(() => fixture.close());

  it("compares the stack's deployments and writes both reports", async () => {
    const run = await compare(
      ["--stack", "dev", "--prompts", fixture.promptsFile, "--out", out],
      env,
    );
    expect([
      run.code,
      run.stdout.split("\n").filter((l) => l.startsWith("This is a reply")),
      readdirSync(out)
        .map((f) => path.extname(f))
        .sort(),
      run.stderr.split("\n").filter((l) => l.startsWith("[")).length,
    ]).to.deep.equal([
      0,
      // Not a terminal: 100 columns, 48 per answer.
      [
        `This is a reply from the emulated base model     │ ${TUNED_REPLIES[0].replace(" crowds.", "")}`,
        "This is a reply from the emulated base model     │ Rarely; cards work almost everywhere, even at",
        `This is a reply from the emulated base model     │ ${TUNED_REPLIES[2]}`,
      ],
      [".json", ".md"],
      6,
    ]);
  });

  it("exits 3 when the fine-tuned deployment does not exist", async () => {
    const run = await compare(
      [
        "--stack",
        "dev",
        "--tuned",
        "gpt-4.1-mini-travel",
        "--prompts",
        fixture.promptsFile,
        "--out",
        out,
      ],
      env,
    );
    expect([run.code, run.stdout, run.stderr.trim().split("\n").at(-1)]).to.deep.equal([
      3,
      "",
      `compare: deployment \`gpt-4.1-mini-travel\` not found on ${fixture.emulator.endpoint}; run \`pulumi up\` or check --tuned`,
    ]);
  });

  it("exits 4 when the key is refused", async () => {
    const run = await compare(["--stack", "dev", "--prompts", fixture.promptsFile, "--out", out], {
      ...env,
      AZURE_OPENAI_API_KEY: "wrong",
    });
    expect([
      run.code,
      run.stderr.includes("refused the credential (401)"),
      run.stderr.includes("Cognitive Services OpenAI User"),
    ]).to.deep.equal([4, true, true]);
  });

  it("exits 2 on a usage error, naming the flag", async () => {
    const run = await compare(["--stack", "dev", "--concurrency", "64"], env);
    expect([run.code, run.stdout, run.stderr]).to.deep.equal([
      2,
      "",
      'compare: `--concurrency` "64" is not valid; use an integer from 1 to 16\n',
    ]);
  });
});

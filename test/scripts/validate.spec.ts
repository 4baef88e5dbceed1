import { expect } from "chai";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { main } from "../../scripts/validate";
import { FINE_TUNABLE_MODEL_IDS } from "../../lib/models";

const ROOT = join(__dirname, "..", "..");
const VALID = "test/fixtures/trainingData/valid-chat.jsonl";
const INVALID = "test/fixtures/trainingData/missing-assistant.jsonl";
const USAGE =
  "usage: npm run validate -- <file.jsonl> [--model <base model>] [--epochs <n>] [--json]";

/** Runs the CLI as `npm run validate` does (scripts/launch.js) in a child process. */
function cli(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ["scripts/launch.js", "scripts/validate.ts", ...args], {
    cwd: ROOT,
    encoding: "utf8",
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Runs the CLI's main() in-process (same code path, no process start-up). */
async function run(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const previous = process.cwd();
  process.chdir(ROOT);
  try {
    const code = await main(
      args,
      (s) => (out += `${s}\n`),
      (s) => (err += `${s}\n`),
    );
    return { code, out, err };
  } finally {
    process.chdir(previous);
  }
}

describe("scripts/validate.ts (npm run validate)", () => {
  describe("as a process", () => {
    it("exits 0 and prints the summary for a valid file", () => {
      expect(cli(VALID)).to.deep.equal({
        status: 0,
        stdout: [
          `${VALID}: valid chat training file`,
          "  12 examples, 4.1 KB",
          "  781 tokens; longest example 77 (limit 65,536 of the largest model; pass the model to check its own)",
          '  estimated billed tokens: 6,248 (781 × 8 epochs, the likely "auto" count)',
          "",
        ].join("\n"),
        stderr: "",
      });
    });

    it("exits 1 and prints the errors for an invalid file", () => {
      const r = cli(INVALID, "--model", "gpt-4o-mini", "--epochs", "2");
      expect([r.status, r.stderr, r.stdout.split("\n").slice(0, 2)]).to.deep.equal([
        1,
        "",
        [
          `${INVALID}: invalid chat training file for gpt-4o-mini-2024-07-18 (1 error)`,
          `  ${INVALID}:4: has no assistant message; each example needs at least one user and one assistant message`,
        ],
      ]);
    });

    it("exits 2 and names the flag for a model that is not an id", () => {
      const r = cli(VALID, "--model", "");
      expect([r.status, r.stdout, r.stderr]).to.deep.equal([
        2,
        "",
        `--model "" is not a model id; use e.g. ${FINE_TUNABLE_MODEL_IDS[0]}\n`,
      ]);
    });
  });

  it("prints the report as JSON with --json", async () => {
    const r = await run(VALID, "--json", "--epochs", "3");
    expect(r.code).to.equal(0);
    const report = JSON.parse(r.out) as Record<string, unknown>;
    expect([
      report.valid,
      report.totalTokens,
      report.epochs,
      report.estimatedBilledTokens,
      report.epochsAuto,
    ]).to.deep.equal([true, 781, 3, 2343, false]);
  });

  it("exits 1 with --json for an invalid file", async () => {
    const r = await run(INVALID, "--json");
    expect([r.code, (JSON.parse(r.out) as { errorCount: number }).errorCount]).to.deep.equal([
      1, 1,
    ]);
  });

  const usageCases: [string, string[], string][] = [
    [
      "a missing file",
      ["test/fixtures/trainingData/nope.jsonl"],
      `training file test/fixtures/trainingData/nope.jsonl does not exist (relative paths start at ${join(__dirname, "..", "..")}); check the path`,
    ],
    ["no file", [], `missing the training file path\n${USAGE}`],
    ["two files", [VALID, INVALID], `expected one file, got 2: ${VALID} ${INVALID}\n${USAGE}`],
    [
      "an unknown flag",
      [VALID, "--modle", "gpt-4o"],
      `unknown option --modle; the options are --model, --epochs and --json\n${USAGE}`,
    ],
    [
      "a flag without its value",
      [VALID, "--model"],
      `Option '--model <value>' argument missing\n${USAGE}`,
    ],
    [
      "epochs that are not a number",
      [VALID, "--epochs", "three"],
      `--epochs "three" is not valid; use a whole number of at least 1, or omit it for "auto"\n${USAGE}`,
    ],
    [
      "zero epochs",
      [VALID, "--epochs", "0"],
      `--epochs "0" is not valid; use a whole number of at least 1, or omit it for "auto"\n${USAGE}`,
    ],
  ];
  for (const [name, args, message] of usageCases) {
    it(`exits 2 for ${name}`, async () => {
      expect(await run(...args)).to.deep.equal({ code: 2, out: "", err: `${message}\n` });
    });
  }
});

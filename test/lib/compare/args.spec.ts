import { expect } from "chai";
import { parseCompareArgs } from "../../../lib/compare/args";
import { CompareError } from "../../../lib/compare/errors";

const EXPLICIT = [
  "--endpoint",
  "https://acct.openai.azure.com/",
  "--base",
  "mini",
  "--tuned",
  "mini-travel",
];

/** The usage error `argv` is rejected with, as [exit code, message]. */
function rejection(argv: string[]): [number, string] {
  try {
    parseCompareArgs(argv);
  } catch (err) {
    expect(err).to.be.instanceOf(CompareError);
    return [(err as CompareError).exitCode, (err as CompareError).message];
  }
  throw new Error(`expected ${JSON.stringify(argv)} to be rejected`);
}

describe("compare args", () => {
  it("applies every default to an explicit target", () => {
    expect(parseCompareArgs(EXPLICIT)).to.deep.equal({
      help: false,
      target: {
        kind: "explicit",
        endpoint: "https://acct.openai.azure.com",
        base: "mini",
        tuned: "mini-travel",
      },
      prompts: "data/compare-prompts.json",
      concurrency: 2,
      outDir: "compare-results",
      apiVersion: "2025-04-01-preview",
      maxTokens: undefined,
      temperature: 0,
      json: false,
    });
  });

  it("reads every flag", () => {
    const argv = [
      "--stack=dev",
      "--tuned",
      "other-travel",
      "--prompts",
      "my.jsonl",
      "--concurrency",
      "16",
      "--out",
      "out",
      "--api-version",
      "2024-10-21",
      "--max-tokens",
      "300",
      "--temperature",
      "0.7",
      "--json",
    ];
    expect(parseCompareArgs(argv)).to.deep.equal({
      help: false,
      target: { kind: "stack", stack: "dev", base: undefined, tuned: "other-travel" },
      prompts: "my.jsonl",
      concurrency: 16,
      outDir: "out",
      apiVersion: "2024-10-21",
      maxTokens: 300,
      temperature: 0.7,
      json: true,
    });
  });

  it("returns a help request for -h without validating the rest", () => {
    expect(parseCompareArgs(["-h", "--concurrency", "0"])).to.deep.equal({ help: true });
  });

  it("requires a target", () => {
    expect(rejection([])).to.deep.equal([
      2,
      "no target given; pass `--stack <name>` to read the stack's outputs, or `--endpoint <url> --base <deployment> --tuned <deployment>`",
    ]);
  });

  it("names the flags missing from an explicit target", () => {
    expect(rejection(["--endpoint", "https://acct.openai.azure.com"])).to.deep.equal([
      2,
      "`--base` and `--tuned` missing; without --stack, pass all of `--endpoint <url> --base <deployment> --tuned <deployment>`",
    ]);
  });

  it("rejects --stack with --endpoint", () => {
    expect(rejection(["--stack", "dev", ...EXPLICIT])).to.deep.equal([
      2,
      "`--stack` and `--endpoint` cannot be combined; the stack's `endpoint` output is used with --stack, so drop one of them",
    ]);
  });

  it("rejects an unknown flag", () => {
    expect(rejection([...EXPLICIT, "--model", "x"])).to.deep.equal([
      2,
      "unknown flag `--model`; run `npm run compare -- --help` for the flags",
    ]);
  });

  it("rejects a positional argument", () => {
    expect(rejection(["dev"])).to.deep.equal([
      2,
      "unexpected argument `dev`; every value belongs to a flag, e.g. `--stack dev` (run `npm run compare -- --help` for the flags)",
    ]);
  });

  it("rejects a flag without its value", () => {
    expect(rejection(["--stack"])).to.deep.equal([
      2,
      '`--stack` needs a value, e.g. `--stack dev` (a value starting with "-" is written `--stack=-x`)',
    ]);
  });

  it("rejects a value given to --json", () => {
    expect(rejection([...EXPLICIT, "--json=yes"])).to.deep.equal([
      2,
      "`--json` takes no value; pass it alone",
    ]);
  });

  for (const [value, why] of [
    ["0", "zero"],
    ["17", "above the bound"],
    ["1.5", "a fraction"],
    ["two", "not a number"],
  ]) {
    it(`rejects --concurrency ${value} (${why})`, () => {
      expect(rejection([...EXPLICIT, "--concurrency", value])).to.deep.equal([
        2,
        `\`--concurrency\` "${value}" is not valid; use an integer from 1 to 16`,
      ]);
    });
  }

  it("rejects --max-tokens 0", () => {
    expect(rejection([...EXPLICIT, "--max-tokens", "0"])).to.deep.equal([
      2,
      '`--max-tokens` "0" is not valid; use an integer from 1 to 100000',
    ]);
  });

  it("rejects --temperature above 2", () => {
    expect(rejection([...EXPLICIT, "--temperature", "2.5"])).to.deep.equal([
      2,
      '`--temperature` "2.5" is not valid; use a number from 0 to 2, e.g. 0.7',
    ]);
  });

  it("rejects an undated --api-version", () => {
    expect(rejection([...EXPLICIT, "--api-version", "v1"])).to.deep.equal([
      2,
      '`--api-version` "v1" is not a dated Azure OpenAI API version; use YYYY-MM-DD or YYYY-MM-DD-preview, e.g. 2025-04-01-preview',
    ]);
  });

  it("rejects an endpoint that is not a URL", () => {
    expect(
      rejection(["--endpoint", "acct.openai.azure.com", "--base", "a", "--tuned", "b"]),
    ).to.deep.equal([
      2,
      '`--endpoint` "acct.openai.azure.com" is not a URL; use the account endpoint, e.g. https://my-account.openai.azure.com',
    ]);
  });

  it("rejects an endpoint with a query", () => {
    expect(
      rejection([
        "--endpoint",
        "https://a.openai.azure.com/?api-version=1",
        "--base",
        "a",
        "--tuned",
        "b",
      ]),
    ).to.deep.equal([
      2,
      '`--endpoint` "https://a.openai.azure.com/?api-version=1" must not carry a query or fragment; the api-version goes in --api-version',
    ]);
  });

  it("rejects an empty --out", () => {
    expect(rejection([...EXPLICIT, "--out", " "])).to.deep.equal([
      2,
      "`--out` is empty; give it a value, e.g. `--out compare-results`",
    ]);
  });
});

import { expect } from "chai";
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { createAzureOpenAI } from "../../../lib/azure/client";
import { runCompare } from "../../../lib/compare/cli";
import type { CompareReport } from "../../../lib/compare/report";
import type { TokenUsage } from "../../../lib/compare/run";
import {
  BASE_DEPLOYMENT,
  BASE_MODEL,
  BASE_REPLY,
  CompareFixture,
  PROMPTS,
  startCompareFixture,
  SYSTEM,
  TUNED_DEPLOYMENT,
  TUNED_REPLIES,
  writeFakePulumi,
} from "./fixture";

interface Run {
  code: number;
  stdout: string;
  stderr: string[];
}

describe("compare cli (in process, against the emulator)", () => {
  let fixture: CompareFixture;
  let savedKey: string | undefined;
  let out: string;
  let runs = 0;

  before(async () => {
    fixture = await startCompareFixture();
  });
  after(() => fixture.close());
  beforeEach(() => {
    savedKey = process.env.AZURE_OPENAI_API_KEY;
    process.env.AZURE_OPENAI_API_KEY = fixture.emulator.apiKey;
    out = path.join(fixture.dir, `out-${++runs}`);
    fixture.emulator.admin.reset({ state: false });
  });
  afterEach(() => {
    if (savedKey === undefined) {
      delete process.env.AZURE_OPENAI_API_KEY;
    } else {
      process.env.AZURE_OPENAI_API_KEY = savedKey;
    }
  });

  const explicit = (): string[] => [
    "--endpoint",
    fixture.emulator.endpoint,
    "--base",
    BASE_DEPLOYMENT,
    "--tuned",
    TUNED_DEPLOYMENT,
    "--prompts",
    fixture.promptsFile,
    "--out",
    out,
  ];

  async function run(
    argv: string[],
    extra: Partial<Parameters<typeof runCompare>[1]> = {},
  ): Promise<Run> {
    let stdout = "";
    const stderr: string[] = [];
    const code = await runCompare(argv, {
      stdout: (t) => {
        stdout += t;
      },
      stderr: (l) => stderr.push(l),
      cwd: fixture.dir,
      ...extra,
    });
    return { code, stdout, stderr };
  }

  function writtenReport(): CompareReport {
    const files = readdirSync(out).sort();
    expect(files.map((f) => f.replace(/\d{4}-\d\d-\d\dT\d\d-\d\d-\d\dZ/, "<ts>"))).to.deep.equal([
      "compare-<ts>.json",
      "compare-<ts>.md",
    ]);
    return JSON.parse(readFileSync(path.join(out, files[0]), "utf8")) as CompareReport;
  }

  it("writes a report with both deployments' answers and the emulator's token counts", async () => {
    const result = await run(explicit());
    const report = writtenReport();
    const routes = fixture.emulator.admin.counters().routes;
    const chat = async (deployment: string, prompt: string): Promise<TokenUsage> => {
      const response = await fetch(
        `${fixture.emulator.endpoint}/openai/deployments/${deployment}/chat/completions?api-version=2025-04-01-preview`,
        {
          method: "POST",
          headers: { "api-key": fixture.emulator.apiKey, "content-type": "application/json" },
          body: JSON.stringify({
            messages: [
              { role: "system", content: SYSTEM },
              { role: "user", content: prompt },
            ],
          }),
        },
      );
      const u = (
        (await response.json()) as {
          usage: { prompt_tokens: number; completion_tokens: number; total_tokens: number };
        }
      ).usage;
      return {
        promptTokens: u.prompt_tokens,
        completionTokens: u.completion_tokens,
        totalTokens: u.total_tokens,
      };
    };
    const answer = (deployment: string, model: string, text: string, usage: TokenUsage) => ({
      deployment,
      model,
      answer: text,
      finishReason: "stop",
      latencyMs: "<ms>",
      attempts: 1,
      usage,
    });
    const results = await Promise.all(
      PROMPTS.map(async (prompt, i) => ({
        index: i + 1,
        source: `${fixture.promptsFile}#${i + 1}`,
        prompt,
        messages: [
          { role: "system", content: SYSTEM },
          { role: "user", content: prompt },
        ],
        base: answer(BASE_DEPLOYMENT, BASE_MODEL, BASE_REPLY, await chat(BASE_DEPLOYMENT, prompt)),
        tuned: answer(
          TUNED_DEPLOYMENT,
          fixture.tunedModel,
          TUNED_REPLIES[i],
          await chat(TUNED_DEPLOYMENT, prompt),
        ),
      })),
    );
    const sum = (side: "base" | "tuned", key: keyof TokenUsage) =>
      results.reduce((s, r) => s + r[side].usage[key], 0);
    const totals = (side: "base" | "tuned") => ({
      answers: 3,
      latencyMs: "<ms>",
      meanLatencyMs: "<ms>",
      promptTokens: sum(side, "promptTokens"),
      completionTokens: sum(side, "completionTokens"),
      totalTokens: sum(side, "totalTokens"),
    });
    const masked = JSON.parse(
      JSON.stringify(report, (key, value) =>
        ["latencyMs", "meanLatencyMs", "durationMs"].includes(key) &&
        typeof value === "number" &&
        value >= 0
          ? "<ms>"
          : value,
      ),
    );
    expect([
      result.code,
      routes["POST /openai/deployments/:deploymentId/chat/completions"],
      masked,
    ]).to.deep.equal([
      0,
      6,
      {
        schemaVersion: 1,
        timestamp: report.timestamp,
        endpoint: fixture.emulator.endpoint,
        apiVersion: "2025-04-01-preview",
        stack: null,
        promptsFile: fixture.promptsFile,
        parameters: { temperature: 0, maxTokens: null, concurrency: 2 },
        deployments: { base: BASE_DEPLOYMENT, tuned: TUNED_DEPLOYMENT },
        durationMs: "<ms>",
        results,
        totals: { base: totals("base"), tuned: totals("tuned") },
      },
    ]);
    expect([sum("base", "totalTokens") > 0, sum("tuned", "completionTokens") > 0]).to.deep.equal([
      true,
      true,
    ]);
  });

  it("prints progress on stderr and the side-by-side view on stdout", async () => {
    const result = await run([...explicit(), "--concurrency", "1"], { columns: 100 });
    const files = readdirSync(out).sort();
    // Latencies vary in width, and the column padding after them with it.
    const ms = (text: string) =>
      text.replace(/\d+ ms/g, "N ms").replace(/(N ms, [^│\n]*?) +│/g, "$1 │");
    const view = ms(result.stdout).split("\n");
    const rule = (label: string) => `── ${label} ${"─".repeat(100 - label.length - 4)}`;
    const divider = `${"─".repeat(48)}─┼─${"─".repeat(48)}`;
    const baseHead = "base · mini-base                                 │ tuned · mini-trips";
    expect([
      result.code,
      result.stderr.map(ms),
      view.slice(view.indexOf(rule("1/3"))),
    ]).to.deep.equal([
      0,
      [
        "authenticating with the API key in AZURE_OPENAI_API_KEY",
        `comparing base \`mini-base\` and tuned \`mini-trips\` on ${fixture.emulator.endpoint}: 3 prompts, 6 calls, 1 at a time`,
        '[1/6] base: "Which day of the week is best for…" N ms',
        '[2/6] tuned: "Which day of the week is best for…" N ms',
        '[3/6] base: "Do I need cash when visiting Oslo?" N ms',
        '[4/6] tuned: "Do I need cash when visiting Oslo?" N ms',
        '[5/6] base: "How long does the ferry from Split to…" N ms',
        '[6/6] tuned: "How long does the ferry from Split to…" N ms',
        `wrote ${path.join(out, files[1])} and ${path.join(out, files[0])}`,
      ],
      [
        rule("1/3"),
        "Q: Which day of the week is best for visiting the Louvre?",
        "",
        baseHead,
        "N ms, 34 + 29 = 63 tokens │ N ms, 34 + 12 = 46 tokens",
        divider,
        "This is a reply from the emulated base model     │ Go on a Wednesday evening: late opening, thinner",
        "gpt-4.1-mini-2025-04-14 on deployment mini-base. │ crowds.",
        "",
        rule("2/3"),
        "Q: Do I need cash when visiting Oslo?",
        "",
        baseHead,
        "N ms, 30 + 29 = 59 tokens │ N ms, 30 + 13 = 43 tokens",
        divider,
        "This is a reply from the emulated base model     │ Rarely; cards work almost everywhere, even at",
        "gpt-4.1-mini-2025-04-14 on deployment mini-base. │ kiosks.",
        "",
        rule("3/3"),
        "Q: How long does the ferry from Split to Hvar take?",
        "",
        baseHead,
        "N ms, 34 + 29 = 63 tokens │ N ms, 34 + 10 = 44 tokens",
        divider,
        "This is a reply from the emulated base model     │ About an hour on the fast catamaran.",
        "gpt-4.1-mini-2025-04-14 on deployment mini-base. │",
        "",
        rule("totals"),
        "base: 3 answers, mean N ms, 98 prompt + 87 completion = 185 tokens",
        "tuned: 3 answers, mean N ms, 98 prompt + 35 completion = 133 tokens",
        "",
      ],
    ]);
  });

  it("prints the JSON report on stdout with --json, identical to the written file", async () => {
    const result = await run([...explicit(), "--json"]);
    expect([result.code, JSON.parse(result.stdout)]).to.deep.equal([0, writtenReport()]);
  });

  it("reads the endpoint and deployments from the stack through the pulumi on PATH", async () => {
    const bin = path.join(fixture.dir, `bin-${runs}`);
    mkdirSync(bin);
    writeFakePulumi(bin, {
      stdout: JSON.stringify({
        endpoint: `${fixture.emulator.endpoint}/`,
        baseDeploymentName: BASE_DEPLOYMENT,
        tunedDeploymentName: TUNED_DEPLOYMENT,
        accountName: "acct",
      }),
    });
    const env = {
      ...process.env,
      PULUMI_BIN: "",
      PATH: `${bin}${path.delimiter}${process.env.PATH}`,
    };
    const result = await run(["--stack", "dev", "--prompts", fixture.promptsFile, "--out", out], {
      env,
    });
    const report = writtenReport();
    expect([
      result.code,
      readFileSync(path.join(bin, "args.txt"), "utf8"),
      report.stack,
      report.endpoint,
      report.deployments,
      report.results.map((r) => r.tuned.answer),
    ]).to.deep.equal([
      0,
      "stack\noutput\n--json\n--stack\ndev\n",
      "dev",
      fixture.emulator.endpoint,
      { base: BASE_DEPLOYMENT, tuned: TUNED_DEPLOYMENT },
      TUNED_REPLIES,
    ]);
  });

  it("exits 3 and writes nothing when the tuned deployment is missing", async () => {
    const argv = explicit();
    argv[argv.indexOf("--tuned") + 1] = "gpt-4.1-mini-travel";
    const result = await run(argv);
    expect([result.code, result.stdout, result.stderr.at(-1), readdirSync(out)]).to.deep.equal([
      3,
      "",
      `compare: deployment \`gpt-4.1-mini-travel\` not found on ${fixture.emulator.endpoint}; run \`pulumi up\` or check --tuned`,
      [],
    ]);
  });

  it("exits 4 when the API key is wrong", async () => {
    process.env.AZURE_OPENAI_API_KEY = "wrong-key";
    const result = await run(explicit());
    expect([result.code, result.stderr.at(-1)?.split(": Access denied")[0]]).to.deep.equal([
      4,
      `compare: ${fixture.emulator.endpoint} refused the credential (401)`,
    ]);
  });

  it("exits 4 when no Entra credential is available", async () => {
    delete process.env.AZURE_OPENAI_API_KEY;
    const credential = {
      getToken: async () => {
        throw Object.assign(new Error("Azure CLI could not be found."), {
          name: "CredentialUnavailableError",
        });
      },
    };
    const result = await run(explicit(), {
      createClient: (endpoint, apiVersion, log) =>
        createAzureOpenAI(endpoint, { apiVersion, log, credential }),
    });
    const last = result.stderr.at(-1) ?? "";
    expect([
      result.code,
      result.stderr[0],
      last.startsWith(`compare: no credential for ${fixture.emulator.endpoint}: `),
      last.includes("Azure CLI could not be found"),
      last.endsWith(
        "needs the role Cognitive Services OpenAI User on the account (new role assignments take up to 5 minutes).",
      ),
      fixture.emulator.admin.counters().total,
    ]).to.deep.equal([
      4,
      "authenticating with Microsoft Entra ID (DefaultAzureCredential)",
      true,
      true,
      true,
      0,
    ]);
  });

  it("retries a throttled call and still exits 0", async () => {
    fixture.emulator.admin.injectFault({
      kind: "throttle",
      retryAfterMs: 0,
      path: "/openai/deployments/*",
      count: 2,
    });
    const result = await run(explicit());
    expect([
      result.code,
      result.stderr.filter((l) => l.startsWith("retrying")).length,
      writtenReport()
        .results.flatMap((r) => [r.base.attempts, r.tuned.attempts])
        .reduce((a, b) => a + b),
      fixture.emulator.admin.counters().routes[
        "POST /openai/deployments/:deploymentId/chat/completions"
      ],
    ]).to.deep.equal([0, 2, 8, 8]);
  });

  it("exits 2 without calling anything when the prompts file is invalid", async () => {
    const bad = path.join(fixture.dir, "bad.json");
    writeFileSync(bad, '{"prompts": "Kyoto?"}');
    const argv = explicit();
    argv[argv.indexOf("--prompts") + 1] = bad;
    const result = await run(argv);
    expect([result.code, result.stderr, fixture.emulator.admin.counters().total]).to.deep.equal([
      2,
      [`compare: ${bad}: \`prompts\` must be a non-empty array of questions`],
      0,
    ]);
  });

  it("exits 2 naming --out when the report directory cannot be created", async () => {
    const file = path.join(fixture.dir, "a-file");
    writeFileSync(file, "");
    const argv = explicit();
    argv[argv.indexOf("--out") + 1] = path.join(file, "sub");
    const result = await run(argv);
    expect([result.code, result.stderr]).to.deep.equal([
      2,
      [
        `compare: \`--out\` ${path.join(file, "sub")} cannot be created (ENOTDIR); pass a writable directory`,
      ],
    ]);
  });

  it("prints the usage on stdout for --help and exits 0", async () => {
    const result = await run(["--help"]);
    expect([result.code, result.stdout.split("\n")[0], result.stderr]).to.deep.equal([
      0,
      "Usage: npm run compare -- (--stack <name> | --endpoint <url> --base <deployment> --tuned <deployment>) [flags]",
      [],
    ]);
  });
});

/**
 * A comparison in the style of a lab step, driven by a client the project did not write: the
 * openai Python SDK's `AzureOpenAI` at api-version 2023-05-15 asks a base and a tuned deployment
 * the project's own prompts (data/compare-prompts.json) after training on data/travel-assistant.jsonl.
 * The SDK is installed into a venv under .cache/ (ignored) on first run; without Python the test
 * is skipped with a message; without PyPI it is skipped too, except in CI where it fails.
 */
import { expect } from "chai";
import { execFile, spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { toFile } from "openai";
import { baseReply, closestExample } from "../../emulator/dataPlane/chat";
import { extractExamples } from "../../emulator/dataPlane/trainingContent";
import type { RunningEmulator } from "../../emulator/server";
import { client, GA, startFast, waitFor, waitForJob } from "./support";

const ROOT = path.resolve(__dirname, "../..");
/** The openai Python SDK release the comparison runs with. */
const OPENAI_PYTHON = "openai==3.57.0";
const VENV = path.join(ROOT, ".cache", "python-openai");
const VENV_PYTHON = path.join(VENV, "bin", "python");
const BASE = "gpt-4o-mini-2024-07-18";

function run(command: string, args: string[]): { ok: boolean; out: string } {
  const result = spawnSync(command, args, { encoding: "utf8", timeout: 240_000 });
  return { ok: result.status === 0, out: `${result.stdout ?? ""}${result.stderr ?? ""}` };
}

/** Runs a command without blocking the event loop (the emulator answers in this process). */
function runAsync(command: string, args: string[]): Promise<{ ok: boolean; out: string }> {
  return new Promise((resolve) => {
    execFile(command, args, { timeout: 120_000 }, (error, stdout, stderr) =>
      resolve({ ok: error === null, out: error === null ? stdout : `${stdout}${stderr}` }),
    );
  });
}

/** Returns why the Python SDK is unavailable, or undefined once the venv has it. */
function preparePython(): string | undefined {
  if (existsSync(VENV_PYTHON) && run(VENV_PYTHON, ["-c", `import openai`]).ok) {
    return undefined;
  }
  if (!run("python3", ["--version"]).ok) {
    return "python3 is not installed";
  }
  process.stderr.write(`  installing ${OPENAI_PYTHON} into ${path.relative(ROOT, VENV)} …\n`);
  const venv = run("python3", ["-m", "venv", VENV]);
  if (!venv.ok) {
    return `python3 -m venv failed: ${venv.out.trim().split("\n").pop()}`;
  }
  const pip = run(VENV_PYTHON, [
    "-m",
    "pip",
    "install",
    "-q",
    "--disable-pip-version-check",
    OPENAI_PYTHON,
  ]);
  return pip.ok
    ? undefined
    : `pip could not install ${OPENAI_PYTHON}: ${pip.out.trim().split("\n").pop()}`;
}

describe("emulator driven by the openai Python SDK (AzureOpenAI, api-version 2023-05-15)", function () {
  this.timeout(300_000);
  let emulator: RunningEmulator;

  before(function () {
    const problem = preparePython();
    if (problem) {
      if (process.env.CI) {
        throw new Error(`the Python comparison needs the openai SDK: ${problem}`);
      }
      process.stderr.write(`  skipping the Python comparison: ${problem}\n`);
      this.skip();
    }
  });

  before(async () => {
    emulator = await startFast();
  });
  after(() => emulator?.close());

  it("answers the project's prompts from a base and a tuned deployment", async () => {
    const training = readFileSync(path.join(ROOT, "data", "travel-assistant.jsonl"));
    const openai = client(emulator, GA);
    const file = await openai.files.create({
      file: await toFile(training, "travel-assistant.jsonl"),
      purpose: "fine-tune",
    });
    await waitFor(
      () => openai.files.retrieve(file.id),
      (f) => f.status === "processed",
      "file processed",
    );
    const job = await openai.fineTuning.jobs.create({ model: BASE, training_file: file.id });
    const done = await waitForJob(openai, job.id, ["succeeded"]);
    emulator.admin.registerDeployment("base", BASE);
    emulator.admin.registerDeployment("tuned", done.fine_tuned_model as string);

    const promptsFile = path.join(ROOT, "data", "compare-prompts.json");
    const script = path.join(__dirname, "python", "azure_compare.py");
    const result = await runAsync(VENV_PYTHON, [
      script,
      emulator.endpoint,
      emulator.apiKey,
      promptsFile,
      "base",
      "tuned",
    ]);
    expect(result.ok, result.out).to.equal(true);
    const rows = JSON.parse(result.out) as Record<string, { content: string; finish: string }>[];

    const prompts = (JSON.parse(readFileSync(promptsFile, "utf8")) as { prompts: string[] })
      .prompts;
    const examples = extractExamples(training);
    expect(rows.map((r) => r.prompt)).to.deep.equal(prompts);
    for (const row of rows) {
      const prompt = row.prompt as unknown as string;
      expect(row.base).to.deep.equal({ content: baseReply(BASE, "base"), finish: "stop" });
      const expected = closestExample(examples, prompt)?.reply ?? baseReply(BASE, "tuned");
      expect(row.tuned, prompt).to.deep.equal({ content: expected, finish: "stop" });
    }
    // The tuned deployment answers at least one prompt from its training data.
    expect(rows.some((r) => r.tuned.content !== baseReply(BASE, "tuned"))).to.equal(true);
    expect(
      emulator.admin.counters().routes["POST /openai/deployments/:deploymentId/chat/completions"],
    ).to.equal(2 * prompts.length);
  });
});

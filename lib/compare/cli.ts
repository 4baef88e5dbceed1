/**
 * `npm run compare`: flags → prompts → target (flags or stack outputs) → calls → reports. Kept
 * apart from scripts/compare.ts so tests run it in process with their own streams and client.
 */
import { mkdir } from "node:fs/promises";
import { createAzureOpenAI } from "../azure/client";
import { parseCompareArgs, USAGE } from "./args";
import { CompareError, EXIT } from "./errors";
import { loadPrompts } from "./prompts";
import { buildReport, writeReport } from "./report";
import { ChatClient, runComparison } from "./run";
import { CompareTarget, readStackOutputs, targetFromOutputs } from "./stack";
import { DEFAULT_WIDTH, renderSideBySide } from "./view";

/** Streams, environment and seams of one `npm run compare` run. */
export interface CompareIo {
  /** Receives the side-by-side view, or the JSON report with `--json`. */
  readonly stdout: (text: string) => void;
  /** Receives progress lines and the error message, one line per call. */
  readonly stderr: (line: string) => void;
  /** Environment of the Pulumi CLI (`PULUMI_BIN`, `PATH`). Default `process.env`. */
  readonly env?: NodeJS.ProcessEnv;
  /** Working directory: the Pulumi project for `--stack`. Default `process.cwd()`. */
  readonly cwd?: string;
  /** Terminal width of stdout, undefined when it is not a terminal (then `DEFAULT_WIDTH`). */
  readonly columns?: number;
  /**
   * Builds the chat client; default `createAzureOpenAI` (AZURE_OPENAI_API_KEY, else Entra ID).
   * Tests wrap it to watch the calls.
   */
  readonly createClient?: (
    endpoint: string,
    apiVersion: string,
    log: (line: string) => void,
  ) => Promise<ChatClient>;
  /** Waits between retries; default real time. */
  readonly sleep?: (ms: number) => Promise<void>;
}

/**
 * Runs `npm run compare` and returns its exit code (see `EXIT`); never throws.
 * @param argv Arguments after the script name.
 */
export async function runCompare(argv: readonly string[], io: CompareIo): Promise<number> {
  try {
    return await compare(argv, io);
  } catch (err) {
    if (err instanceof CompareError) {
      io.stderr(`compare: ${err.message}`);
      return err.exitCode;
    }
    io.stderr(`compare: ${(err as Error).stack ?? String(err)}`);
    return EXIT.apiFailure;
  }
}

async function compare(argv: readonly string[], io: CompareIo): Promise<number> {
  const options = parseCompareArgs(argv);
  if (options.help) {
    io.stdout(`${USAGE}\n`);
    return EXIT.ok;
  }
  const cases = await loadPrompts(options.prompts);
  let target: CompareTarget;
  let stack: string | undefined;
  if (options.target.kind === "stack") {
    stack = options.target.stack;
    const outputs = await readStackOutputs(stack, io.env ?? process.env, io.cwd ?? process.cwd());
    target = targetFromOutputs(stack, outputs, options.target);
  } else {
    target = options.target;
  }
  try {
    await mkdir(options.outDir, { recursive: true });
  } catch (err) {
    throw new CompareError(
      EXIT.usage,
      `\`--out\` ${options.outDir} cannot be created (${(err as { code?: string }).code ?? String(err)}); pass a writable directory`,
    );
  }

  const log = io.stderr;
  const createClient =
    io.createClient ??
    ((endpoint, apiVersion, l) => createAzureOpenAI(endpoint, { apiVersion, log: l }));
  const client = await createClient(target.endpoint, options.apiVersion, log);
  log(
    `comparing base \`${target.base}\` and tuned \`${target.tuned}\` on ${target.endpoint}: ` +
      `${cases.length} prompts, ${cases.length * 2} calls, ${options.concurrency} at a time`,
  );
  const timestamp = new Date();
  const started = performance.now();
  const results = await runComparison({
    client,
    endpoint: target.endpoint,
    deployments: { base: target.base, tuned: target.tuned },
    cases,
    concurrency: options.concurrency,
    temperature: options.temperature,
    maxTokens: options.maxTokens,
    log,
    sleep: io.sleep,
  });
  const report = buildReport(
    {
      timestamp,
      endpoint: target.endpoint,
      apiVersion: options.apiVersion,
      stack,
      promptsFile: options.prompts,
      temperature: options.temperature,
      maxTokens: options.maxTokens,
      concurrency: options.concurrency,
      deployments: { base: target.base, tuned: target.tuned },
      durationMs: performance.now() - started,
    },
    results,
  );
  let written;
  try {
    written = await writeReport(options.outDir, report);
  } catch (err) {
    throw new CompareError(
      EXIT.apiFailure,
      `writing the reports to ${options.outDir} failed (${(err as { code?: string }).code ?? String(err)}); ` +
        "check the directory's permissions and free space, or pass another --out",
    );
  }
  io.stdout(
    options.json
      ? `${JSON.stringify(report, null, 2)}\n`
      : renderSideBySide(report, io.columns ?? DEFAULT_WIDTH),
  );
  log(`wrote ${written.markdown} and ${written.json}`);
  return EXIT.ok;
}

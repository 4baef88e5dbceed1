/**
 * `npm run validate -- <file.jsonl> [--model <base>] [--epochs N] [--json]`
 *
 * Checks a fine-tuning file against Azure's rules before anything is uploaded or billed.
 * Exit codes: 0 valid, 1 invalid (errors printed), 2 usage or I/O problem.
 */
import { parseArgs } from "node:util";
import {
  formatReport,
  validateTrainingFile,
  ValidationUsageError,
} from "../lib/trainingData/validate";

const USAGE =
  "usage: npm run validate -- <file.jsonl> [--model <base model>] [--epochs <n>] [--json]";

/** Runs the CLI on `argv` (without node and script); returns the exit code. */
export async function main(
  argv: string[],
  out: (s: string) => void,
  err: (s: string) => void,
): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        model: { type: "string" },
        epochs: { type: "string" },
        json: { type: "boolean", default: false },
        help: { type: "boolean", short: "h", default: false },
      },
    });
  } catch (e) {
    const unknown = /^Unknown option '([^']+)'/.exec((e as Error).message);
    // Node's own text for this case is about positionals starting with "-", rarely the problem.
    const message = unknown
      ? `unknown option ${unknown[1]}; the options are --model, --epochs and --json`
      : (e as Error).message;
    err(`${message}\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    out(USAGE);
    return 0;
  }
  if (positionals.length !== 1) {
    err(
      `${positionals.length === 0 ? "missing the training file path" : `expected one file, got ${positionals.length}: ${positionals.join(" ")}`}\n${USAGE}`,
    );
    return 2;
  }
  let epochs: number | undefined;
  if (values.epochs !== undefined) {
    if (!/^[1-9][0-9]*$/.test(values.epochs)) {
      err(
        `--epochs ${JSON.stringify(values.epochs)} is not valid; use a whole number of at least 1, or omit it for "auto"\n${USAGE}`,
      );
      return 2;
    }
    epochs = Number(values.epochs);
  }
  try {
    const report = await validateTrainingFile(positionals[0], { model: values.model, epochs });
    out(values.json ? JSON.stringify(report, null, 2) : formatReport(report));
    return report.valid ? 0 : 1;
  } catch (e) {
    if (e instanceof ValidationUsageError) {
      // The library names options as `model`; on the command line they are flags.
      err(e.message.replace("`model`", "--model").replace("`epochs`", "--epochs"));
      return 2;
    }
    throw e;
  }
}

if (require.main === module) {
  main(
    process.argv.slice(2),
    (s) => process.stdout.write(`${s}\n`),
    (s) => process.stderr.write(`${s}\n`),
  ).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      process.exitCode = 2;
    },
  );
}

/**
 * Command-line flags of `npm run compare`, parsed with node:util `parseArgs` and validated into
 * `CompareOptions`. Every rejection is a `CompareError` with exit code 2 naming the flag and the fix.
 */
import { parseArgs } from "node:util";
import { DEFAULT_API_VERSION, resolveApiVersion } from "../azure/apiVersion";
import { usageError } from "./errors";

/** Default prompts file, relative to the working directory. */
export const DEFAULT_PROMPTS = "data/compare-prompts.json";
/** Default report directory, relative to the working directory. */
export const DEFAULT_OUT_DIR = "compare-results";
/** Default number of chat completions in flight. */
export const DEFAULT_CONCURRENCY = 2;
/**
 * Upper bound of `--concurrency`. Fine-tuned Standard deployments start with small token-per-minute
 * quotas, so more parallel calls mostly buy 429s.
 */
export const MAX_CONCURRENCY = 16;
/** Upper bound of `--max-tokens`, the largest completion any fine-tunable model produces. */
export const MAX_COMPLETION_TOKENS = 100_000;

/** Where the endpoint and deployment names come from. */
export type TargetSource =
  /** Read from `pulumi stack output`; `base`/`tuned` override the stack's deployment names. */
  | {
      readonly kind: "stack";
      readonly stack: string;
      readonly base?: string;
      readonly tuned?: string;
    }
  /** Given on the command line. */
  | {
      readonly kind: "explicit";
      readonly endpoint: string;
      readonly base: string;
      readonly tuned: string;
    };

/** Validated options of `npm run compare`. */
export interface CompareOptions {
  /** Endpoint and deployments, or the stack to read them from. */
  readonly target: TargetSource;
  /** Prompts file: `{ system?, prompts: string[] }` JSON or chat-format JSONL. */
  readonly prompts: string;
  /** Chat completions in flight at once, 1 to `MAX_CONCURRENCY`. */
  readonly concurrency: number;
  /** Directory the Markdown and JSON reports are written to. */
  readonly outDir: string;
  /** Azure OpenAI data-plane api-version. */
  readonly apiVersion: string;
  /** `max_completion_tokens` sent with every request; undefined lets the model decide. */
  readonly maxTokens: number | undefined;
  /** Sampling temperature, 0 to 2. */
  readonly temperature: number;
  /** Print the JSON report on stdout instead of the side-by-side view. */
  readonly json: boolean;
  /** Always false: `--help` parses to a `HelpRequest` instead. */
  readonly help: false;
}

/** Usage text shown by `--help` and after usage errors. */
export const USAGE = `Usage: npm run compare -- (--stack <name> | --endpoint <url> --base <deployment> --tuned <deployment>) [flags]

Asks the base and the fine-tuned deployment the same questions and shows the answers side by side.

  --stack <name>          read endpoint, baseDeploymentName and tunedDeploymentName from
                          \`pulumi stack output\` (PULUMI_BIN or \`pulumi\` on PATH); --base and
                          --tuned override the stack's deployment names
  --endpoint <url>        account endpoint, e.g. https://my-account.openai.azure.com
  --base <deployment>     deployment of the base model
  --tuned <deployment>    deployment of the fine-tuned model
  --prompts <file>        {"system": "...", "prompts": [...]} JSON, or chat-format JSONL whose
                          examples are asked without their final assistant reply
                          (default ${DEFAULT_PROMPTS})
  --concurrency <n>       requests in flight, 1-${MAX_CONCURRENCY} (default ${DEFAULT_CONCURRENCY})
  --out <dir>             report directory (default ${DEFAULT_OUT_DIR})
  --api-version <version> data-plane api-version (default ${DEFAULT_API_VERSION})
  --max-tokens <n>        max_completion_tokens per answer (default: the model's)
  --temperature <t>       0-2 (default 0)
  --json                  print the JSON report on stdout instead of the side-by-side view
  -h, --help              show this text

Auth: AZURE_OPENAI_API_KEY if set, else Entra ID (az login) with Cognitive Services OpenAI User.
Exit codes: 0 ok, 1 API failure, 2 usage, 3 deployment missing, 4 authentication failed.`;

const FLAGS = {
  stack: { type: "string" },
  endpoint: { type: "string" },
  base: { type: "string" },
  tuned: { type: "string" },
  prompts: { type: "string" },
  concurrency: { type: "string" },
  out: { type: "string" },
  "api-version": { type: "string" },
  "max-tokens": { type: "string" },
  temperature: { type: "string" },
  json: { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;

const SEE_HELP = "run `npm run compare -- --help` for the flags";

/** `--help` was given: print `USAGE` and exit 0 without validating anything else. */
export interface HelpRequest {
  readonly help: true;
}

/**
 * Parses and validates the flags of `npm run compare`.
 * @param argv Arguments after the script name (`process.argv.slice(2)`).
 * @throws CompareError with exit code 2 naming the flag and the fix.
 */
export function parseCompareArgs(argv: readonly string[]): CompareOptions | HelpRequest {
  const values = parseFlags(argv);
  if (values.help === true) {
    return { help: true };
  }
  return {
    help: false,
    target: validateTarget(values),
    prompts: nonEmpty("--prompts", values.prompts) ?? DEFAULT_PROMPTS,
    concurrency:
      integerFlag("--concurrency", values.concurrency, 1, MAX_CONCURRENCY) ?? DEFAULT_CONCURRENCY,
    outDir: nonEmpty("--out", values.out) ?? DEFAULT_OUT_DIR,
    apiVersion: validateApiVersion(values["api-version"]),
    maxTokens: integerFlag("--max-tokens", values["max-tokens"], 1, MAX_COMPLETION_TOKENS),
    temperature: validateTemperature(values.temperature),
    json: values.json === true,
  };
}

function parseFlags(argv: readonly string[]) {
  try {
    return parseArgs({ args: [...argv], options: FLAGS, strict: true, allowPositionals: false })
      .values;
  } catch (err) {
    throw usageError(describeParseError(err));
  }
}

/** Rewords node:util's parse errors so they name the flag and the fix. */
function describeParseError(err: unknown): string {
  const e = err as { code?: string; message?: string };
  const flag = /'(-{1,2}[^' ]+)/.exec(e.message ?? "")?.[1];
  switch (e.code) {
    case "ERR_PARSE_ARGS_UNKNOWN_OPTION":
      return `unknown flag \`${flag}\`; ${SEE_HELP}`;
    case "ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL": {
      const arg = /argument '([^']*)'/.exec(e.message ?? "")?.[1];
      return `unexpected argument \`${arg}\`; every value belongs to a flag, e.g. \`--stack dev\` (${SEE_HELP})`;
    }
    case "ERR_PARSE_ARGS_INVALID_OPTION_VALUE":
      if (/does not take an argument/.test(e.message ?? "")) {
        return `\`${flag}\` takes no value; pass it alone`;
      }
      return `\`${flag}\` needs a value, e.g. \`${flag} ${exampleValue(flag)}\` (a value starting with "-" is written \`${flag}=-x\`)`;
    default:
      return `${e.message ?? String(err)}; ${SEE_HELP}`;
  }
}

function exampleValue(flag: string | undefined): string {
  const examples: Record<string, string> = {
    "--stack": "dev",
    "--endpoint": "https://my-account.openai.azure.com",
    "--base": "gpt-4.1-mini",
    "--tuned": "gpt-4.1-mini-travel",
    "--prompts": DEFAULT_PROMPTS,
    "--concurrency": String(DEFAULT_CONCURRENCY),
    "--out": DEFAULT_OUT_DIR,
    "--api-version": DEFAULT_API_VERSION,
    "--max-tokens": "400",
    "--temperature": "0",
  };
  return examples[flag ?? ""] ?? "<value>";
}

function validateTarget(values: {
  stack?: string;
  endpoint?: string;
  base?: string;
  tuned?: string;
}): TargetSource {
  const stack = nonEmpty("--stack", values.stack);
  const endpoint = values.endpoint === undefined ? undefined : validateEndpoint(values.endpoint);
  const base = nonEmpty("--base", values.base);
  const tuned = nonEmpty("--tuned", values.tuned);
  if (stack !== undefined) {
    if (endpoint !== undefined) {
      throw usageError(
        "`--stack` and `--endpoint` cannot be combined; the stack's `endpoint` output is used with --stack, " +
          "so drop one of them",
      );
    }
    return { kind: "stack", stack, base, tuned };
  }
  const missing = [
    endpoint === undefined ? "--endpoint" : undefined,
    base === undefined ? "--base" : undefined,
    tuned === undefined ? "--tuned" : undefined,
  ].filter((flag): flag is string => flag !== undefined);
  if (missing.length === 3) {
    throw usageError(
      "no target given; pass `--stack <name>` to read the stack's outputs, or " +
        "`--endpoint <url> --base <deployment> --tuned <deployment>`",
    );
  }
  if (missing.length > 0 || endpoint === undefined || base === undefined || tuned === undefined) {
    throw usageError(
      `${missing.map((flag) => `\`${flag}\``).join(" and ")} missing; without --stack, ` +
        "pass all of `--endpoint <url> --base <deployment> --tuned <deployment>`",
    );
  }
  return { kind: "explicit", endpoint, base, tuned };
}

/**
 * Returns the endpoint without trailing slashes, or throws when it is not an http(s) URL.
 * @param value The `--endpoint` value or the stack's `endpoint` output.
 * @param source How to name the value in the error.
 */
export function validateEndpoint(value: string, source = "`--endpoint`"): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw usageError(
      `${source} ${JSON.stringify(value)} is not a URL; use the account endpoint, e.g. https://my-account.openai.azure.com`,
    );
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw usageError(
      `${source} ${JSON.stringify(value)} must start with https:// (or http:// for a local emulator)`,
    );
  }
  if (url.search !== "" || url.hash !== "") {
    throw usageError(
      `${source} ${JSON.stringify(value)} must not carry a query or fragment; the api-version goes in --api-version`,
    );
  }
  return value.replace(/\/+$/, "");
}

function nonEmpty(flag: string, value: string | undefined): string | undefined {
  if (value === undefined) {
    return undefined;
  }
  if (value.trim() === "") {
    throw usageError(
      `\`${flag}\` is empty; give it a value, e.g. \`${flag} ${exampleValue(flag)}\``,
    );
  }
  return value;
}

function integerFlag(
  flag: string,
  value: string | undefined,
  min: number,
  max: number,
): number | undefined {
  if (value === undefined) {
    return undefined;
  }
  const n = /^\s*\d+\s*$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    throw usageError(
      `\`${flag}\` ${JSON.stringify(value)} is not valid; use an integer from ${min} to ${max}`,
    );
  }
  return n;
}

function validateTemperature(value: string | undefined): number {
  if (value === undefined) {
    return 0;
  }
  const t = value.trim() === "" ? NaN : Number(value);
  if (!Number.isFinite(t) || t < 0 || t > 2) {
    throw usageError(
      `\`--temperature\` ${JSON.stringify(value)} is not valid; use a number from 0 to 2, e.g. 0.7`,
    );
  }
  return t;
}

function validateApiVersion(value: string | undefined): string {
  if (value === undefined) {
    return DEFAULT_API_VERSION;
  }
  try {
    return resolveApiVersion(value === "" ? "-" : value);
  } catch {
    throw usageError(
      `\`--api-version\` ${JSON.stringify(value)} is not a dated Azure OpenAI API version; ` +
        `use YYYY-MM-DD or YYYY-MM-DD-preview, e.g. ${DEFAULT_API_VERSION}`,
    );
  }
}

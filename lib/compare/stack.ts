/**
 * Reads the endpoint and deployment names of a deployed stack through the Pulumi CLI, so
 * `npm run compare -- --stack dev` needs no copy-pasted names.
 */
import { execFile } from "node:child_process";
import { validateEndpoint } from "./args";
import { configKey } from "../../config/reader";
import { CompareError, EXIT, usageError } from "./errors";

/** The endpoint and the two deployments to compare. */
export interface CompareTarget {
  readonly endpoint: string;
  readonly base: string;
  readonly tuned: string;
}

/** Stack outputs `npm run compare` reads (exported by index.ts). */
export const STACK_OUTPUTS = {
  endpoint: "endpoint",
  base: "baseDeploymentName",
  tuned: "tunedDeploymentName",
} as const;

/**
 * Runs `pulumi stack output --json --stack <stack>` and returns the parsed outputs.
 * @param env Environment of the CLI; `PULUMI_BIN` names the executable, else `pulumi` on PATH.
 * @param cwd The Pulumi project directory (Pulumi.yaml).
 */
export function readStackOutputs(
  stack: string,
  env: NodeJS.ProcessEnv = process.env,
  cwd: string = process.cwd(),
): Promise<Record<string, unknown>> {
  const bin = env.PULUMI_BIN !== undefined && env.PULUMI_BIN !== "" ? env.PULUMI_BIN : "pulumi";
  const args = ["stack", "output", "--json", "--stack", stack];
  const command = `\`${bin} ${args.join(" ")}\``;
  return new Promise((resolve, reject) => {
    execFile(
      bin,
      args,
      { env, cwd, timeout: 120_000, maxBuffer: 16 * 1024 * 1024 },
      (err, stdout, stderr) => {
        if (err) {
          const code = (err as { code?: unknown }).code;
          if (code === "ENOENT") {
            reject(
              usageError(
                `the Pulumi CLI (${bin}) was not found; install it, set PULUMI_BIN to its path, ` +
                  "or pass --endpoint --base --tuned instead of --stack",
              ),
            );
            return;
          }
          const detail =
            String(stderr).trim().split("\n").slice(-3).join(" ").trim() || err.message;
          reject(
            usageError(
              `${command} failed (exit ${typeof code === "number" ? code : String(code)}): ${detail}; ` +
                "check the stack name (`pulumi stack ls`) and that the CLI is logged in to the stack's backend",
            ),
          );
          return;
        }
        let outputs: unknown;
        try {
          outputs = JSON.parse(String(stdout));
        } catch (parseErr) {
          reject(
            new CompareError(
              EXIT.apiFailure,
              `${command} printed no JSON (${(parseErr as Error).message})`,
            ),
          );
          return;
        }
        if (typeof outputs !== "object" || outputs === null || Array.isArray(outputs)) {
          reject(
            new CompareError(
              EXIT.apiFailure,
              `${command} printed ${JSON.stringify(outputs)}, not an object of outputs`,
            ),
          );
          return;
        }
        resolve(outputs as Record<string, unknown>);
      },
    );
  });
}

/**
 * Picks the endpoint and deployment names out of stack outputs; `--base`/`--tuned` win over the
 * outputs.
 * @throws CompareError exit 3 when an output is missing (the stack is not deployed that far).
 */
export function targetFromOutputs(
  stack: string,
  outputs: Readonly<Record<string, unknown>>,
  overrides: { readonly base?: string; readonly tuned?: string } = {},
): CompareTarget {
  const read = (key: string, flag: string, what: string): string => {
    const value = outputs[key];
    if (typeof value === "string" && value !== "") {
      return value;
    }
    throw new CompareError(
      EXIT.deploymentMissing,
      `stack \`${stack}\` has no \`${key}\` output (${what}); run \`pulumi up --stack ${stack}\` first, or pass ${flag}`,
    );
  };
  const endpoint = validateEndpoint(
    read(
      STACK_OUTPUTS.endpoint,
      "--endpoint with --base and --tuned instead of --stack",
      "the account endpoint",
    ),
    `stack \`${stack}\` output \`${STACK_OUTPUTS.endpoint}\``,
  );
  return {
    endpoint,
    base: overrides.base ?? baseDeployment(stack, outputs),
    tuned:
      overrides.tuned ??
      read(
        STACK_OUTPUTS.tuned,
        "--tuned",
        "the fine-tuned deployment, created once the fine-tuning job succeeds",
      ),
  };
}

/**
 * The base deployment's name from the outputs. A deployed stack without one deploys no base
 * model: `baseDeployment` false, or a connected account without `baseDeploymentName`; the
 * error names the setting that gives the comparison its base.
 */
function baseDeployment(stack: string, outputs: Readonly<Record<string, unknown>>): string {
  const value = outputs[STACK_OUTPUTS.base];
  if (typeof value === "string" && value !== "") {
    return value;
  }
  throw new CompareError(
    EXIT.deploymentMissing,
    `stack \`${stack}\` has no \`${STACK_OUTPUTS.base}\` output: it deploys no base model to compare with ` +
      `(${configKey("baseDeployment")} is false, or the account is connected without ${configKey("baseDeploymentName")}). ` +
      `Set ${configKey("baseDeploymentName")} to the name of the account's deployment of the base model (connected account) ` +
      `or ${configKey("baseDeployment")} to true (new account), then run \`pulumi up --stack ${stack}\`; or pass --base <deployment>`,
  );
}

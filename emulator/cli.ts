/**
 * `npm run emulator -- [--port P] [--api-key K] [--job-seconds N] [--accept-any-bearer] [--quiet]`:
 * runs the Azure OpenAI emulator until SIGINT/SIGTERM and prints the endpoint and key to point a
 * client at. Bearer tokens are refused like Azure refuses unverifiable ones unless
 * `--accept-any-bearer` is given. With `--azure`, `--env-file PATH` or `--print-env` it runs local
 * Azure instead (ARM, token service, a data plane per account, HTTPS) and writes or prints the
 * environment for clients.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { startEmulator } from "./server";

const USAGE =
  "usage: npm run emulator -- [--port P] [--api-key K] [--job-seconds N] [--accept-any-bearer] [--quiet]\n" +
  "       npm run emulator -- --azure [--env-file PATH] [--print-env] [--port P] [--http-port P] [--job-seconds N] [--quiet]";

function numberOption(
  value: string | undefined,
  name: string,
  integer: boolean,
): number | undefined {
  if (value === undefined) {
    return undefined;
  }
  const n = Number(value);
  if (value.trim() === "" || !Number.isFinite(n) || n < 0 || (integer && !Number.isInteger(n))) {
    throw new Error(
      `--${name} ${JSON.stringify(value)} is invalid; use ${integer ? "a whole number" : "a number"} ≥ 0.\n${USAGE}`,
    );
  }
  return n;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: "string" },
      "api-key": { type: "string" },
      "job-seconds": { type: "string" },
      quiet: { type: "boolean", default: false },
      "accept-any-bearer": { type: "boolean", default: false },
      help: { type: "boolean", default: false },
      azure: { type: "boolean", default: false },
      "env-file": { type: "string" },
      "print-env": { type: "boolean", default: false },
      "http-port": { type: "string" },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const jobSeconds = numberOption(values["job-seconds"], "job-seconds", false);
  if (values.azure || values["env-file"] !== undefined || values["print-env"]) {
    await runLocalAzure(values, jobSeconds);
    return;
  }
  const emulator = await startEmulator({
    port: numberOption(values.port, "port", true),
    apiKey: values["api-key"],
    quiet: values.quiet,
    acceptBearer: values["accept-any-bearer"],
    ...(jobSeconds !== undefined ? { jobTiming: { runningMs: jobSeconds * 1000 } } : {}),
  });
  console.log(`endpoint: ${emulator.endpoint}`);
  console.log(`api-key: ${emulator.apiKey}`);
  if (values["accept-any-bearer"]) {
    console.log("bearer: any token accepted (--accept-any-bearer)");
  }
  const stop = (signal: string) => {
    console.log(`emulator: ${signal}, stopping`);
    void emulator.close().then(() => process.exit(0));
  };
  process.once("SIGINT", () => stop("SIGINT"));
  process.once("SIGTERM", () => stop("SIGTERM"));
}

async function runLocalAzure(
  values: {
    port?: string;
    "http-port"?: string;
    quiet?: boolean;
    "env-file"?: string;
    "print-env"?: boolean;
  },
  jobSeconds: number | undefined,
): Promise<void> {
  // Loaded only here, so the single data plane starts without compiling ARM, Graph and identity.
  const { startLocalAzure } = await import("./localAzure");
  const { formatEnv, localAzureEnv, writeCa } = await import("./localAzureEnv");
  const azure = await startLocalAzure({
    port: numberOption(values.port, "port", true),
    httpPort: numberOption(values["http-port"], "http-port", true),
    quiet: values.quiet,
    ...(jobSeconds !== undefined
      ? { dataPlane: { jobTiming: { runningMs: jobSeconds * 1000 } } }
      : {}),
  });
  const envFile = values["env-file"];
  const dir = envFile
    ? path.dirname(path.resolve(envFile))
    : mkdtempSync(path.join(tmpdir(), "local-azure-"));
  const caFile = path.join(dir, "local-azure-ca.pem");
  writeCa(azure, caFile);
  const env = formatEnv(localAzureEnv(azure, caFile));
  if (envFile) {
    writeFileSync(envFile, env);
  }
  if (values["print-env"]) {
    process.stdout.write(env);
  } else {
    console.log(`arm-endpoint: ${azure.armEndpoint}`);
    console.log(`endpoint: ${azure.defaultAccount?.endpoint ?? ""}`);
    console.log(`api-key: ${azure.defaultAccount?.apiKey ?? ""}`);
    console.log(`identity-endpoint: ${azure.identityEndpoint}`);
    console.log(`ca: ${caFile}${envFile ? `\nenv-file: ${envFile} (source it)` : ""}`);
  }
  const stop = (signal: string) => {
    console.error(`local-azure: ${signal}, stopping`);
    void azure.close().then(() => process.exit(0));
  };
  process.once("SIGINT", () => stop("SIGINT"));
  process.once("SIGTERM", () => stop("SIGTERM"));
}

main().catch((err: Error) => {
  console.error(err.message);
  process.exit(1);
});

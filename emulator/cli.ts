/**
 * `npm run emulator -- [--port P] [--api-key K] [--job-seconds N] [--accept-any-bearer] [--quiet]`:
 * runs the Azure OpenAI emulator until SIGINT/SIGTERM and prints the endpoint and key to point a
 * client at. Bearer tokens are refused like Azure refuses unverifiable ones unless
 * `--accept-any-bearer` is given.
 */
import { parseArgs } from "node:util";
import { startEmulator } from "./server";

const USAGE =
  "usage: npm run emulator -- [--port P] [--api-key K] [--job-seconds N] [--accept-any-bearer] [--quiet]";

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
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const jobSeconds = numberOption(values["job-seconds"], "job-seconds", false);
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

main().catch((err: Error) => {
  console.error(err.message);
  process.exit(1);
});

/**
 * Entry point of the simulator plugins, run by the launchers sandbox/install.ts writes:
 *
 *   main.ts <azure-native|azuread> <engine address> [engine flags]
 *
 * Refuses to run outside a sandbox: the plugins answer to the names of the real providers, and
 * must never stand in for them against a real stack.
 */
import * as path from "node:path";
import { AzureAdSimulator } from "../azuread/provider";
import { AzureNativeSimulator } from "../azureNative/provider";
import { SimulatedProvider } from "./provider";
import { log, servePlugin } from "./server";

/** Set by the sandbox runner to its state directory; the plugins' PULUMI_HOME lies inside it. */
export const SANDBOX_ENV = "AZURE_OPENAI_FINETUNE_SANDBOX";

/** Why this process may not serve as a provider, or undefined when it may. */
export function refusal(env: NodeJS.ProcessEnv): string | undefined {
  const sandbox = env[SANDBOX_ENV];
  const home = env.PULUMI_HOME;
  if (!sandbox) {
    return `${SANDBOX_ENV} is not set. This is the sandbox's simulator, not the real provider: run it through \`npm run sandbox\`, and install the real provider for real stacks (\`pulumi plugin install\`).`;
  }
  if (!home || path.relative(path.resolve(sandbox), path.resolve(home)).startsWith("..")) {
    return `PULUMI_HOME (${home ?? "unset"}) is not inside the sandbox ${sandbox}; the simulator only serves the sandbox's own plugin cache.`;
  }
  return undefined;
}

/** The SDK version the program uses, which the engine asks the plugin for. */
export function sdkVersion(pkg: string): string {
  return (require(`@pulumi/${pkg}/package.json`) as { version: string }).version;
}

function simulator(pkg: string): SimulatedProvider {
  switch (pkg) {
    case "azure-native":
      return new AzureNativeSimulator(sdkVersion(pkg));
    case "azuread":
      return new AzureAdSimulator(sdkVersion(pkg));
    default:
      throw new Error(
        `unknown simulated provider ${JSON.stringify(pkg)}; use azure-native or azuread`,
      );
  }
}

/**
 * Exits once the engine that started this plugin is gone: a CLI killed with SIGKILL cannot stop
 * its plugins, and a sandbox must leave nothing running. The launcher execs Node, so the parent is
 * the engine; when it dies the process is re-parented and `process.ppid` changes.
 */
function exitWithEngine(pkg: string): void {
  const engine = process.ppid;
  setInterval(() => {
    if (process.ppid !== engine) {
      log(pkg, `the engine (pid ${engine}) is gone; exiting`);
      process.exit(0);
    }
  }, 500).unref();
}

if (require.main === module) {
  const pkg = process.argv[2] ?? "";
  const refused = refusal(process.env);
  if (refused) {
    log(pkg, `refusing to start: ${refused}`);
    process.exit(1);
  }
  exitWithEngine(pkg);
  servePlugin(simulator(pkg)).catch((err: Error) => {
    log(pkg, `failed to start: ${err.stack ?? err}`);
    process.exit(1);
  });
}

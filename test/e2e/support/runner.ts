/**
 * Runs one Pulumi operation on the e2e program through the Automation API, in its own process so
 * a test can kill it mid-operation like a user pressing Ctrl-C twice or a CI runner dying.
 *
 * The Go module proxy does not serve the Node.js language host (pulumi-language-nodejs), so the
 * program runs inline: the Node SDK serves the language runtime itself and the real CLI engine
 * (`pulumi up --client=…`) drives it, with the dynamic-provider plugin as a separate process.
 *
 *   node -r ts-node/register/transpile-only runner.ts <up|preview|refresh|destroy> <workDir> <stack>
 *
 * Engine output streams to stdout; the last line is `@@result@@ <json>`.
 */
import { LocalWorkspace } from "@pulumi/pulumi/automation";

const [command, workDir, stackName] = process.argv.slice(2);
// E2E_PROGRAM is the program to run; E2E_POLICY_PACK(_CONFIG) adds a policy pack (CrossGuard).
const programPath = process.env.E2E_PROGRAM ?? "";
if (!programPath) throw new Error("runner: set E2E_PROGRAM to the program's index file");
const policy = {
  ...(process.env.E2E_POLICY_PACK ? { policyPacks: [process.env.E2E_POLICY_PACK] } : {}),
  ...(process.env.E2E_POLICY_PACK_CONFIG
    ? { policyPackConfigs: [process.env.E2E_POLICY_PACK_CONFIG] }
    : {}),
};

async function main(): Promise<unknown> {
  const stack = await LocalWorkspace.selectStack(
    {
      stackName,
      projectName: "aoift-e2e",
      program: async () => ({ ...require(programPath) }),
    },
    { workDir },
  );
  const onOutput = (text: string) => process.stdout.write(text);
  switch (command) {
    case "up": {
      const result = await stack.up({ onOutput, ...policy });
      return {
        summary: result.summary.resourceChanges,
        outputs: Object.fromEntries(Object.entries(result.outputs).map(([k, v]) => [k, v.value])),
      };
    }
    case "preview": {
      const result = await stack.preview({ onOutput, diff: true, ...policy });
      return { summary: result.changeSummary };
    }
    case "refresh": {
      const result = await stack.refresh({ onOutput });
      return { summary: result.summary.resourceChanges };
    }
    case "destroy": {
      const result = await stack.destroy({ onOutput });
      return { summary: result.summary.resourceChanges };
    }
    default:
      throw new Error(
        `runner: unknown command ${JSON.stringify(command)}; use up, preview, refresh or destroy`,
      );
  }
}

main().then(
  (result) => {
    process.stdout.write(`\n@@result@@ ${JSON.stringify(result)}\n`);
  },
  (err: Error) => {
    process.stdout.write(`\n@@error@@ ${JSON.stringify(String(err.message ?? err))}\n`);
    process.exitCode = 1;
  },
);

/**
 * `npm run sandbox [-- <command>...]`: the real `pulumi up` of this program against local Azure,
 * no Azure subscription needed. Commands: up (default; then the comparison report), preview,
 * refresh, destroy, compare. Several commands run in one session, e.g. `-- up up destroy`.
 */
import { splitPolicyFlags } from "./policyPack";
import { COMMANDS, runSandbox, SandboxCommand } from "./session";

const USAGE =
  `usage: npm run sandbox [-- <${COMMANDS.join("|")}>... ` +
  `[--policy-pack DIR [--policy-pack-config FILE]]]`;

function parse(argv: readonly string[]): SandboxCommand[] | undefined {
  const commands = argv.length > 0 ? argv : ["up"];
  return commands.every((c) => (COMMANDS as readonly string[]).includes(c))
    ? (commands as SandboxCommand[])
    : undefined;
}

let flags: ReturnType<typeof splitPolicyFlags> | undefined;
try {
  flags = splitPolicyFlags(process.argv.slice(2));
} catch (err) {
  console.error(`sandbox: ${(err as Error).message}\n${USAGE}`);
}
const commands = flags ? parse(flags.commands) : undefined;
if (!flags || !commands) {
  if (flags) {
    console.error(`sandbox: unknown command in ${JSON.stringify(flags.commands)}\n${USAGE}`);
  }
  process.exitCode = 2;
} else {
  const policy = flags.packDir
    ? { packDir: flags.packDir, packConfig: flags.packConfig }
    : undefined;
  runSandbox(commands, { log: (line) => console.log(line) }, policy).then(
    (code) => (process.exitCode = code),
    (err: Error) => {
      console.error(`sandbox: ${err.message}`);
      process.exitCode = 1;
    },
  );
}

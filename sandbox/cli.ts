/**
 * `npm run sandbox [-- <command>...]`: the real `pulumi up` of this program against local Azure,
 * no Azure subscription needed. Commands: up (default; then the comparison report), preview,
 * refresh, destroy, compare. Several commands run in one session, e.g. `-- up up destroy`.
 */
import { COMMANDS, runSandbox, SandboxCommand } from "./session";

const USAGE = `usage: npm run sandbox [-- <${COMMANDS.join("|")}>...]`;

function parse(argv: readonly string[]): SandboxCommand[] | undefined {
  const commands = argv.length > 0 ? argv : ["up"];
  return commands.every((c) => (COMMANDS as readonly string[]).includes(c))
    ? (commands as SandboxCommand[])
    : undefined;
}

const commands = parse(process.argv.slice(2));
if (!commands) {
  console.error(`sandbox: unknown command in ${JSON.stringify(process.argv.slice(2))}\n${USAGE}`);
  process.exitCode = 2;
} else {
  runSandbox(commands, { log: (line) => console.log(line) }).then(
    (code) => (process.exitCode = code),
    (err: Error) => {
      console.error(`sandbox: ${err.message}`);
      process.exitCode = 1;
    },
  );
}

/**
 * `npm run compare`: asks the base and the fine-tuned deployment the same travel questions and
 * shows the answers side by side (the lab's step 7, repeatable). Flags: `npm run compare -- --help`.
 */
import { runCompare } from "../lib/compare/cli";

void runCompare(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (line) => process.stderr.write(`${line}\n`),
  columns: process.stdout.isTTY ? process.stdout.columns : undefined,
}).then((code) => {
  // exitCode, not exit(): stdout may still be draining into a pipe.
  process.exitCode = code;
});

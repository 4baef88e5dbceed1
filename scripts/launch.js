"use strict";
/**
 * `node scripts/launch.js <entry.ts> [args]`: runs a TypeScript entry point like
 * `ts-node --transpile-only` does, from lib/transpile.js's per-file cache, so the TypeScript
 * compiler loads only on a cache miss. The emulator must start in under 2 s; ts-node loads the
 * compiler and transpiles every file on every start (9–14 s measured on a loaded 2-core machine,
 * against 2.3–2.8 s for the same code precompiled), and tsx was no faster there (5–8 s). The
 * validator CLI starts the same way, so its memory is the validator's, not the compiler's.
 * Plain JavaScript because it is what loads TypeScript.
 */
const path = require("node:path");
const { register, transpileTree } = require("../lib/transpile");

/**
 * `--warm <entry.ts>...` (npm's postinstall): fills the cache for the entries and everything they
 * import, so even the first `npm run validate` after an install runs without the compiler (a
 * cold run carries it: ~60–100 MB more peak RSS). Never fails an install.
 */
function warm(entries) {
  try {
    const files = new Set(entries.flatMap((e) => Object.keys(transpileTree(e))));
    console.log(`transpile cache: ${files.size} files ready for ${entries.join(", ")}`);
  } catch (e) {
    console.log(`transpile cache not warmed (${e.message}); the first run will compile instead`);
  }
}

const entry = process.argv[2];
if (entry === undefined) {
  console.error("usage: node scripts/launch.js <entry.ts> [args] | --warm <entry.ts>...");
  process.exit(2);
}
if (entry === "--warm") {
  warm(process.argv.slice(3));
  process.exit(0);
}
register();
// The entry sees its own arguments at process.argv.slice(2) and is `require.main`, as under
// ts-node (which starts its entry the same way).
process.argv.splice(1, 1);
process.argv[1] = path.resolve(entry);
require("node:module").runMain();

"use strict";
/**
 * `node emulator/launch.js emulator/cli.ts [args]`: runs a TypeScript entry point like
 * `ts-node --transpile-only` does, but keeps each file's transpiled output in
 * node_modules/.cache/aoift-transpile (keyed by the TypeScript version, the path and the source's
 * sha256) and loads the TypeScript compiler only on a cache miss. The emulator must start in under
 * 2 s; ts-node loads the compiler and transpiles every file on every start (9–14 s measured on a
 * loaded 2-core machine, against 2.3–2.8 s for the same code precompiled), and tsx was no faster
 * there (5–8 s). Plain JavaScript because it is what loads TypeScript.
 */
const crypto = require("node:crypto");
const fs = require("node:fs");
const path = require("node:path");

const root = path.resolve(__dirname, "..");
const cacheDir = path.join(root, "node_modules", ".cache", "aoift-transpile");
const tsVersion = require(path.join(root, "node_modules", "typescript", "package.json")).version;
let ts; // the compiler, loaded on the first cache miss only

/** The project's tsconfig options that change emitted code. */
const COMPILER_OPTIONS = {
  module: 1, // CommonJS
  target: 9, // ES2022
  esModuleInterop: true,
  resolveJsonModule: true,
  inlineSourceMap: true,
};

function transpile(filename, source) {
  const key = crypto
    .createHash("sha256")
    .update(`${tsVersion}\0${filename}\0`)
    .update(source)
    .digest("hex");
  const cached = path.join(cacheDir, `${key}.js`);
  try {
    return fs.readFileSync(cached, "utf8");
  } catch {
    ts ??= require("typescript");
    const output = ts.transpileModule(source, {
      fileName: filename,
      compilerOptions: COMPILER_OPTIONS,
    }).outputText;
    fs.mkdirSync(cacheDir, { recursive: true });
    const temporary = `${cached}.${process.pid}.tmp`;
    fs.writeFileSync(temporary, output);
    fs.renameSync(temporary, cached);
    return output;
  }
}

require.extensions[".ts"] = (module, filename) => {
  module._compile(transpile(filename, fs.readFileSync(filename, "utf8")), filename);
};

const entry = process.argv[2];
if (entry === undefined) {
  console.error("usage: node emulator/launch.js <entry.ts> [args]");
  process.exit(2);
}
// The entry sees its own arguments at process.argv.slice(2), as under ts-node.
process.argv.splice(1, 1);
process.argv[1] = path.resolve(entry);
require(process.argv[1]);

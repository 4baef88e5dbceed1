"use strict";
/**
 * TypeScript to JavaScript, one file at a time, through a disk cache, for the processes that run
 * the project's TypeScript without ts-node: the launcher (scripts/launch.js) and the validator's
 * worker threads (lib/trainingData/parallel.ts). Each file's output is kept in
 * node_modules/.cache/aoift-transpile, keyed by the TypeScript version, the path and the source's
 * sha256, and the compiler is loaded only on a miss: ts-node loads it (~60 MB, ~1 s of CPU) and
 * compiles every file on every start. Plain JavaScript because it is what loads TypeScript.
 */
const crypto = require("node:crypto");
const fs = require("node:fs");
const path = require("node:path");

const root = path.resolve(__dirname, "..");
const cacheDir = path.join(root, "node_modules", ".cache", "aoift-transpile");
const tsVersion = typescriptVersion();
let ts; // the compiler, loaded on the first cache miss only

/** Part of every cache key; "none" without TypeScript installed (a miss then fails to compile). */
function typescriptVersion() {
  try {
    return require(path.join(root, "node_modules", "typescript", "package.json")).version;
  } catch {
    return "none";
  }
}

/** The project's tsconfig options that change emitted code. */
const COMPILER_OPTIONS = {
  module: 1, // CommonJS
  target: 9, // ES2022
  esModuleInterop: true,
  resolveJsonModule: true,
  inlineSourceMap: true,
};

/** Writes `output` as the cache entry `file`; a read-only cache only costs the next run a compile. */
function store(file, output) {
  try {
    fs.mkdirSync(cacheDir, { recursive: true });
    const temporary = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(temporary, output);
    fs.renameSync(temporary, file);
  } catch {
    // Not cached: correct output all the same.
  }
}

/** JavaScript for the TypeScript `source` of `filename`. */
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
    store(cached, output);
    return output;
  }
}

/**
 * JavaScript for `entry` (a .ts file) and every project .ts file it requires, directly or not,
 * keyed by absolute path: what a worker thread or a fresh process needs to run `entry` without
 * the compiler. Follows relative `require("./x")` of `x.ts` or `x/index.ts`; other targets
 * (packages, .js, .json) are left to Node.
 */
function transpileTree(entry) {
  const sources = {};
  const visit = (file) => {
    if (sources[file] !== undefined) return;
    sources[file] = transpile(file, fs.readFileSync(file, "utf8"));
    for (const m of sources[file].matchAll(/require\("(\.{1,2}\/[^"]+)"\)/g)) {
      const target = path.resolve(path.dirname(file), m[1]);
      const candidates = [`${target}.ts`, path.join(target, "index.ts")];
      const found = candidates.find((f) => fs.existsSync(f));
      if (found !== undefined) visit(found);
    }
  };
  visit(path.resolve(entry));
  return sources;
}

/** Makes `require` load `.ts` files through {@link transpile}. */
function register() {
  require.extensions[".ts"] = (module, filename) => {
    module._compile(transpile(filename, fs.readFileSync(filename, "utf8")), filename);
  };
}

module.exports = { transpile, transpileTree, register };

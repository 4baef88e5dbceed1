/**
 * Remembers validation reports by the file's content, so a repeat `pulumi preview` of an
 * unchanged training file costs one sha256 pass instead of a full validation.
 *
 * Key: sha256 of the content + the rules' version + the options that change the report (model,
 * epochs, the name used in messages). The rules' version is a hash of the validator's own source
 * files, so any change to the rules, the tokenizer or the model catalog invalidates every entry
 * without anyone remembering to bump a number.
 *
 * Location: `$AOIFT_CACHE_DIR` if set, else `$XDG_CACHE_HOME/azure-openai-finetune`, else
 * `node_modules/.cache/azure-openai-finetune` in the project (git-ignored, the convention of
 * find-cache-dir: https://github.com/sindresorhus/find-cache-dir#readme). `AOIFT_CACHE_DIR=off`
 * disables it. Entries are small JSON reports; the oldest are pruned beyond MAX_ENTRIES.
 */
import { createHash } from "node:crypto";
import { createReadStream, readdirSync, readFileSync } from "node:fs";
import { mkdir, readdir, readFile, rename, stat, unlink, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";

const MAX_ENTRIES = 64;

/** The cache directory, or undefined when caching is off. */
export function cacheDir(): string | undefined {
  const set = process.env.AOIFT_CACHE_DIR;
  if (set === "off") return undefined;
  if (set) return set;
  const xdg = process.env.XDG_CACHE_HOME;
  if (xdg) return join(xdg, "azure-openai-finetune");
  return join(__dirname, "..", "..", "node_modules", ".cache", "azure-openai-finetune");
}

let version: string | undefined;

/** Hash of the validator's sources: this folder, the model catalog (lib/models/) and the epoch rule. */
export function rulesVersion(): string {
  if (version === undefined) {
    const hash = createHash("sha256");
    const sources = (dir: string): string[] =>
      readdirSync(dir)
        .filter((f) => /\.(ts|js)$/.test(f))
        .sort()
        .map((f) => join(dir, f));
    const files = [...sources(__dirname), ...sources(join(__dirname, "..", "models"))];
    files.push(require.resolve("../cost"));
    for (const file of files) hash.update(file).update(readFileSync(file));
    version = hash.digest("hex").slice(0, 16);
  }
  return version;
}

/** sha256 (hex) of a file's bytes, streamed. */
export async function hashFile(path: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(path, { highWaterMark: 1024 * 1024 })) {
    hash.update(chunk as Buffer);
  }
  return hash.digest("hex");
}

function entryPath(dir: string, sha256: string, options: unknown): string {
  const key = createHash("sha256")
    .update(`${sha256}\n${rulesVersion()}\n${JSON.stringify(options)}`)
    .digest("hex");
  return join(dir, "validation", `${key}.json`);
}

/** The cached report for this content and options, or undefined. */
export async function readCached<T>(sha256: string, options: unknown): Promise<T | undefined> {
  const dir = cacheDir();
  if (dir === undefined) return undefined;
  try {
    return JSON.parse(await readFile(entryPath(dir, sha256, options), "utf8")) as T;
  } catch {
    return undefined; // missing, unreadable or half-written: validate again
  }
}

/** Stores a report; a cache that cannot be written is skipped, never an error. */
export async function writeCached(
  sha256: string,
  options: unknown,
  report: unknown,
): Promise<void> {
  const dir = cacheDir();
  if (dir === undefined) return;
  const path = entryPath(dir, sha256, options);
  try {
    await mkdir(dirname(path), { recursive: true });
    const partial = `${path}.${process.pid}.partial`;
    await writeFile(partial, JSON.stringify(report));
    await rename(partial, path);
    await prune(dirname(path));
  } catch {
    // read-only checkout, full disk: the next preview validates again
  }
}

async function prune(dir: string): Promise<void> {
  const names = (await readdir(dir)).filter((n) => n.endsWith(".json"));
  if (names.length <= MAX_ENTRIES) return;
  const aged = await Promise.all(
    names.map(async (n) => ({ n, t: (await stat(join(dir, n))).mtimeMs })),
  );
  aged.sort((a, b) => a.t - b.t);
  for (const { n } of aged.slice(0, names.length - MAX_ENTRIES)) await unlink(join(dir, n));
}

/**
 * Detailed diff of old and new inputs, as the real providers compute it: leaf paths in Pulumi's
 * property-path syntax (`properties.networkAcls.ipRules[0].value`, `tags.owner`), a kind per path,
 * and `-replace` kinds where the changed path is one the cloud cannot update in place.
 */
import { DiffKind, DiffResult } from "./provider";
import { deepEqual, isObject, Props, UNKNOWN } from "./wire";

function join(parent: string, key: string | number): string {
  if (typeof key === "number") return `${parent}[${key}]`;
  if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) return parent ? `${parent}.${key}` : key;
  return `${parent}[${JSON.stringify(key)}]`;
}

/** Walks both values and records a kind for every path that differs. */
function walk(path: string, old: unknown, next: unknown, out: Record<string, DiffKind>): void {
  if (old === undefined && next === undefined) return;
  if (old === undefined) {
    out[path] = "add";
  } else if (next === undefined) {
    out[path] = "delete";
  } else if (next === UNKNOWN) {
    // Not known until apply: possibly a change, shown as an update.
    out[path] = "update";
  } else if (isObject(old) && isObject(next)) {
    for (const key of new Set([...Object.keys(old), ...Object.keys(next)])) {
      walk(join(path, key), old[key], next[key], out);
    }
  } else if (Array.isArray(old) && Array.isArray(next)) {
    for (let i = 0; i < Math.max(old.length, next.length); i++) {
      walk(join(path, i), old[i], next[i], out);
    }
  } else if (!deepEqual(old, next)) {
    out[path] = "update";
  }
}

/** True when `path` is `root` or lies under it. */
function under(path: string, root: string): boolean {
  return path === root || path.startsWith(`${root}.`) || path.startsWith(`${root}[`);
}

/**
 * Diffs old inputs against new ones. Keys starting with `__` are the provider's own bookkeeping
 * and never diff. `replaceOn` lists the input paths that force a replacement.
 */
export function diffInputs(
  oldInputs: Props,
  news: Props,
  replaceOn: readonly string[],
  opts: { deleteBeforeReplace: boolean },
): DiffResult {
  const detailed: Record<string, DiffKind> = {};
  for (const key of new Set([...Object.keys(oldInputs), ...Object.keys(news)])) {
    if (!key.startsWith("__")) walk(join("", key), oldInputs[key], news[key], detailed);
  }
  const replaces = new Set<string>();
  for (const [path, kind] of Object.entries(detailed)) {
    const root = replaceOn.find((r) => under(path, r));
    if (root !== undefined) {
      detailed[path] = `${kind}-replace` as DiffKind;
      replaces.add(root);
    }
  }
  return {
    replaces: [...replaces],
    deleteBeforeReplace: replaces.size > 0 && opts.deleteBeforeReplace,
    detailed,
  };
}

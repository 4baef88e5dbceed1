/**
 * Values on the provider wire: google.protobuf.Struct in, plain JSON out. The engine marks a value
 * that is not known yet (preview) with the unknown sentinel and wraps secrets, output values and
 * resource references in objects keyed by a signature; the constants are those of the Node SDK
 * (pulumi/pulumi sdk/nodejs/runtime/rpc.ts, exported by @pulumi/pulumi/runtime/rpc).
 */

/** A value the engine does not know yet (preview). */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
const SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
const OUTPUT_VALUE_SIG = "d0e6a833031e9bbcd3f4e8bde6ca49a4";
const RESOURCE_SIG = "5cf8f73096256a8f31e491e813e4eb8e";

/** A JSON object as the plugins handle it. */
export type Props = Record<string, unknown>;

export function isObject(value: unknown): value is Props {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** True when the value is, or contains, an unknown. */
export function containsUnknown(value: unknown): boolean {
  if (value === UNKNOWN) return true;
  if (Array.isArray(value)) return value.some(containsUnknown);
  return isObject(value) && Object.values(value).some(containsUnknown);
}

/**
 * Strips the engine's wrappers: a secret becomes its value (the plugins say they do not accept
 * secrets, so the engine rarely sends one), an output value its value or UNKNOWN, a resource
 * reference its id (or URN for a component).
 */
export function unwrap(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(unwrap);
  if (!isObject(value)) return value;
  switch (value[SIG_KEY]) {
    case SECRET_SIG:
      return unwrap(value.value);
    case OUTPUT_VALUE_SIG:
      return "value" in value ? unwrap(value.value) : UNKNOWN;
    case RESOURCE_SIG:
      return value.id ?? value.urn;
    default:
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, unwrap(v)]));
  }
}

/** Drops undefined members recursively: `Struct.fromJavaScript` throws on them. */
export function clean<T>(value: T): T {
  if (Array.isArray(value)) return value.map(clean) as T;
  if (!isObject(value)) return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => [k, clean(v)]),
  ) as T;
}

/** Deep copy of JSON data. */
export function copy<T>(value: T): T {
  return value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T);
}

/** Structural equality of JSON data (key order ignored). */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  }
  if (isObject(a) && isObject(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    return [...keys].every((k) => deepEqual(a[k], b[k]));
  }
  return false;
}

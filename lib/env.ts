/**
 * Reads a number from an environment variable at call time (tests and operators shrink waits
 * without rebuilding the serialized providers), or returns `fallback` when it is unset or empty.
 * @param min Smallest accepted value: 0 where "no wait" is meaningful, otherwise above 0.
 */
export function envNumber(
  name: string,
  fallback: number,
  min: "zero" | "positive" = "positive",
): number {
  const raw = process.env[name];
  if (raw === undefined || raw === "") {
    return fallback;
  }
  const value = Number(raw);
  const tooSmall = min === "zero" ? value < 0 : value <= 0;
  if (!Number.isFinite(value) || tooSmall) {
    const bound = min === "zero" ? "0 or more" : "greater than 0";
    throw new Error(`environment variable ${name}="${raw}" must be a number ${bound}`);
  }
  return value;
}

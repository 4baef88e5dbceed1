const UNITS: readonly [string, number][] = [
  ["GB", 1024 ** 3],
  ["MB", 1024 ** 2],
  ["KB", 1024],
];

/**
 * A size for people: "512 MB", "1.5 MB", "2.8 KB", "100 bytes" (binary units, as Azure's quota
 * pages use them; one decimal unless the value is whole).
 */
export function formatBytes(bytes: number): string {
  for (const [unit, size] of UNITS) {
    if (bytes >= size) {
      const value = bytes / size;
      return `${Number.isInteger(value) ? value : value.toFixed(1)} ${unit}`;
    }
  }
  return `${bytes} bytes`;
}

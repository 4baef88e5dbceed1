import type { AutoOr } from "../lib/fineTuning";
import { CONFIG_NAMESPACE } from "./types";

/** Raw config values as `pulumi config` stores them: strings, with arrays and objects as JSON. */
export type RawConfig = Readonly<Record<string, string | undefined>>;

/** The config key as users write it, quoted for messages: `azure-openai-finetune:<k>`. */
export const configKey = (k: string) => `\`${CONFIG_NAMESPACE}:${k}\``;

const isStringArray = (v: unknown): v is string[] =>
  Array.isArray(v) && v.every((x) => typeof x === "string");
const isStringMap = (v: unknown): v is Record<string, string> =>
  typeof v === "object" &&
  v !== null &&
  !Array.isArray(v) &&
  Object.values(v).every((x) => typeof x === "string");

/**
 * Reads typed values from raw config and collects every problem instead of throwing, so one
 * preview reports them all. Each reader returns the default after a problem, so later checks
 * still run.
 */
export class ConfigReader {
  readonly problems: string[] = [];

  constructor(readonly raw: RawConfig) {}

  /** Records a problem: the key, its value, and the fix. */
  bad(k: string, value: string, fix: string): void {
    this.problems.push(`${configKey(k)} is ${JSON.stringify(value)}; ${fix}`);
  }

  /** The trimmed value, or undefined when unset or blank. */
  str(k: string): string | undefined {
    const v = this.raw[k];
    return v === undefined || v.trim() === "" ? undefined : v.trim();
  }

  oneOf<T extends string>(k: string, allowed: readonly T[], dflt: T): T {
    const v = this.str(k);
    if (v === undefined) return dflt;
    if ((allowed as readonly string[]).includes(v)) return v as T;
    this.bad(k, v, `allowed values: ${allowed.join(", ")}`);
    return dflt;
  }

  int(k: string, dflt: number, min: number, max: number): number {
    const v = this.str(k);
    if (v === undefined) return dflt;
    const n = Number(v);
    if (Number.isInteger(n) && n >= min && n <= max) return n;
    this.bad(k, v, `use a whole number from ${min} to ${max}`);
    return dflt;
  }

  bool(k: string, dflt: boolean): boolean {
    const v = this.str(k);
    if (v === undefined) return dflt;
    if (v === "true" || v === "false") return v === "true";
    this.bad(k, v, "use true or false");
    return dflt;
  }

  autoOr(
    k: string,
    dflt: AutoOr<number>,
    { min, max, whole }: { min: number; max: number; whole: boolean },
  ): AutoOr<number> {
    const v = this.str(k);
    if (v === undefined) return dflt;
    if (v === "auto") return "auto";
    const n = Number(v);
    if (Number.isFinite(n) && n >= min && n <= max && (!whole || Number.isInteger(n))) return n;
    this.bad(k, v, `use "auto" or a ${whole ? "whole number" : "number"} from ${min} to ${max}`);
    return dflt;
  }

  /** A list of strings, stored as JSON by `pulumi config set --path` or YAML in the stack file. */
  stringList(k: string, shape: string): string[] {
    return this.json(k, isStringArray, shape, []);
  }

  stringMap(k: string, shape: string): Record<string, string> {
    return this.json(k, isStringMap, shape, {});
  }

  private json<T>(k: string, check: (v: unknown) => v is T, shape: string, dflt: T): T {
    const v = this.str(k);
    if (v === undefined) return dflt;
    let parsed: unknown;
    try {
      parsed = JSON.parse(v);
    } catch {
      this.bad(
        k,
        v,
        `use ${shape} (set it with \`pulumi config set --path\` or as YAML in the stack file)`,
      );
      return dflt;
    }
    if (check(parsed)) return parsed;
    this.bad(k, v, `use ${shape}`);
    return dflt;
  }
}

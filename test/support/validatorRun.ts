import { expect } from "chai";
import { ConfigReader, type RawConfig } from "../../config";

/** Runs one validator on `raw` and returns what it read and the problems it found. */
export function run<T>(
  raw: RawConfig,
  validate: (r: ConfigReader) => T,
): { value: T; problems: string[] } {
  const r = new ConfigReader(raw);
  const value = validate(r);
  return { value, problems: r.problems };
}

/** One test per case: the validator reports exactly the case's message for the case's config. */
export function itRejects<T>(
  cases: readonly (readonly [string, RawConfig, string])[],
  validate: (r: ConfigReader) => T,
): void {
  for (const [what, raw, message] of cases) {
    it(`rejects ${what}`, () => {
      expect(run(raw, validate).problems).to.deep.equal([message]);
    });
  }
}

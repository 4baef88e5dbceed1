import { expect } from "chai";
import { envNumber } from "../../lib/env";

describe("envNumber", () => {
  const NAME = "AOIFT_TEST_ENV_NUMBER";
  afterEach(() => delete process.env[NAME]);

  it("returns the fallback when the variable is unset or empty", () => {
    expect(envNumber(NAME, 7)).to.equal(7);
    process.env[NAME] = "";
    expect(envNumber(NAME, 7)).to.equal(7);
  });

  it("reads the value at call time", () => {
    process.env[NAME] = "2.5";
    expect(envNumber(NAME, 7)).to.equal(2.5);
  });

  it("accepts 0 only where asked to, and names the variable otherwise", () => {
    process.env[NAME] = "0";
    expect(envNumber(NAME, 7, "zero")).to.equal(0);
    expect(() => envNumber(NAME, 7)).to.throw(
      'environment variable AOIFT_TEST_ENV_NUMBER="0" must be a number greater than 0',
    );
    process.env[NAME] = "soon";
    expect(() => envNumber(NAME, 7, "zero")).to.throw(
      'environment variable AOIFT_TEST_ENV_NUMBER="soon" must be a number 0 or more',
    );
  });
});

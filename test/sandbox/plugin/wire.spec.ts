import { expect } from "chai";
import * as rpc from "@pulumi/pulumi/runtime/rpc";
import { clean, containsUnknown, deepEqual, unwrap, UNKNOWN } from "../../../sandbox/plugin/wire";

describe("sandbox/plugin/wire", () => {
  it("uses the Node SDK's unknown sentinel", () => {
    expect(UNKNOWN).to.equal(rpc.unknownValue);
  });

  it("unwraps secrets, output values and resource references with the SDK's signatures", () => {
    const wrapped = {
      secret: { [rpc.specialSigKey]: rpc.specialSecretSig, value: "s" },
      known: { [rpc.specialSigKey]: rpc.specialOutputValueSig, value: 3 },
      unknown: { [rpc.specialSigKey]: rpc.specialOutputValueSig },
      ref: { [rpc.specialSigKey]: rpc.specialResourceSig, urn: "urn:x", id: "/x" },
      list: [{ [rpc.specialSigKey]: rpc.specialSecretSig, value: 1 }],
    };
    expect(unwrap(wrapped)).to.deep.equal({
      secret: "s",
      known: 3,
      unknown: UNKNOWN,
      ref: "/x",
      list: [1],
    });
  });

  it("drops undefined members at every depth", () => {
    expect(clean({ a: undefined, b: { c: undefined, d: 1 }, e: [{ f: undefined }] })).to.deep.equal(
      { b: { d: 1 }, e: [{}] },
    );
  });

  it("finds unknowns nested in objects and arrays", () => {
    expect(containsUnknown({ a: [{ b: UNKNOWN }] })).to.equal(true);
    expect(containsUnknown({ a: [{ b: "x" }] })).to.equal(false);
  });

  it("compares JSON structurally, ignoring key order", () => {
    expect(deepEqual({ a: 1, b: [1, { c: 2 }] }, { b: [1, { c: 2 }], a: 1 })).to.equal(true);
    expect(deepEqual({ a: 1 }, { a: 1, b: 2 })).to.equal(false);
  });
});

import { describe, expect, it } from "vitest";
import { literalHeadsOf } from "./secret-shapes";

// The redaction's pre-check skips the regex pass for text holding none of these heads: a shape with no head makes
// every task's scrubbing run every shape over the whole output.
describe("literalHeadsOf", () => {
  it("reads the literal a shape starts with", () => {
    expect(literalHeadsOf(/\bxox[abprse]-[A-Za-z0-9-]{8,}/g)).toEqual(["xox"]);
    expect(literalHeadsOf(/\bwhsec_[A-Za-z0-9+/=]{8,}/g)).toEqual(["whsec_"]);
  });

  it("reads each alternative of a leading group, with the literal after it", () => {
    expect(literalHeadsOf(/\b(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{8,}/g)).toEqual(["sk_", "rk_"]);
    expect(literalHeadsOf(/(?:ya29|1\/\/)x/g)).toEqual([""]);
  });

  it("has none for a top-level alternation or a shape starting with a class", () => {
    expect(literalHeadsOf(/\bsk_live_\w+|\brk_live_\w+/g)).toEqual([""]);
    expect(literalHeadsOf(/[A-Z]{4}_[a-z]+/g)).toEqual([""]);
    expect(literalHeadsOf(/\b(sk|rk)_/g)).toEqual([""]);
    // An alternation inside a class or a later group is not a top-level one.
    expect(literalHeadsOf(/\bgh[pousr]_[A-Za-z0-9|]{8,}/g)).toEqual(["gh"]);
  });
});

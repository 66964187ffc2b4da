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
    expect(literalHeadsOf(/(?:ya29|1\/\/)x/g)).toEqual(["ya29x", "1//x"]);
    expect(literalHeadsOf(/\b(?:sk|rk)?_live/g)).toEqual([""]);
  });

  it("reads escaped punctuation as the character it stands for (Google's refresh tokens start 1//)", () => {
    expect(literalHeadsOf(/\b1\/\/[A-Za-z0-9_-]{20,}/g)).toEqual(["1//"]);
    expect(literalHeadsOf(/\bya29\.[A-Za-z0-9_-]{8,}/g)).toEqual(["ya29."]);
  });

  it("leaves out a character a quantifier may drop, and stops after a repeated one", () => {
    expect(literalHeadsOf(/\bxoxb?-[a-z]+/g)).toEqual(["xox"]);
    expect(literalHeadsOf(/\bab*c/g)).toEqual(["a"]);
    expect(literalHeadsOf(/\bab+c/g)).toEqual(["ab"]);
    expect(literalHeadsOf(/\bab{0,2}c/g)).toEqual(["a"]);
  });

  it("has none for a top-level alternation or a shape starting with a class", () => {
    expect(literalHeadsOf(/\bsk_live_\w+|\brk_live_\w+/g)).toEqual([""]);
    expect(literalHeadsOf(/[A-Z]{4}_[a-z]+/g)).toEqual([""]);
    expect(literalHeadsOf(/\b(sk|rk)_/g)).toEqual([""]);
    // An alternation inside a class or a later group is not a top-level one.
    expect(literalHeadsOf(/\bgh[pousr]_[A-Za-z0-9|]{8,}/g)).toEqual(["gh"]);
  });
});

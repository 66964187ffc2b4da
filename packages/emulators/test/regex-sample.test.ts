import { describe, expect, it } from "vitest";
import { regexSample } from "../src/shared/regex-sample";
import { loadDerivedSpec } from "./openapi-conformance";

/** Every `pattern` keyword in a description. */
function patternsOf(node: unknown, found = new Set<string>()): Set<string> {
  if (Array.isArray(node)) for (const item of node) patternsOf(item, found);
  else if (node && typeof node === "object") {
    for (const [key, value] of Object.entries(node)) {
      if (key === "pattern" && typeof value === "string") found.add(value);
      else patternsOf(value, found);
    }
  }
  return found;
}

describe("regexSample", () => {
  const patterns = [
    ...patternsOf(loadDerivedSpec("github", "rest-all.json")),
    ...patternsOf(loadDerivedSpec("slack", "web-api-all.json")),
  ];

  it.each(patterns)("samples a string %s matches", (pattern) => {
    const sample = regexSample(pattern);
    expect(sample).toBeDefined();
    expect(new RegExp(pattern, "u").test(sample ?? "")).toBe(true);
  });

  it("varies the first class for items that must differ, and gives up on syntax it does not read", () => {
    expect([0, 1, 2].map((v) => regexSample("^[CGD][A-Z0-9]{8,}$", v))).toEqual([
      "CAAAAAAAA",
      "GAAAAAAAA",
      "DAAAAAAAA",
    ]);
    expect(regexSample("^(?=a)b$")).toBeUndefined();
    expect(regexSample("^[^a]$")).toBeUndefined();
  });
});

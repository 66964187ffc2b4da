import { readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { EMULATORS } from "../src/emulator-list";
import { regexSample } from "../src/shared/regex-sample";
import { loadDerivedSpec } from "./openapi-conformance";

/** Every listed emulator's whole descriptions (`specs/<provider>/*-all.json`): what the spec fallback samples. */
function wholeDescriptions(): unknown[] {
  return EMULATORS.flatMap(({ id }) => {
    const folder = new URL(`../specs/${id}/`, import.meta.url);
    const files = readdirSync(folder).filter((file) => file.endsWith("-all.json"));
    return files.map((file) => loadDerivedSpec(id, file));
  });
}

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
  const patterns = [...new Set(wholeDescriptions().flatMap((description) => [...patternsOf(description)]))];

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

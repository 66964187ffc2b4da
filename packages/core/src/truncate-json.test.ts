import { describe, expect, it } from "vitest";
import type { Json } from "./json";
import { TRUNCATED_KEYS_KEY, truncateJson } from "./truncate-json";

const limits = { maxStringBytes: 16, maxTotalBytes: 1_000 };

describe("truncateJson", () => {
  it("returns a value within the limits as it is, the same object", () => {
    const value = { a: "short", list: [1, true, null, "x"], nested: { b: "also short" } };
    const result = truncateJson(value, limits);
    expect(result.truncated).toBe(false);
    expect(result.value).toBe(value);
  });

  it("decides at the limits' edge as the walk does, multi-byte text included", () => {
    const edge = { maxStringBytes: 40, maxTotalBytes: 40 };
    // {"s":"…"} serializes to 8 bytes around the string. Up to 31 bytes of text, the serialized size alone shows
    // it fits; past that the walk decides, and it keeps a string of up to 34 bytes.
    for (const length of [31, 32, 34]) {
      const value = { s: "a".repeat(length) };
      expect(truncateJson(value, edge).value).toBe(value);
    }
    expect(truncateJson({ s: "a".repeat(35) }, edge).truncated).toBe(true);
    // "é" is 2 bytes: 15 (30 bytes, more characters than a third of the limit) and 17 (34) fit; 18 (36) is cut.
    for (const length of [15, 17]) {
      const value = { s: "é".repeat(length) };
      expect(truncateJson(value, edge).value).toBe(value);
    }
    expect(truncateJson({ s: "é".repeat(18) }, edge).truncated).toBe(true);
  });

  it("cuts a long string and says how many bytes it left out", () => {
    const result = truncateJson({ body: "a".repeat(100) }, limits);
    expect(result.truncated).toBe(true);
    expect(result.value).toEqual({ body: `${"a".repeat(16)}…[truncated 84 bytes]` });
  });

  it("counts UTF-8 bytes and never splits a character", () => {
    // "é" is 2 bytes and "😀" 4: 16 bytes hold 8 "é", or 4 "😀".
    expect(truncateJson("é".repeat(20), limits).value).toBe(`${"é".repeat(8)}…[truncated 24 bytes]`);
    expect(truncateJson(`a${"😀".repeat(10)}`, limits).value).toBe(`a${"😀".repeat(3)}…[truncated 28 bytes]`);
  });

  it("past the total, cuts later strings to their marker and replaces later items and keys by one marker", () => {
    const value = {
      first: "x".repeat(60),
      items: Array.from({ length: 50 }, (_, i) => `item ${i}`),
      after: "never reached",
      more: 1,
    };
    const result = truncateJson(value, { maxStringBytes: 1_000, maxTotalBytes: 100 });
    expect(result.truncated).toBe(true);
    const kept = result.value as { first: string; items: string[] } & Record<string, Json>;
    expect(kept.first).toBe("x".repeat(60));
    expect(kept.items.length).toBeLessThan(10);
    expect(kept.items.at(-1)).toMatch(/^…\[truncated \d+ items\]$/);
    expect(kept[TRUNCATED_KEYS_KEY]).toBe("…[truncated 2 keys]");
    expect(JSON.stringify(result.value).length).toBeLessThan(250);
  });

  it("bounds a 20 MiB answer to about its total", () => {
    const huge = {
      status: 200,
      headers: { "content-type": "text/plain" },
      body: "z".repeat(20 * 1024 * 1024),
    };
    const result = truncateJson(huge, { maxStringBytes: 64 * 1024, maxTotalBytes: 1024 * 1024 });
    expect(result.truncated).toBe(true);
    const text = JSON.stringify(result.value);
    expect(text.length).toBeLessThan(64 * 1024 + 200);
    expect(text).toContain(`…[truncated ${20 * 1024 * 1024 - 64 * 1024} bytes]`);
  });

  it("keeps a `__proto__` key as data, never as the prototype", () => {
    const value = JSON.parse(`{"__proto__": {"polluted": "${"p".repeat(40)}"}}`) as Json;
    const result = truncateJson(value, limits);
    const kept = result.value as Record<string, unknown>;
    expect(Object.getPrototypeOf(kept)).toBe(Object.prototype);
    expect(Object.keys(kept)).toEqual(["__proto__"]);
    expect(JSON.stringify(kept)).toContain("truncated 24 bytes");
  });

  it("leaves undefined alone", () => {
    expect(truncateJson(undefined, limits)).toEqual({ value: undefined, truncated: false, bytes: 0 });
  });
});

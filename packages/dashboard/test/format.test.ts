import { describe, expect, it } from "vitest";
import { durationBetween, formatAge, formatDuration, labelOf, safeHref } from "../app/lib/format";

describe("the dashboard's formatting", () => {
  it("says durations and ages as people do", () => {
    expect(formatDuration(340)).toBe("340 ms");
    expect(formatDuration(1_234)).toBe("1.2 s");
    expect(formatDuration(125_000)).toBe("2 min 5 s");
    expect(formatDuration(3_840_000)).toBe("1 h 4 min");
    expect(formatDuration(-1)).toBe("—");
    expect(formatAge(40)).toBe("40 s");
    expect(formatAge(300)).toBe("5 min");
    expect(durationBetween("2026-01-01T00:00:00Z", "2026-01-01T00:00:01.500Z")).toBe(1_500);
    expect(durationBetween("2026-01-01T00:00:00Z", undefined)).toBeUndefined();
  });

  it("labels metadata keys", () => {
    expect(labelOf("teamName")).toBe("Team name");
    expect(labelOf("api_key")).toBe("Api key");
  });

  it("links only absolute http(s) URLs", () => {
    expect(safeHref("https://example.com/a?b=1")).toBe("https://example.com/a?b=1");
    expect(safeHref("http://example.com")).toBe("http://example.com/");
    for (const unsafe of [
      "javascript:alert(1)",
      "data:text/html,hi",
      "/relative",
      "vbscript:x",
      "",
      undefined,
    ])
      expect(safeHref(unsafe)).toBeUndefined();
  });
});

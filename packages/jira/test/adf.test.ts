import { describe, expect, it } from "vitest";
import { adfText, toAdf } from "../src/index";

describe("toAdf", () => {
  it("writes a paragraph per blank-line block and a hard break per other line break", () => {
    expect(toAdf("One\ntwo\n\nThree")).toEqual({
      type: "doc",
      version: 1,
      content: [
        {
          type: "paragraph",
          content: [{ type: "text", text: "One" }, { type: "hardBreak" }, { type: "text", text: "two" }],
        },
        { type: "paragraph", content: [{ type: "text", text: "Three" }] },
      ],
    });
  });

  it("passes an ADF document through as it is, and reads its text back", () => {
    const doc = toAdf("# not a heading *not bold*\r\n\r\nsecond");
    expect(toAdf(doc)).toBe(doc);
    expect(adfText(doc)).toBe("# not a heading *not bold*\n\nsecond");
  });

  it("empty text is an empty document", () => {
    expect(toAdf("")).toEqual({ type: "doc", version: 1, content: [] });
  });
});

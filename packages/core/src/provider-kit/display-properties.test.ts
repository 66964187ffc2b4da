import { describe, expect, it } from "vitest";
import { excerpt, optionalProperty, propertiesOf } from "./display-properties";

describe("display properties", () => {
  it("show a value only when it is there", () => {
    expect(optionalProperty("State", "open")).toEqual([{ label: "State", text: "open" }]);
    expect(optionalProperty("Page", 2)).toEqual([{ label: "Page", text: "2" }]);
    expect(optionalProperty("Force", false)).toEqual([{ label: "Force", text: "false" }]);
    for (const absent of [undefined, null, "", [], { nested: true }]) {
      expect(optionalProperty("X", absent)).toEqual([]);
    }
  });

  it("join a list, by its items' names where they have one", () => {
    expect(optionalProperty("Labels", ["bug", { name: "help wanted" }])).toEqual([
      { label: "Labels", text: "bug, help wanted" },
    ]);
  });

  it("cut long text to one line of 80 characters", () => {
    const text = `${"word ".repeat(30)}\nend`;
    expect(excerpt(text)).toHaveLength(80);
    expect(excerpt(text).endsWith("…")).toBe(true);
    expect(excerpt(" a\n b ")).toBe("a b");
  });

  it("read labelled params loosely, in the fields' order", () => {
    const params = { text: "hi\nthere", channel: "C1", ts: undefined, other: "x" };
    expect(propertiesOf(params, { Channel: "channel", Message: "ts", Text: "text" })).toEqual([
      { label: "Channel", text: "C1" },
      { label: "Text", text: "hi there" },
    ]);
    expect(propertiesOf(undefined, { Channel: "channel" })).toEqual([]);
  });
});

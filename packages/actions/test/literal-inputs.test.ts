import { describe, expect, it } from "vitest";
import { stepProblems } from "../src/index";
import { httpRegistry } from "./helpers";

// A plan whose literal inputs can never pass is refused when it is saved, not at its first run.
describe("stepProblems on literal inputs", () => {
  it("refuses an input the action's schema refuses, naming the step and the field", () => {
    const problems = stepProblems(
      [{ id: "peek", action: "http.request", inputs: { url: "file:///etc/passwd" } }],
      httpRegistry,
    );
    expect(problems).toEqual([expect.stringMatching(/^steps\.0\.inputs\.url: /)]);
    expect(
      stepProblems(
        [{ id: "m", action: "http.request", inputs: { url: "https://x.test", method: "BREW" } }],
        httpRegistry,
      ),
    ).toEqual([expect.stringMatching(/^steps\.0\.inputs\.method: /)]);
  });

  it("leaves inputs that hold a reference to the run, and accepts valid literals", () => {
    expect(
      stepProblems(
        [
          { id: "a", action: "http.request", inputs: { url: "https://api.example.test/a" } },
          { id: "b", action: "http.request", inputs: { url: "{{steps.a.output.body}}" } },
        ],
        httpRegistry,
      ),
    ).toEqual([]);
  });

  it("refuses a required input left out (zod's own message), with the reference problems in the same answer", () => {
    expect(stepProblems([{ id: "get", action: "http.request", inputs: {} }], httpRegistry)).toEqual([
      expect.stringMatching(/^steps\.0\.inputs\.url: Invalid input/),
    ]);
    expect(stepProblems([{ id: "get", action: "http.request" }], httpRegistry)).toEqual([
      expect.stringMatching(/^steps\.0\.inputs\.url: /),
    ]);
    const both = stepProblems(
      [
        { id: "a", action: "http.request", inputs: { url: "https://x.test", method: "BREW" } },
        { id: "b", action: "http.request", inputs: { url: "{{steps.later.output.body}}" } },
        { id: "later", action: "http.request", inputs: { url: "https://x.test" } },
      ],
      httpRegistry,
    );
    expect(both).toEqual([
      expect.stringMatching(/^steps\.0\.inputs\.method: /),
      expect.stringMatching(/^steps\.1\.inputs\.url: .*later/),
    ]);
  });
});

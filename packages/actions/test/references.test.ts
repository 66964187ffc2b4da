import { IntegrationError } from "@autoflow/core";
import { describe, expect, it } from "vitest";
import { checkReferences, resolveReferences } from "../src/index";

describe("resolveReferences", () => {
  const scope = {
    outputs: new Map<string, unknown>([["issue", { number: 7, url: "https://x/7", labels: ["bug"] }]]),
    trigger: { user: { login: "mona" } },
  };

  it("fills string templates with text and $ref objects with the typed value, at any depth", () => {
    const resolved = resolveReferences(
      {
        text: "Issue {{ steps.issue.output.url }} (#{{steps.issue.output.number}}) by {{trigger.user.login}}",
        issue_number: { $ref: "steps.issue.output.number" },
        nested: [{ label: { $ref: "steps.issue.output.labels.0" } }, "{{steps.issue.output.labels}}"],
        untouched: { $ref: "steps.issue.output.number", other: 1 },
      },
      scope,
      "notify",
    );
    expect(resolved).toEqual({
      text: "Issue https://x/7 (#7) by mona",
      issue_number: 7,
      nested: [{ label: "bug" }, '["bug"]'],
      untouched: { $ref: "steps.issue.output.number", other: 1 },
    });
  });

  it("a path missing from the output is a `schema` error naming the step, the input and the path", () => {
    let thrown: unknown;
    try {
      resolveReferences({ text: "{{steps.issue.output.html_url}}" }, scope, "notify");
    } catch (error) {
      thrown = error;
    }
    expect(IntegrationError.isInstance(thrown)).toBe(true);
    expect(thrown).toMatchObject({ type: "schema", code: "missing_reference" });
    expect((thrown as Error).message).toBe(
      `Step "notify", input text: "steps.issue.output.html_url": step "issue"'s output has no "html_url"`,
    );
    expect(() => resolveReferences({ n: { $ref: "steps.issue.output.labels.3" } }, scope, "s")).toThrow(
      /has no "labels\.3"/,
    );
  });
});

describe("checkReferences", () => {
  it("rejects references to an unknown step, a later step, the step itself, and malformed ones", () => {
    expect(
      checkReferences([
        { id: "a", inputs: { text: "{{steps.b.output.x}}" } },
        { id: "b", inputs: { n: { $ref: "steps.nope.output" } } },
        { id: "c", inputs: { text: "{{ steps.c.output.x }} {{ issue.url }}" } },
        { id: "d", inputs: { text: "{{steps.a.output.x}} {{trigger.y}}", n: { $ref: "steps.b.output" } } },
      ]),
    ).toEqual([
      'steps.0.inputs.text: "steps.b.output.x" references step "b", but step "b" runs after step "a"',
      'steps.1.inputs.n: "steps.nope.output" references step "nope", but there is no such step',
      'steps.2.inputs.text: "issue.url" is not a reference: use steps.<stepId>.output.<field> or trigger.<field>',
      'steps.2.inputs.text: "steps.c.output.x" references step "c", but a step cannot reference its own output',
    ]);
  });
});

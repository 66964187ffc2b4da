import { Validator } from "@cfworker/json-schema";
import { describe, expect, it } from "vitest";
import { definitionOf, stepIdFor, withEmptyRequired } from "../app/builder/definition";
import { errorsUnder, messagesAt, unplaced } from "../app/builder/problems";
import {
  insertTemplate,
  isWholeReference,
  offeredReferences,
  removeTemplate,
  schemaPaths,
  templateReferences,
} from "../app/builder/references";
import type { CatalogAction, CatalogTrigger } from "../app/lib/types";

const output = (properties: Record<string, unknown>) => ({ type: "object", properties });
const action = (key: string, outputSchema?: Record<string, unknown>): CatalogAction => ({
  key,
  name: key,
  provider: "p",
  authType: ["oauth2"],
  authOptional: false,
  inputSchema: { type: "object" },
  ...(outputSchema && { outputSchema }),
});
const actions = new Map([
  ["p.post", action("p.post", output({ ts: { type: "string" }, channel: { type: "string" } }))],
  ["p.comment", action("p.comment", output({ id: { type: "number" } }))],
]);
const trigger: CatalogTrigger = {
  key: "p.opened",
  name: "Opened",
  provider: "p",
  kind: "webhook",
  inputSchema: { type: "object" },
  payloadSchema: output({ issue: output({ number: { type: "number" }, title: { type: "string" } }) }),
};

describe("the builder's references", () => {
  it("lists a schema's property paths, parents first", () => {
    expect(schemaPaths(trigger.payloadSchema)).toEqual(["issue", "issue.number", "issue.title"]);
    expect(schemaPaths(undefined)).toEqual([]);
  });

  it("offers the trigger's payload and the earlier steps' outputs only", () => {
    const steps = [
      { id: "post", action: "p.post" },
      { id: "comment", action: "p.comment" },
    ];
    expect(offeredReferences(steps, 0, actions, trigger).map((r) => r.path)).toEqual([
      "trigger.issue",
      "trigger.issue.number",
      "trigger.issue.title",
    ]);
    const second = offeredReferences(steps, 1, actions, undefined).map((r) => r.path);
    expect(second).toEqual(["steps.post.output.ts", "steps.post.output.channel"]);
    expect(second.some((path) => path.startsWith("steps.comment."))).toBe(false);
  });

  it("reads, inserts and removes templates as the API writes them", () => {
    const text = "#{{trigger.issue.number}} {{ trigger.issue.title }}";
    expect(templateReferences(text)).toEqual(["trigger.issue.number", "trigger.issue.title"]);
    expect(removeTemplate(text, 0)).toBe("# {{ trigger.issue.title }}");
    expect(insertTemplate("New:", "trigger.issue.title")).toBe("New: {{trigger.issue.title}}");
    expect(insertTemplate("ab", "x", 1)).toBe("a{{x}}b");
    expect(isWholeReference({ $ref: "trigger.issue.number" })).toBe(true);
    expect(isWholeReference({ $ref: "x", other: 1 })).toBe(false);
  });

  it("places the API's problems on their fields", () => {
    const problems = [
      { path: "steps.1.inputs.text", message: "Too small" },
      { path: "steps.1.inputs.blocks.0.type", message: "Required" },
      { path: "steps.1.credentialId", message: "must be a non-empty string" },
      { path: "trigger.inputs.repo", message: "cannot see it" },
    ];
    expect(errorsUnder(problems, "steps.1.inputs")).toEqual({
      text: { __errors: ["Too small"] },
      blocks: { 0: { type: { __errors: ["Required"] } } },
    });
    expect(messagesAt(problems, "steps.1.credentialId")).toEqual(["must be a non-empty string"]);
    expect(unplaced(problems, ["steps.1", "trigger"])).toEqual([]);
    expect(unplaced(problems, ["steps.1"])).toEqual([problems[3]]);
  });

  it("validates with a library that interprets schemas (no eval under the page's CSP)", () => {
    const result = new Validator(
      { type: "object", properties: { text: { type: "string", minLength: 1 } }, required: ["text"] },
      "2020-12",
      false,
    ).validate({ text: "" });
    expect(result.valid).toBe(false);
  });
});

describe("the builder's definition", () => {
  const send = action("p.post");
  send.inputSchema = {
    type: "object",
    properties: {
      text: { type: "string" },
      count: { type: "integer" },
      mode: { type: "string", default: "a" },
    },
    required: ["text", "count", "mode"],
  };
  const catalogue = { action: (key: string) => (key === send.key ? send : undefined) };

  it("is the API's shape: no empty name, no trigger when none is chosen, the steps as they are", () => {
    const steps = [{ id: "post", action: "p.post", inputs: { text: "hi" }, credentialId: "p" }];
    expect(definitionOf("", undefined, steps)).toEqual({ steps });
    expect(definitionOf("N", { key: "p.opened" }, steps)).toEqual({
      name: "N",
      trigger: { key: "p.opened" },
      steps,
    });
  });

  it("sends a required input left out as empty, so the API names it (a default stays the API's)", () => {
    const sent = withEmptyRequired({ steps: [{ id: "post", action: "p.post", inputs: {} }] }, catalogue);
    expect(sent.steps[0]?.inputs).toEqual({ text: "", count: null });
  });

  it("names a new step after its action, once", () => {
    expect(stepIdFor(send, [])).toBe("post");
    expect(stepIdFor(send, [{ id: "post", action: "p.post" }])).toBe("post2");
  });
});

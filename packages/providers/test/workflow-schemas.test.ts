import {
  checkReferences,
  createActionRegistry,
  defineAction,
  type Step,
  stepProblems,
  validateWorkflow,
  type Workflow,
} from "@autoflow/actions";
import { IntegrationError } from "@autoflow/core";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { builtinActions, builtinTriggers, triggerRegistry } from "../src/index";
import { examplesOf, invalidSamplesFrom } from "./json-schema-check";

// validateWorkflow over the provider list's registries, with the first listed provider's first trigger and a
// small custom action to carry references. What each provider's own output and payload schemas hold is checked
// in its package (test/registry-actions.test.ts, test/catalogue-triggers.test.ts).

/** A step with one text input to carry references, and an output with a nested field. */
const note = defineAction({
  key: "crm.note",
  name: "Note",
  provider: "crm",
  authType: "api_key",
  credential: { optional: true },
  inputSchema: z.object({ text: z.string() }),
  examples: [{ text: "Call back on Monday" }],
  outputSchema: z.object({ id: z.string(), author: z.object({ email: z.string() }) }),
  run: async () => ({ id: "n1", author: { email: "ada@example.com" } }),
});
const registry = createActionRegistry([...builtinActions, note]);
const noteStep = (text: string, id = "note"): Step => ({ id, action: "crm.note", inputs: { text } });

const [trigger] = builtinTriggers;
if (!trigger) throw new Error("no listed provider has a catalogue trigger");
const [triggerInputs] = examplesOf(trigger);

const problemsOf = (workflow: unknown): string[] => {
  try {
    validateWorkflow(workflow, registry, triggerRegistry);
  } catch (error) {
    expect(IntegrationError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ type: "schema", code: "invalid_workflow" });
    return (error as Error).message.split("; ");
  }
  return [];
};

describe(`validateWorkflow: the trigger (${trigger.key})`, () => {
  it("accepts a known trigger with valid inputs, and a workflow without one", () => {
    const workflow: Workflow = {
      id: "wf",
      trigger: { key: trigger.key, inputs: triggerInputs },
      steps: [noteStep("New event")],
    };
    expect(validateWorkflow(workflow, registry, triggerRegistry)).toBe(workflow);
    expect(problemsOf({ id: "wf", steps: [noteStep("{{trigger.anything.goes}}")] })).toEqual([]);
  });

  it("names an unknown trigger key and the known ones", () => {
    const typo = trigger.key.slice(0, -1);
    const [problem = ""] = problemsOf({ id: "wf", trigger: { key: typo }, steps: [noteStep("x")] });
    const prefix = `trigger.key: Unknown trigger "${typo}": the registry has "${trigger.key}"`;
    expect(problem.slice(0, prefix.length)).toBe(prefix);
    expect(problemsOf({ id: "wf", trigger: trigger.key, steps: [noteStep("x")] })).toEqual([
      "trigger: must be an object with a key",
    ]);
  });

  it("names a bad trigger input (its example with a field of another type), alongside the steps' problems", () => {
    const schema = triggerRegistry.list().find((t) => t.key === trigger.key)?.inputSchema ?? {};
    const bad = invalidSamplesFrom(triggerInputs, schema).find((sample) => sample.field !== undefined);
    if (!bad) throw new Error(`no invalid input with a field can be derived from ${trigger.key}'s example`);
    const problems = problemsOf({
      id: "wf",
      trigger: { key: trigger.key, inputs: bad.input },
      steps: [noteStep("{{steps.nope.output.ts}}")],
    });
    expect(problems).toHaveLength(2);
    expect(problems[0]?.startsWith(`trigger.inputs.${bad.field}: `)).toBe(true);
    expect(problems[1]).toBe(
      'steps.0.inputs.text: "steps.nope.output.ts" references step "nope", but there is no such step',
    );
  });
});

describe("validateWorkflow: reference paths against schemas", () => {
  it("refuses an output field the action does not declare, naming the step, the input and the fields there are", () => {
    expect(
      problemsOf({ id: "wf", steps: [noteStep("first"), noteStep("{{steps.note.output.authr}}", "b")] }),
    ).toEqual([
      "steps.1.inputs.text: steps.note.output.authr is not an output of crm.note (it has: id, author)",
    ]);
    expect(
      problemsOf({ id: "wf", steps: [noteStep("first"), noteStep("{{steps.note.output.id.value}}", "b")] }),
    ).toEqual([
      "steps.1.inputs.text: steps.note.output.id.value is not an output of crm.note (steps.note.output.id is a plain value with no fields)",
    ]);
  });

  it.each(builtinTriggers.map((t) => [t.key, t] as const))(
    "%s: every field its payload JSON Schema lists is a reference a step may use",
    (key, definition) => {
      const payload = triggerRegistry.list().find((t) => t.key === key)?.payloadSchema;
      const fields = Object.keys((payload?.properties ?? {}) as Record<string, unknown>);
      expect(fields.length).toBeGreaterThan(0);
      const [inputs] = examplesOf(definition);
      const text = fields.map((field) => `{{trigger.${field}}}`).join(" ");
      expect(problemsOf({ id: "wf", trigger: { key, inputs }, steps: [noteStep(text)] })).toEqual([]);
    },
  );

  it("accepts references through optional, array and union fields of a declared output", () => {
    const lookup = defineAction({
      key: "crm.lookup",
      name: "Look up",
      provider: "crm",
      authType: "api_key",
      credential: { optional: true },
      inputSchema: z.object({ query: z.string() }),
      outputSchema: z.object({
        owner: z.object({ email: z.string() }).optional(),
        matches: z.array(z.object({ id: z.number(), tags: z.array(z.string()).nullable() })),
        status: z.union([
          z.object({ state: z.literal("found"), url: z.string() }),
          z.object({ state: z.literal("none") }),
        ]),
      }),
      run: async () => ({ matches: [], status: { state: "none" as const } }),
    });
    const withLookup = createActionRegistry([...builtinActions, note, lookup]);
    const steps: Step[] = [
      { id: "find", action: "crm.lookup", inputs: { query: "x" } },
      noteStep(
        "{{steps.find.output.owner.email}} {{steps.find.output.matches.0.tags.1}} {{steps.find.output.status.url}}",
      ),
    ];
    expect(validateWorkflow({ id: "wf", steps }, withLookup, triggerRegistry).steps).toBe(steps);
    const bad: Step[] = [
      steps[0] as Step,
      noteStep("{{steps.find.output.status.link}} {{steps.find.output.matches.id}}"),
    ];
    expect(() => validateWorkflow({ id: "wf", steps: bad }, withLookup, triggerRegistry)).toThrow(
      "steps.1.inputs.text: steps.find.output.status.link is not an output of crm.lookup (steps.find.output.status has: state, url); " +
        "steps.1.inputs.text: steps.find.output.matches.id is not an output of crm.lookup (steps.find.output.matches is a list: index it, e.g. steps.find.output.matches.0)",
    );
  });

  it("checks nothing against schemas for actions without an output schema, nor by default at run time", () => {
    const ping = defineAction({
      key: "crm.ping",
      name: "Ping",
      provider: "crm",
      authType: "api_key",
      credential: { optional: true },
      inputSchema: z.object({}),
      run: async () => ({ pong: true }),
    });
    const withPing = createActionRegistry([...builtinActions, note, ping]);
    const steps: Step[] = [
      { id: "ping", action: "crm.ping" },
      { id: "call", action: "http.request", inputs: { url: "https://example.test" } },
      noteStep("first"),
      noteStep(
        "{{steps.ping.output.anything.deep}} {{steps.call.output.body.any.field}} {{steps.call.output.headers.etag}} {{steps.note.output.authr}}",
        "use",
      ),
    ];
    // The run's own plan check stays structural: values are checked when they are resolved.
    expect(stepProblems(steps, withPing)).toEqual([]);
    expect(stepProblems(steps, withPing, { outputSchemas: true })).toEqual([
      "steps.3.inputs.text: steps.note.output.authr is not an output of crm.note (it has: id, author)",
    ]);
    expect(
      checkReferences([{ id: "a", inputs: { n: "{{trigger.x}}" } }], {
        trigger: { key: "custom.event", schema: z.object({ y: z.number() }) },
      }),
    ).toEqual(["steps.0.inputs.n: trigger.x is not in the payload of custom.event (it has: y)"]);
  });
});

import { describe, expect, it } from "vitest";
import { z } from "zod";
import { createActionRegistry, createTriggerRegistry, defineAction, defineTrigger } from "../src/index";

// `examples`: valid inputs, checked by the input schema when the action or trigger is defined, and published as
// the standard `examples` keyword at the root of the registry's input JSON Schema.

const say = {
  key: "echo.say",
  name: "Say",
  provider: "echo",
  authType: "api_key",
  inputSchema: z.object({ text: z.string().min(1), loud: z.boolean().default(false) }),
  run: async () => null,
} as const;

const said = {
  key: "echo.said",
  name: "Said",
  provider: "echo",
  inputSchema: z
    .object({ room: z.string().optional(), word: z.string().optional() })
    .refine((inputs) => inputs.word === undefined || inputs.room !== undefined, {
      message: "word needs room",
      path: ["room"],
    }),
  create: () => ({
    kind: "webhook" as const,
    provider: "echo",
    title: "Echo",
    matches: () => true,
    payloadOf: () => ({}),
  }),
};

describe("defineAction examples", () => {
  it("refuses an invalid example when the action is defined, naming the key, the example and the zod issue", () => {
    expect(() => defineAction({ ...say, examples: [{ text: "hello" }, { text: "" }] })).toThrow(
      'defineAction("echo.say"): examples[1] is not a valid input: text: Too small: expected string to have >=1 characters',
    );
    expect(() => defineAction({ ...say, examples: [{ text: "hi", loud: "yes" as never }] })).toThrow(
      /^defineAction\("echo\.say"\): examples\[0\] is not a valid input: loud: Invalid input: expected boolean/,
    );
    expect(() => defineAction({ ...say, examples: [] })).toThrow(
      'defineAction("echo.say"): examples must be a list of one or more valid inputs (or left out)',
    );
  });

  it("keeps the examples, frozen, and publishes them at the root of the input JSON Schema", () => {
    const action = defineAction({
      ...say,
      examples: [{ text: "Deploy finished" }, { text: "Hi", loud: true }],
    });
    expect(action.examples).toEqual([{ text: "Deploy finished" }, { text: "Hi", loud: true }]);
    expect(Object.isFrozen(action.examples)).toBe(true);
    const [metadata] = createActionRegistry([action]).list();
    expect(metadata?.inputSchema).toMatchObject({
      $schema: "https://json-schema.org/draft/2020-12/schema",
      type: "object",
      required: ["text"],
      // Inputs as a form produces them: before the schema's defaults.
      examples: [{ text: "Deploy finished" }, { text: "Hi", loud: true }],
    });
    expect(JSON.parse(JSON.stringify(metadata)).inputSchema.examples).toHaveLength(2);
  });

  it("an action without examples publishes no examples keyword", () => {
    const [metadata] = createActionRegistry([defineAction(say)]).list();
    expect(metadata?.inputSchema).not.toHaveProperty("examples");
  });
});

describe("defineTrigger examples", () => {
  it("refuses an invalid example, refinements included, naming the key and the zod issue", () => {
    expect(() => defineTrigger({ ...said, examples: [{}, { word: "hi" }] })).toThrow(
      'defineTrigger("echo.said"): examples[1] is not a valid input: room: word needs room',
    );
    expect(() => defineTrigger({ ...said, examples: [{ room: 7 as never }] })).toThrow(
      /^defineTrigger\("echo\.said"\): examples\[0\] is not a valid input: room: Invalid input: expected string/,
    );
  });

  it("publishes them at the root of the filters' JSON Schema", () => {
    const trigger = defineTrigger({ ...said, examples: [{ room: "R1" }, { room: "R1", word: "deploy" }] });
    expect(trigger.examples).toEqual([{ room: "R1" }, { room: "R1", word: "deploy" }]);
    const [metadata] = createTriggerRegistry([trigger, defineTrigger({ ...said, key: "echo.heard" })]).list();
    expect(metadata?.inputSchema).toMatchObject({
      type: "object",
      properties: { room: { type: "string" } },
      examples: [{ room: "R1" }, { room: "R1", word: "deploy" }],
    });
    expect(createTriggerRegistry([defineTrigger(said)]).list()[0]?.inputSchema).not.toHaveProperty(
      "examples",
    );
  });
});

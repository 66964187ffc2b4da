import { describe, expectTypeOf, it } from "vitest";
import { z } from "zod";
import { defineAction, defineTrigger } from "../src/index";

const inputSchema = z.object({ text: z.string(), count: z.number().default(1) });

describe("examples are typed as the input schema's input", () => {
  it("accepts inputs before defaults and refuses another shape", () => {
    const action = defineAction({
      key: "echo.say",
      name: "Say",
      provider: "echo",
      authType: "api_key",
      inputSchema,
      // `count` has a default: an example may leave it out, as a form may.
      examples: [{ text: "hi" }, { text: "hi", count: 2 }],
      run: async () => null,
    });
    expectTypeOf(action.examples).toEqualTypeOf<
      readonly { text: string; count?: number | undefined }[] | undefined
    >();
    defineAction({
      key: "echo.say",
      name: "Say",
      provider: "echo",
      authType: "api_key",
      inputSchema,
      // @ts-expect-error text is a string
      examples: [{ text: 42 }],
      run: async () => null,
    });
    defineAction({
      key: "echo.say",
      name: "Say",
      provider: "echo",
      authType: "api_key",
      inputSchema,
      // @ts-expect-error a misspelt field
      examples: [{ txt: "hi" }],
      run: async () => null,
    });
    defineTrigger({
      key: "echo.said",
      name: "Said",
      provider: "echo",
      inputSchema: z.object({ room: z.string().optional() }),
      // @ts-expect-error room is a string
      examples: [{ room: 7 }],
      create: () => ({
        kind: "webhook",
        provider: "echo",
        title: "Echo",
        matches: () => true,
        payloadOf: () => ({}),
      }),
    });
  });
});

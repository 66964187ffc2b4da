import { describe, expect, expectTypeOf, it } from "vitest";
import { z } from "zod";
import { defineAction, httpRequest } from "../src/index";

const base = {
  name: "Say",
  provider: "echo",
  authType: "api_key",
  inputSchema: z.object({ text: z.string() }),
  run: async () => null,
} as const;

describe("defineAction", () => {
  it.each([
    ["echo", /key must be "echo.<action>"/],
    ["other.say", /key must be "echo.<action>"/],
    ["echo.say.loud", /key must be "echo.<action>"/],
    ["echo.", /key must be "echo.<action>"/],
    ["echo.say-it", /key must be "echo.<action>"/],
  ])("refuses the key %s", (key, message) => {
    expect(() => defineAction({ ...base, key })).toThrow(message);
  });

  it("refuses an unknown auth type, a provider that is not a slug and a schema that is not zod", () => {
    expect(() => defineAction({ ...base, key: "echo.say", authType: "password" as "api_key" })).toThrow(
      /authType must be one or more of oauth2, api_key, bearer_token/,
    );
    expect(() => defineAction({ ...base, key: "Echo.say", provider: "Echo" })).toThrow(/lowercase slug/);
    expect(() => defineAction({ ...base, key: "echo.say", inputSchema: {} as unknown as z.ZodType })).toThrow(
      /inputSchema must be a zod schema/,
    );
  });

  it("keeps the spec-002 shape and normalizes authTypes", () => {
    const action = defineAction({ ...base, key: "echo.say" });
    expect(action).toMatchObject({ key: "echo.say", name: "Say", provider: "echo", authType: "api_key" });
    expect(action.authTypes).toEqual(["api_key"]);
    expect(Object.isFrozen(action)).toBe(true);
  });

  it("types ctx.inputs from the schema and narrows ctx.auth to the accepted types", () => {
    defineAction({
      key: "echo.typed",
      name: "Typed",
      provider: "echo",
      authType: ["oauth2", "bearer_token"],
      inputSchema: z.object({ count: z.number().default(1), label: z.string().optional() }),
      run: async (ctx) => {
        expectTypeOf(ctx.inputs).toEqualTypeOf<{ count: number; label?: string | undefined }>();
        expectTypeOf(ctx.auth.type).toEqualTypeOf<"oauth2" | "bearer_token">();
        // @ts-expect-error an oauth2/bearer_token credential has no api_key
        ctx.auth.api_key;
        expectTypeOf(ctx.tenantId).toBeString();
        expectTypeOf(ctx.stepId).toBeString();
        expectTypeOf(ctx.provider).toBeString();
        return { ok: true };
      },
    });
    defineAction({
      key: "echo.optional",
      name: "Optional auth",
      provider: "echo",
      authType: "api_key",
      credential: { optional: true },
      inputSchema: z.object({}),
      run: async (ctx) => {
        expectTypeOf(ctx.auth).toEqualTypeOf<
          | {
              provider: string;
              type: "api_key";
              api_key: string;
              additional_fields?: Record<string, string>;
              connection_id?: string;
            }
          | undefined
        >();
        return null;
      },
    });
    const notify = defineAction({
      key: "echo.notify",
      name: "Notify",
      provider: "echo",
      authType: ["oauth2", "bearer_token"],
      inputSchema: z.object({}),
      run: async () => null,
    });
    expectTypeOf(notify.authTypes).toEqualTypeOf<readonly ("oauth2" | "bearer_token")[]>();
    expectTypeOf(httpRequest.key).toBeString();
  });
});

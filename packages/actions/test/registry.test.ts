import { describe, expect, it } from "vitest";
import { z } from "zod";
import {
  type ActionMetadata,
  createActionRegistry,
  defineAction,
  httpRequest,
  UnknownActionError,
} from "../src/index";

describe("createActionRegistry", () => {
  const echo = defineAction({
    key: "echo.say",
    name: "Say",
    provider: "echo",
    authType: "api_key",
    inputSchema: z.object({ text: z.string() }),
    run: async ({ inputs }) => ({ said: inputs.text }),
  });

  it("refuses a key registered twice", () => {
    expect(() => createActionRegistry([echo, echo])).toThrow('Action "echo.say" is registered twice');
  });

  it("builds a registry of custom actions, listed with display metadata and JSON Schemas", () => {
    const registry = createActionRegistry([httpRequest, echo]);
    expect(registry.keys).toEqual(["http.request", "echo.say"]);
    expect(registry.has("echo.say")).toBe(true);
    expect(registry.list().at(-1)).toMatchObject({
      key: "echo.say",
      name: "Say",
      provider: "echo",
      authType: ["api_key"],
      authOptional: false,
      inputSchema: { type: "object", required: ["text"] },
    } satisfies Partial<ActionMetadata>);
    expect(registry.list().at(-1)).not.toHaveProperty("outputSchema");
    expect(registry.get("http.request").credential?.optional).toBe(true);
    expect(JSON.parse(JSON.stringify(registry))).toEqual(registry.list());
  });

  it("get() names the unknown key and the known ones", () => {
    const registry = createActionRegistry([echo]);
    expect(() => registry.get("echo.sya")).toThrow(UnknownActionError);
    expect(() => registry.get("echo.sya")).toThrow(/Unknown action "echo.sya": the registry has "echo.say"/);
    expect(() => createActionRegistry([]).get("echo.say")).toThrow("the registry has no actions");
  });
});

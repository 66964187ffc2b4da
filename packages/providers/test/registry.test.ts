import { type ActionMetadata, defineAction, UnknownActionError } from "@autoflow/actions";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { builtinActions, integrationRegistry, PROVIDERS } from "../src/index";
import { expectSchemaAgreesWithZod, invalidSamplesFrom } from "./json-schema-check";

describe("integrationRegistry", () => {
  it("lists every built-in action with display metadata", () => {
    expect(integrationRegistry.keys).toEqual(builtinActions.map((a) => a.key));
    for (const action of builtinActions) {
      expect(integrationRegistry.list().find((a) => a.key === action.key)).toMatchObject({
        key: action.key,
        name: action.name,
        provider: action.provider,
        authType: action.authTypes,
        authOptional: action.credential?.optional === true,
        description: expect.any(String),
      } satisfies Partial<ActionMetadata>);
    }
    expect(integrationRegistry.get("http.request").credential?.optional).toBe(true);
    expect(JSON.parse(JSON.stringify(integrationRegistry))).toHaveLength(builtinActions.length);
  });

  it.each(integrationRegistry.list().map((a) => [a.key, a] as const))(
    "%s: its JSON Schemas compile with ajv (draft 2020-12); ajv and zod accept its examples and refuse inputs derived from them",
    (key, metadata) => {
      expectSchemaAgreesWithZod(integrationRegistry.get(key), metadata.inputSchema, [metadata.outputSchema]);
    },
  );

  it("an action without examples fails that check, naming its key", () => {
    const ping = defineAction({
      key: "crm.ping",
      name: "Ping",
      provider: "crm",
      authType: "api_key",
      inputSchema: z.object({ message: z.string() }),
      run: async () => null,
    });
    expect(() => expectSchemaAgreesWithZod(ping, z.toJSONSchema(ping.inputSchema))).toThrow(
      "crm.ping has no examples: give its definition one or two valid inputs (`examples`)",
    );
  });

  it("derives invalid inputs from an example: another root type, the first required field gone, each typed field of another type", () => {
    const schema = z.toJSONSchema(
      z.object({ id: z.int(), tags: z.array(z.string()).optional(), note: z.unknown().optional() }),
    );
    expect(invalidSamplesFrom({ id: 1, tags: ["a"] }, schema)).toEqual([
      { change: "the input is not of type object", input: "not an object" },
      { change: "without id", field: "id", input: { tags: ["a"] } },
      { change: "id is not of type integer", field: "id", input: { id: "not a number", tags: ["a"] } },
      { change: "tags is not of type array", field: "tags", input: { id: 1, tags: "not a list" } },
    ]);
  });

  it("get() names the unknown key and the known ones", () => {
    // The first listed provider's first action, misspelt.
    const [first = ""] = integrationRegistry.keys;
    const typo = first.slice(0, -1);
    expect(() => integrationRegistry.get(typo)).toThrow(UnknownActionError);
    expect(() => integrationRegistry.get(typo)).toThrow(
      `Unknown action "${typo}": the registry has "${first}"`,
    );
  });
});

describe("builtinActions", () => {
  it("is every listed provider's actions, in list order, then http.request", () => {
    expect(builtinActions.map((a) => a.key)).toEqual([
      ...PROVIDERS.flatMap((provider) => provider.actions.map((a) => a.key)),
      "http.request",
    ]);
    for (const provider of PROVIDERS) {
      for (const action of provider.actions) expect(action.provider).toBe(provider.id);
    }
  });
});

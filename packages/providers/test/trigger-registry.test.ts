import { createWorkflowTrigger, type TriggerMetadata, UnknownTriggerError } from "@autoflow/actions";
import { describe, expect, it } from "vitest";
import { builtinTriggers, PROVIDERS, triggerRegistry } from "../src/index";
import { examplesOf, expectSchemaAgreesWithZod } from "./json-schema-check";

describe("triggerRegistry", () => {
  it("lists every built-in trigger with display metadata", () => {
    expect(triggerRegistry.keys).toEqual(PROVIDERS.flatMap((p) => p.triggers.map((t) => t.key)));
    expect(triggerRegistry.keys).toEqual(builtinTriggers.map((t) => t.key));
    for (const trigger of builtinTriggers) {
      expect(triggerRegistry.list().find((t) => t.key === trigger.key)).toMatchObject({
        key: trigger.key,
        name: trigger.name,
        provider: trigger.provider,
        description: expect.any(String),
        inputSchema: { type: "object" },
      } satisfies Partial<TriggerMetadata>);
    }
    for (const provider of PROVIDERS) {
      for (const trigger of provider.triggers) expect(trigger.provider).toBe(provider.id);
    }
    expect(JSON.parse(JSON.stringify(triggerRegistry))).toEqual(triggerRegistry.list());
  });

  it.each(triggerRegistry.list().map((t) => [t.key, t] as const))(
    "%s: its input and payload JSON Schemas compile with ajv (draft 2020-12); ajv and zod accept its examples and refuse inputs derived from them",
    (key, metadata) => {
      expectSchemaAgreesWithZod(triggerRegistry.get(key), metadata.inputSchema, [metadata.payloadSchema]);
      // Every built-in declares the payload fields steps may reference.
      expect(metadata.payloadSchema?.type).toBe("object");
    },
  );

  it("get() names the unknown key and the known ones", () => {
    // The first listed provider's first trigger, misspelt.
    const [first = "", second = ""] = triggerRegistry.keys;
    const typo = first.slice(0, -1);
    expect(() => triggerRegistry.get(typo)).toThrow(UnknownTriggerError);
    expect(() => triggerRegistry.get(typo)).toThrow(
      `Unknown trigger "${typo}": the registry has "${first}", "${second}"`,
    );
  });
});

describe("createWorkflowTrigger", () => {
  it.each(builtinTriggers.map((t) => [t.key, t] as const))(
    "%s: each example builds the provider's trigger of its kind, with a title",
    (key, definition) => {
      for (const inputs of examplesOf(definition)) {
        const trigger = createWorkflowTrigger({ key, inputs }, triggerRegistry);
        expect(trigger).toMatchObject({ kind: definition.kind ?? "webhook", provider: definition.provider });
        // A catalogue entry's trigger reports the entry's key where it reports one (health shows it).
        if (trigger.key !== undefined) expect(trigger.key).toBe(key);
        expect(trigger.title).toEqual(expect.any(String));
      }
    },
  );
});

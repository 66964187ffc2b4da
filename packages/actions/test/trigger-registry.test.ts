import { IntegrationError } from "@autoflow/core";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import {
  createTriggerRegistry,
  createWorkflowTrigger,
  defineTrigger,
  type TriggerMetadata,
  UnknownTriggerError,
} from "../src/index";

const noop = {
  kind: "webhook",
  provider: "echo",
  title: "Echo",
  matches: () => true,
  payloadOf: () => ({}),
} as const;

describe("defineTrigger and createTriggerRegistry", () => {
  const echo = defineTrigger({
    key: "echo.said",
    name: "Echo said",
    provider: "echo",
    inputSchema: z.object({ word: z.string().min(1) }),
    create: ({ word }) => ({ ...noop, title: `Echo: ${word}` }),
  });

  it("checks the key against the provider, the name, the schemas and create", () => {
    const base = {
      key: "echo.said",
      name: "Said",
      provider: "echo",
      inputSchema: z.object({}),
      create: () => noop,
    };
    expect(() => defineTrigger({ ...base, key: "other.said" })).toThrow('key must be "echo.<trigger>"');
    expect(() => defineTrigger({ ...base, key: "echo.said.more" })).toThrow('key must be "echo.<trigger>"');
    expect(() => defineTrigger({ ...base, key: "echo" })).toThrow('key must be "echo.<trigger>"');
    expect(() => defineTrigger({ ...base, provider: "Echo", key: "Echo.said" })).toThrow("lowercase slug");
    expect(() => defineTrigger({ ...base, name: "" })).toThrow("name is required");
    expect(() => defineTrigger({ ...base, inputSchema: {} as never })).toThrow(
      "inputSchema must be a zod schema",
    );
    expect(() => defineTrigger({ ...base, payloadSchema: {} as never })).toThrow(
      "payloadSchema must be a zod schema",
    );
    expect(() => defineTrigger({ ...base, create: undefined as never })).toThrow("create must be a function");
    expect(Object.isFrozen(echo)).toBe(true);
  });

  it("refuses a key registered twice, and builds a registry of custom triggers", () => {
    expect(() => createTriggerRegistry([echo, echo])).toThrow('Trigger "echo.said" is registered twice');
    const registry = createTriggerRegistry([echo]);
    expect(registry.has("echo.said")).toBe(true);
    expect(registry.list().at(-1)).toMatchObject({ key: "echo.said", provider: "echo" });
    expect(registry.list().at(-1)).not.toHaveProperty("payloadSchema");
    expect(createWorkflowTrigger({ key: "echo.said", inputs: { word: "hi" } }, registry).title).toBe(
      "Echo: hi",
    );
  });
});

describe("createWorkflowTrigger", () => {
  const room = defineTrigger({
    key: "echo.roomMessage",
    name: "Room message",
    provider: "echo",
    inputSchema: z.object({
      room: z
        .string()
        .regex(/^R[0-9]+$/, "must be a room id such as R1")
        .optional(),
      owner: z.string().optional(),
      repo: z.string().optional(),
    }),
    payloadSchema: z.object({ text: z.string() }),
    create: ({ room, owner, repo }) => {
      // A factory's own check, as the provider factories make them.
      if (repo !== undefined && owner === undefined) throw new TypeError("repo needs owner");
      return { ...noop, title: room === undefined ? "Echo: any room" : `Echo: message in ${room}` };
    },
  });
  const registry = createTriggerRegistry([room]);
  const failure = (run: () => unknown) => {
    try {
      run();
    } catch (error) {
      return error;
    }
    throw new Error("expected createWorkflowTrigger to throw");
  };

  it("builds the trigger through its definition's factory, and lists it with its JSON Schemas", () => {
    expect(
      createWorkflowTrigger({ key: "echo.roomMessage", inputs: { room: "R1" } }, registry),
    ).toMatchObject({
      kind: "webhook",
      provider: "echo",
      title: "Echo: message in R1",
    });
    expect(createWorkflowTrigger({ key: "echo.roomMessage" }, registry).title).toBe("Echo: any room");
    expect(registry.list()[0]).toMatchObject({
      key: "echo.roomMessage",
      provider: "echo",
      inputSchema: { type: "object", properties: { room: { type: "string" } } },
      payloadSchema: { type: "object", required: ["text"] },
    } satisfies Partial<TriggerMetadata>);
  });

  it("bad inputs, and a factory's refusal, are a `schema` IntegrationError naming the field", () => {
    const bad = failure(() =>
      createWorkflowTrigger({ key: "echo.roomMessage", inputs: { room: 7 } }, registry),
    );
    expect(IntegrationError.isInstance(bad)).toBe(true);
    expect(bad).toMatchObject({ type: "schema", code: "invalid_trigger" });
    expect((bad as Error).message).toMatch(/^trigger\.inputs\.room: /);
    const pattern = failure(() =>
      createWorkflowTrigger({ key: "echo.roomMessage", inputs: { room: "#general" } }, registry),
    );
    expect((pattern as Error).message).toMatch(/^trigger\.inputs\.room: must be a room id/);
    const orphan = failure(() =>
      createWorkflowTrigger({ key: "echo.roomMessage", inputs: { repo: "hello" } }, registry),
    );
    expect((orphan as Error).message).toBe("trigger.inputs: repo needs owner");
  });

  it("an unknown key is a `schema` IntegrationError naming the known keys", () => {
    const unknown = failure(() => createWorkflowTrigger({ key: "echo.roomMesage" }, registry));
    expect(unknown).toMatchObject({ type: "schema", code: "invalid_trigger" });
    expect((unknown as Error).message).toBe(
      'trigger.key: Unknown trigger "echo.roomMesage": the registry has "echo.roomMessage"',
    );
    expect(UnknownTriggerError.isInstance((unknown as Error).cause)).toBe(true);
    expect(() => registry.get("echo.roomMesage")).toThrow(UnknownTriggerError);
  });
});

import { createWorkflowTrigger, type TriggerMetadata, UnknownTriggerError } from "@autoflow/actions";
import { describe, expect, it } from "vitest";
import { builtinTriggers, PROVIDERS, triggerRegistry } from "../src/index";
import { expectSchemaAgreesWithZod, type InputSample } from "./json-schema-check";

/** Valid and invalid inputs per trigger: each registry trigger must have one here, so a new one cannot skip the check. */
const SAMPLES: Record<string, InputSample> = {
  "github.issueOpened": { valid: { owner: "octo-org", repo: "hello" }, invalid: { owner: "" } },
  "github.push": { valid: { owner: "octo-org", repo: "hello", ref: "main" }, invalid: { owner: "octo-org" } },
  "github.pullRequest": {
    valid: { owner: "octo-org", repo: "hello", action: "opened" },
    invalid: { owner: "octo-org", repo: "hello", action: "merged" },
  },
  "slack.message": {
    valid: { channel: "C0001", includeBots: true, subtypes: ["message_changed"] },
    invalid: { channel: "#general" },
  },
  "slack.reactionAdded": { valid: { channel: "C0001", reaction: "eyes" }, invalid: { reaction: "" } },
  "slack.appMention": { valid: { channel: "G0123ABC" }, invalid: { channel: 42 } },
};

describe("triggerRegistry", () => {
  it("lists every built-in trigger with display metadata", () => {
    expect(triggerRegistry.keys).toEqual([
      "slack.message",
      "slack.reactionAdded",
      "slack.appMention",
      "github.issueOpened",
      "github.push",
      "github.pullRequest",
    ]);
    expect(triggerRegistry.keys).toEqual(PROVIDERS.flatMap((p) => p.triggers.map((t) => t.key)));
    expect(triggerRegistry.keys).toEqual(builtinTriggers.map((t) => t.key));
    expect(triggerRegistry.list().find((t) => t.key === "github.issueOpened")).toMatchObject({
      key: "github.issueOpened",
      name: "New GitHub issue",
      provider: "github",
      description: expect.any(String),
      inputSchema: { type: "object", properties: { owner: { type: "string" }, repo: { type: "string" } } },
    } satisfies Partial<TriggerMetadata>);
    expect(JSON.parse(JSON.stringify(triggerRegistry))).toEqual(triggerRegistry.list());
  });

  it.each(triggerRegistry.list().map((t) => [t.key, t] as const))(
    "%s: its input and payload JSON Schemas compile with ajv (draft 2020-12) and agree with zod on samples",
    (key, metadata) => {
      expectSchemaAgreesWithZod(key, metadata.inputSchema, triggerRegistry.get(key).inputSchema, SAMPLES, [
        metadata.payloadSchema,
      ]);
      // Every built-in declares the payload fields steps may reference.
      expect(metadata.payloadSchema?.type).toBe("object");
    },
  );

  it("get() names the unknown key and the known ones", () => {
    expect(() => triggerRegistry.get("github.issueOpen")).toThrow(UnknownTriggerError);
    expect(() => triggerRegistry.get("github.issueOpen")).toThrow(
      /Unknown trigger "github.issueOpen": the registry has "slack.message", .*"github.issueOpened", "github.push"/,
    );
  });
});

describe("createWorkflowTrigger", () => {
  it("builds the provider's trigger, titled by the provider factory", () => {
    const trigger = createWorkflowTrigger(
      { key: "github.issueOpened", inputs: { owner: "octo-org", repo: "hello" } },
      triggerRegistry,
    );
    expect(trigger).toMatchObject({
      kind: "webhook",
      provider: "github",
      title: "GitHub: issue opened in octo-org/hello",
    });
    expect(
      createWorkflowTrigger({ key: "github.issueOpened" }, triggerRegistry).registration,
    ).toBeUndefined();
    expect(
      createWorkflowTrigger({ key: "slack.message", inputs: { channel: "C0001" } }, triggerRegistry).title,
    ).toBe("Slack: new message in C0001");
  });
});

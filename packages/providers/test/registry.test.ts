import { type ActionMetadata, UnknownActionError } from "@autoflow/actions";
import { describe, expect, it } from "vitest";
import { builtinActions, integrationRegistry, PROVIDERS } from "../src/index";
import { expectSchemaAgreesWithZod, type InputSample } from "./json-schema-check";

/** A valid input per action: each registry action must have one here, so a new action cannot skip the check. */
const SAMPLES: Record<string, InputSample> = {
  "slack.sendMessage": {
    valid: { channel: "C0001", text: "hi", thread_ts: "1.2", blocks: [{ type: "divider" }] },
    invalid: { channel: "", text: "hi" },
  },
  "slack.addReaction": {
    valid: { channel: "C0001", timestamp: "1.2", name: "tada" },
    invalid: { channel: "C0001", name: "tada" },
  },
  "github.createIssue": {
    valid: { owner: "octo-org", repo: "hello", title: "Bug", labels: ["bug"], assignees: ["octocat"] },
    invalid: { owner: "octo-org", repo: "hello", title: "Bug", labels: "bug" },
  },
  "github.createComment": {
    valid: { owner: "octo-org", repo: "hello", issue_number: 1, body: "hi" },
    invalid: { owner: "octo-org", repo: "hello", issue_number: 1.5, body: "hi" },
  },
  "http.request": {
    valid: { method: "POST", url: "https://example.test/x", headers: { a: "b" }, body: { n: 1 } },
    invalid: { method: "BREW", url: "https://example.test/x" },
  },
};

describe("integrationRegistry", () => {
  it("lists every built-in action with display metadata", () => {
    expect(integrationRegistry.keys).toEqual(builtinActions.map((a) => a.key));
    expect(integrationRegistry.list().find((a) => a.key === "slack.sendMessage")).toMatchObject({
      key: "slack.sendMessage",
      name: "Send message",
      provider: "slack",
      authType: ["oauth2", "bearer_token"],
      authOptional: false,
      description: expect.any(String),
    } satisfies Partial<ActionMetadata>);
    expect(integrationRegistry.get("http.request").credential?.optional).toBe(true);
    expect(JSON.parse(JSON.stringify(integrationRegistry))).toHaveLength(builtinActions.length);
  });

  it.each(integrationRegistry.list().map((a) => [a.key, a] as const))(
    "%s: its JSON Schemas compile with ajv (draft 2020-12) and agree with zod on samples",
    (key, metadata) => {
      expectSchemaAgreesWithZod(
        key,
        metadata.inputSchema,
        integrationRegistry.get(key).inputSchema,
        SAMPLES,
        [metadata.outputSchema],
      );
    },
  );

  it("describes fields for the form: required fields, descriptions, the http method's default", () => {
    const send = integrationRegistry.list().find((a) => a.key === "slack.sendMessage")?.inputSchema;
    expect(send).toMatchObject({
      type: "object",
      required: ["channel", "text"],
      properties: { channel: { type: "string", minLength: 1, description: expect.any(String) } },
    });
    const http = integrationRegistry.list().find((a) => a.key === "http.request")?.inputSchema;
    expect(http).toMatchObject({ properties: { method: { default: "GET" } } });
    expect((http as { required?: string[] }).required).toEqual(["url"]);
  });

  it("get() names the unknown key and the known ones", () => {
    expect(() => integrationRegistry.get("slack.sendMesage")).toThrow(UnknownActionError);
    expect(() => integrationRegistry.get("slack.sendMesage")).toThrow(
      /Unknown action "slack.sendMesage": the registry has "slack.sendMessage"/,
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

import { describe, expect, it } from "vitest";
import {
  DEFAULT_MAX_JSON_DEPTH,
  exceedsJsonDepth,
  parseJsonWithinDepth,
  valueExceedsJsonDepth,
} from "./json-depth";
import { handleWebhook } from "./triggers/webhook-handler";
import type { WebhookInbox } from "./triggers/webhook-inbox";
import { parseJsonBody, type WebhookVerifier } from "./triggers/webhook-verifier";

const nested = (depth: number, open = "[", close = "]") => open.repeat(depth) + close.repeat(depth);
const nestedObject = (depth: number) => `${'{"a":'.repeat(depth)}1${"}".repeat(depth)}`;

describe("exceedsJsonDepth", () => {
  it("counts objects and arrays, and accepts exactly the bound", () => {
    expect(exceedsJsonDepth("1", 0)).toBe(false);
    expect(exceedsJsonDepth("{}", 0)).toBe(true);
    expect(exceedsJsonDepth(nested(3), 3)).toBe(false);
    expect(exceedsJsonDepth(nested(4), 3)).toBe(true);
    expect(exceedsJsonDepth(nestedObject(64), 64)).toBe(false);
    expect(exceedsJsonDepth(nestedObject(65), 64)).toBe(true);
    // Siblings do not add up: depth is how far in, not how many.
    expect(exceedsJsonDepth(JSON.stringify([[1], [2], { a: [3] }]), 3)).toBe(false);
  });

  it("ignores brackets inside strings, including after escaped quotes and backslashes", () => {
    expect(exceedsJsonDepth(JSON.stringify({ text: "[[[[[[{{{{{{" }), 1)).toBe(false);
    expect(exceedsJsonDepth(JSON.stringify({ text: 'say \\"[[[[ and \\\\' }), 1)).toBe(false);
    expect(exceedsJsonDepth(JSON.stringify(["\\", [[]]]), 2)).toBe(true);
  });

  it("answers for 100,000 levels without a stack overflow, with the default bound 64", () => {
    expect(DEFAULT_MAX_JSON_DEPTH).toBe(64);
    expect(exceedsJsonDepth(nested(100_000))).toBe(true);
    expect(exceedsJsonDepth(nestedObject(100_000))).toBe(true);
  });
});

describe("parseJsonWithinDepth", () => {
  it("parses JSON within the bound", () => {
    expect(parseJsonWithinDepth('{"a":[1,{"b":null}]}', 3)).toEqual({
      ok: true,
      value: { a: [1, { b: null }] },
    });
  });

  it("refuses deep JSON with a message naming the bound, and text that is not JSON", () => {
    expect(parseJsonWithinDepth(nested(100_000), 64)).toEqual({
      ok: false,
      reason: "too_deep",
      message: "nests deeper than 64 levels",
    });
    expect(parseJsonWithinDepth("{nope", 64)).toMatchObject({ ok: false, reason: "not_json" });
  });
});

describe("valueExceedsJsonDepth", () => {
  it("walks a parsed value of 100,000 levels without recursion", () => {
    const deep = JSON.parse(nested(100_000)) as unknown;
    expect(valueExceedsJsonDepth(deep, 64)).toBe(true);
    expect(valueExceedsJsonDepth({ a: [{ b: 1 }] }, 3)).toBe(false);
    expect(valueExceedsJsonDepth({ a: [{ b: {} }] }, 3)).toBe(true);
    expect(valueExceedsJsonDepth("text", 0)).toBe(false);
  });
});

describe("handleWebhook and nesting", () => {
  const stored: unknown[] = [];
  const inbox = {
    async accept(delivery: unknown) {
      // What a real inbox does with the payload; it overflows the stack on deep input.
      stored.push(JSON.stringify(delivery));
      return "accepted" as const;
    },
  } as unknown as WebhookInbox;
  const verifier: WebhookVerifier = {
    provider: "acme",
    verify: ({ body }) => ({
      kind: "delivery",
      delivery: { provider: "acme", deliveryId: "d-1", event: "ping", payload: parseJsonBody(body) },
    }),
  };
  const send = (text: string, maxJsonDepth?: number) =>
    handleWebhook(
      { verifier, inbox, ...(maxJsonDepth !== undefined && { maxJsonDepth }) },
      new Headers(),
      new TextEncoder().encode(text),
    );

  it("answers a 100,000-level payload with 400 not_json (not retried), storing nothing", async () => {
    stored.length = 0;
    expect(await send(`{"a":${nested(100_000)}}`)).toEqual({
      status: 400,
      body: { ok: false, error: "not_json" },
    });
    expect(stored).toEqual([]);
  });

  it("takes a configured bound: 3 levels accepted at 3, refused at 2", async () => {
    expect(await send('{"a":{"b":[1]}}', 3)).toEqual({ status: 200, body: { ok: true } });
    expect(await send('{"a":{"b":[1]}}', 2)).toEqual({ status: 400, body: { ok: false, error: "not_json" } });
  });
});

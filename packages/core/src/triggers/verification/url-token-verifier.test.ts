import { describe, expect, it, vi } from "vitest";
import type { Json } from "../../json";
import { handleWebhook } from "../webhook-handler";
import { MemoryWebhookInbox } from "../webhook-inbox";
import { type VerifiedWebhook, WebhookRejection, type WebhookRequest } from "../webhook-verifier";
import { createUrlTokenVerifier, generateUrlToken } from "./url-token-verifier";

const TOKEN = "c2VjcmV0LXRva2VuLW9uZS0wMDAwMDAwMDAwMDAwMDAw";
const NEXT = "bmV4dC10b2tlbi10d28tMDAwMDAwMDAwMDAwMDAwMDAw";
const NOW = 1_500_000_000_000;

// These verifiers answer synchronously (the webhook intake relies on it): a promise here fails the test.
function sync(result: VerifiedWebhook | Promise<VerifiedWebhook>): VerifiedWebhook {
  if (result instanceof Promise) throw new Error("verify answered with a promise");
  return result;
}

const toDelivery = (json: Json): VerifiedWebhook => ({
  kind: "delivery",
  delivery: { provider: "test", deliveryId: "d-1", event: "changed", payload: json },
});

// A token the route passes on, e.g. taken from `/webhooks/:provider/:connectionId/:token`.
const headerToken = (tokens: readonly string[] = [TOKEN], seen = vi.fn(toDelivery)) =>
  createUrlTokenVerifier({
    provider: "test",
    tokens,
    readToken: ({ headers }) => headers.get("x-url-token") ?? undefined,
    toDelivery: seen,
  });

const request = (token: string | undefined, body = '{"value":[]}'): WebhookRequest => ({
  headers: new Headers(token === undefined ? {} : { "x-url-token": token }),
  body: new TextEncoder().encode(body),
});

function rejection(verify: () => unknown) {
  try {
    verify();
  } catch (error) {
    if (WebhookRejection.isInstance(error)) return error.code;
    throw error;
  }
  throw new Error("accepted");
}

describe("createUrlTokenVerifier", () => {
  it("accepts the token, and the second one during a rotation, and hands the parsed body to toDelivery", () => {
    const seen = vi.fn(toDelivery);
    const verifier = headerToken([TOKEN, NEXT], seen);
    for (const token of [TOKEN, NEXT])
      expect(sync(verifier.verify(request(token), NOW)).kind).toBe("delivery");
    expect(seen).toHaveBeenCalledWith({ value: [] }, expect.any(Headers));
    expect(verifier.provider).toBe("test");
  });

  it.each([
    ["no token", undefined, "missing_signature"],
    ["an empty token", "", "missing_signature"],
    ["another token of the same length", TOKEN.replace("c2", "d2"), "bad_signature"],
    ["a prefix of the token", TOKEN.slice(0, 10), "bad_signature"],
    ["the token twice", TOKEN + TOKEN, "bad_signature"],
    ["the token once its rotation is over", NEXT, "bad_signature"],
  ])("refuses %s, without a RangeError", (_name, token, code) => {
    expect(rejection(() => headerToken().verify(request(token), NOW))).toBe(code);
  });

  it("checks the token before parsing: a non-JSON body is 401 with a bad token, 400 with a good one", async () => {
    const seen = vi.fn(toDelivery);
    const verifier = headerToken([TOKEN], seen);
    const intake = (token: string) => {
      const { headers, body } = request(token, "not json");
      return handleWebhook({ verifier, inbox: new MemoryWebhookInbox(), now: () => NOW }, headers, body);
    };
    expect(await intake("wrong")).toEqual({ status: 401, body: { ok: false, error: "bad_signature" } });
    expect(await intake(TOKEN)).toEqual({ status: 400, body: { ok: false, error: "not_json" } });
    expect(seen).not.toHaveBeenCalled();
  });

  it("verifies Microsoft Graph's clientState, echoed in every notification of the body", () => {
    const graph = createUrlTokenVerifier({
      provider: "microsoft-graph",
      tokens: [TOKEN],
      readToken: ({ body }) => {
        try {
          const { value } = JSON.parse(new TextDecoder().decode(body)) as {
            value: { clientState?: string }[];
          };
          const states = new Set(value.map((n) => n.clientState));
          // Every notification must carry the same clientState, or the batch is not ours as a whole.
          return states.size === 1 ? [...states][0] : undefined;
        } catch {
          return undefined;
        }
      },
      toDelivery,
    });
    const batch = (...states: string[]) => ({
      headers: new Headers(),
      body: new TextEncoder().encode(
        JSON.stringify({ value: states.map((clientState) => ({ clientState, changeType: "updated" })) }),
      ),
    });
    expect(sync(graph.verify(batch(TOKEN, TOKEN), NOW)).kind).toBe("delivery");
    expect(rejection(() => graph.verify(batch(TOKEN, "forged"), NOW))).toBe("missing_signature");
    expect(rejection(() => graph.verify(batch("forged"), NOW))).toBe("bad_signature");
  });

  it("refuses a body over maxBodyBytes before reading the token", () => {
    const readToken = vi.fn(() => TOKEN);
    const verifier = createUrlTokenVerifier({
      provider: "test",
      tokens: [TOKEN],
      readToken,
      toDelivery,
      maxBodyBytes: 4,
    });
    expect(rejection(() => verifier.verify(request(TOKEN), NOW))).toBe("too_large");
    expect(readToken).not.toHaveBeenCalled();
  });

  it("refuses to be built without a token, or with an empty one", () => {
    expect(() => headerToken([])).toThrow(/`tokens` needs at least one token/);
    expect(() => headerToken([TOKEN, ""])).toThrow(TypeError);
  });
});

describe("generateUrlToken", () => {
  it("makes 43-character base64url tokens (32 random bytes), a different one each time", () => {
    const tokens = Array.from({ length: 50 }, generateUrlToken);
    for (const token of tokens) {
      expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(Buffer.from(token, "base64url")).toHaveLength(32);
    }
    expect(new Set(tokens).size).toBe(tokens.length);
  });
});

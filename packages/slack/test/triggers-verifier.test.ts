import { createHmac } from "node:crypto";
import { handleWebhook, MemoryWebhookInbox, WebhookRejection } from "@autoflow/core";
import { describe, expect, it } from "vitest";
import { createSlackWebhookVerifier } from "../src/index";

const SECRET = "8f742231b10e8888abcd99yyyzzz85a5";
const NEXT_SECRET = "a-rotated-in-signing-secret-0002";
const NOW = 1_700_000_000_000;
const nowSeconds = NOW / 1000;

// Slack's documented scheme, written out independently of the verifier under test.
const sign = (secret: string, timestamp: number, body: string | Uint8Array) =>
  `v0=${createHmac("sha256", secret).update(`v0:${timestamp}:`).update(body).digest("hex")}`;

const envelope = {
  token: "legacy-verification-token",
  team_id: "T01ACME000",
  api_app_id: "A0001",
  type: "event_callback",
  event_id: "Ev0123456789",
  event_time: nowSeconds,
  event: { type: "message", subtype: "message_changed", channel: "C01GENERAL", ts: "1700000000.000100" },
};

function request(
  body: string | Uint8Array,
  {
    secret = SECRET,
    timestamp = nowSeconds,
    signature,
  }: { secret?: string; timestamp?: number; signature?: string | null } = {},
) {
  const bytes = typeof body === "string" ? new TextEncoder().encode(body) : body;
  const headers = new Headers({
    "content-type": "application/json",
    "x-slack-request-timestamp": String(timestamp),
  });
  const value = signature === undefined ? sign(secret, timestamp, bytes) : signature;
  if (value !== null) headers.set("x-slack-signature", value);
  return { headers, body: bytes };
}

const verifier = createSlackWebhookVerifier({ signingSecrets: [SECRET] });

async function intake(req: { headers: Headers; body: Uint8Array }, v = verifier) {
  const inbox = new MemoryWebhookInbox();
  const response = await handleWebhook({ verifier: v, inbox, now: () => NOW }, req.headers, req.body);
  return { ...response, stored: await inbox.pending() };
}

describe("createSlackWebhookVerifier", () => {
  it("turns a signed event_callback into a delivery keyed by event_id, without the legacy token", async () => {
    const verified = await verifier.verify(request(JSON.stringify(envelope)), NOW);
    const { token: _token, ...stored } = envelope;
    expect(verified).toEqual({
      kind: "delivery",
      delivery: {
        provider: "slack",
        deliveryId: "Ev0123456789",
        event: "message",
        action: "message_changed",
        payload: stored,
        // The workspace and channel it is about: only workflows scoped to them start from it.
        tenant: { account: "T01ACME000", resource: "C01GENERAL", ids: { apiAppId: "A0001" } },
      },
    });
    expect(JSON.stringify(verified)).not.toContain("legacy-verification-token");
  });

  it("accepts either secret during a rotation, and neither a third", async () => {
    const rotating = createSlackWebhookVerifier({ signingSecrets: [SECRET, NEXT_SECRET] });
    const body = JSON.stringify(envelope);
    for (const secret of [SECRET, NEXT_SECRET]) {
      expect((await rotating.verify(request(body, { secret }), NOW)).kind).toBe("delivery");
    }
    expect(() => rotating.verify(request(body, { secret: "some-other-secret" }), NOW)).toThrow(
      expect.objectContaining({ code: "bad_signature" }),
    );
    // Once the rotation is over, the old secret is refused.
    const rotated = createSlackWebhookVerifier({ signingSecrets: [NEXT_SECRET] });
    expect(() => rotated.verify(request(body, { secret: SECRET }), NOW)).toThrow(WebhookRejection);
  });

  it("refuses to be built without a secret", () => {
    expect(() => createSlackWebhookVerifier({ signingSecrets: [] })).toThrow(/signingSecrets/);
    expect(() => createSlackWebhookVerifier({ signingSecrets: [""] })).toThrow(/signingSecrets/);
  });

  const body = JSON.stringify(envelope);
  const sixMinutesAgo = nowSeconds - 360;
  describe.each([
    ["no signature", () => request(body, { signature: null }), "missing_signature"],
    [
      "no timestamp",
      () => {
        const r = request(body);
        r.headers.delete("x-slack-request-timestamp");
        return r;
      },
      "missing_signature",
    ],
    [
      "a v1 signature",
      () => request(body, { signature: sign(SECRET, nowSeconds, body).replace("v0=", "v1=") }),
      "malformed_signature",
    ],
    [
      "a truncated signature",
      () => request(body, { signature: sign(SECRET, nowSeconds, body).slice(0, 40) }),
      "malformed_signature",
    ],
    [
      "a timestamp that is not a number",
      () => {
        const r = request(body);
        r.headers.set("x-slack-request-timestamp", "yesterday");
        return r;
      },
      "malformed_signature",
    ],
    ["the wrong secret", () => request(body, { secret: "wrong-secret" }), "bad_signature"],
    [
      "one byte changed after signing",
      () => {
        const r = request(body);
        const tampered = Uint8Array.from(r.body);
        tampered[tampered.indexOf("C".charCodeAt(0))] = "D".charCodeAt(0);
        return { headers: r.headers, body: tampered };
      },
      "bad_signature",
    ],
    [
      "a signature for another timestamp",
      () => {
        const r = request(body);
        r.headers.set("x-slack-request-timestamp", String(nowSeconds - 1));
        return r;
      },
      "bad_signature",
    ],
    [
      "a replay 6 minutes old, validly signed for its timestamp",
      () => request(body, { timestamp: sixMinutesAgo }),
      "stale_timestamp",
    ],
    ["a timestamp 6 minutes ahead", () => request(body, { timestamp: nowSeconds + 360 }), "stale_timestamp"],
    [
      "a bad signature on a body that is not JSON",
      () => request("not json", { secret: "wrong-secret" }),
      "bad_signature",
    ],
  ])("refuses %s with 401 and stores nothing", (_name, make, code) => {
    it(`answers 401 ${code}`, async () => {
      expect(await intake(make())).toEqual({ status: 401, body: { ok: false, error: code }, stored: [] });
    });
  });

  it("accepts a timestamp inside the tolerance, and honours a custom tolerance", async () => {
    expect((await intake(request(body, { timestamp: nowSeconds - 299 }))).status).toBe(200);
    const strict = createSlackWebhookVerifier({ signingSecrets: [SECRET], toleranceSeconds: 30 });
    expect((await intake(request(body, { timestamp: nowSeconds - 60 }), strict)).body).toEqual({
      ok: false,
      error: "stale_timestamp",
    });
  });

  it("answers 400 for a signed body that is not JSON, or an event_callback without event_id", async () => {
    expect(await intake(request("not json"))).toEqual({
      status: 400,
      body: { ok: false, error: "not_json" },
      stored: [],
    });
    const { event_id: _id, ...noId } = envelope;
    expect((await intake(request(JSON.stringify(noId)))).body).toEqual({
      ok: false,
      error: "missing_delivery_id",
    });
  });

  it("answers url_verification with the challenge only when signed", async () => {
    const challenge = JSON.stringify({
      token: "t",
      challenge: "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P",
      type: "url_verification",
    });
    expect(await intake(request(challenge))).toEqual({
      status: 200,
      body: { challenge: "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P" },
      stored: [],
    });
    expect(await intake(request(challenge, { signature: null }))).toEqual({
      status: 401,
      body: { ok: false, error: "missing_signature" },
      stored: [],
    });
    expect((await intake(request(challenge, { secret: "wrong-secret" }))).status).toBe(401);
  });

  it("acknowledges a signed app_rate_limited notice without storing a delivery", async () => {
    const notice = JSON.stringify({
      token: "t",
      type: "app_rate_limited",
      team_id: "T01ACME000",
      minute_rate_limited: 1518467820,
      api_app_id: "A0001",
    });
    expect(await intake(request(notice))).toEqual({
      status: 200,
      body: { ok: true, ignored: "app_rate_limited" },
      stored: [],
    });
  });

  it("a Slack retry of an event (same event_id, X-Slack-Retry-Num) is stored once", async () => {
    const inbox = new MemoryWebhookInbox();
    const first = request(body);
    const retry = request(body, { timestamp: nowSeconds + 60 });
    retry.headers.set("x-slack-retry-num", "1");
    retry.headers.set("x-slack-retry-reason", "http_timeout");
    const options = { verifier, inbox, now: () => NOW };
    expect((await handleWebhook(options, first.headers, first.body)).body).toEqual({ ok: true });
    expect((await handleWebhook(options, retry.headers, retry.body)).body).toEqual({
      ok: true,
      duplicate: true,
    });
    expect(await inbox.pending()).toHaveLength(1);
  });
});

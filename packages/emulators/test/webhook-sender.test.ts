import { createHmac } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ManualClock } from "../src/shared/emulator-clock";
import type {
  WebhookAttemptContext,
  WebhookRequest,
  WebhookRetryPolicy,
} from "../src/shared/webhook-delivery";
import { WebhookSender, type WebhookSenderOptions } from "../src/shared/webhook-sender";
import type { WebhookSignatureScheme } from "../src/shared/webhook-signature";
import { type ReceivedWebhook, WebhookReceiver } from "./webhook-receiver";

// A provider the kit has never heard of: a `t=<timestamp>,v1=<hmac>` signature over `{t}.{body}`.
const SECRET = "whsec_test_secret";
const START = Date.UTC(2030, 0, 1);
const START_SECONDS = START / 1000;
const acmeSignature = (secret: string, timestamp: number, body: string) =>
  `t=${timestamp},v1=${createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex")}`;
const ACME_SCHEME: WebhookSignatureScheme = {
  sign: (body, secret, timestamp) => ({ "acme-signature": acmeSignature(secret, timestamp, body) }),
  malformed: { "acme-signature": "v1=" },
};
const acmeAttemptHeaders = ({ retryNum, retryReason }: WebhookAttemptContext): Record<string, string> =>
  retryNum > 0 ? { "acme-retry": `${retryNum};${retryReason ?? "requested"}` } : {};
const ACME_RETRIES: WebhookRetryPolicy = {
  delaysMs: [0, 60_000, 300_000],
  declined: (headers) => headers.get("acme-no-retry") === "1",
};

/** The intake's own check, written apart from the sender so the sender is not its own oracle. */
function verified({ headers, body }: ReceivedWebhook, nowSeconds: number, toleranceSeconds = 300): boolean {
  const match = /^t=(\d+),v1=[0-9a-f]{64}$/.exec(String(headers["acme-signature"] ?? ""));
  if (!match) return false;
  const timestamp = Number(match[1]);
  if (Math.abs(nowSeconds - timestamp) > toleranceSeconds) return false;
  return headers["acme-signature"] === acmeSignature(SECRET, timestamp, body);
}

type AcmeMeta = { event: string };

let receiver: WebhookReceiver;
let url: string;
let clock: ManualClock;
let sender: WebhookSender<AcmeMeta>;

function newSender(options: Partial<WebhookSenderOptions> = {}): WebhookSender<AcmeMeta> {
  return new WebhookSender<AcmeMeta>({
    clock,
    signature: ACME_SCHEME,
    attemptHeaders: acmeAttemptHeaders,
    retry: ACME_RETRIES,
    ...options,
  });
}

function request(overrides: Partial<WebhookRequest<AcmeMeta>> = {}): WebhookRequest<AcmeMeta> {
  const id = overrides.id ?? "evt_1";
  return {
    id,
    url,
    body: JSON.stringify({ id, type: "customer.created" }),
    secret: SECRET,
    headers: { "content-type": "application/json", "acme-event-id": id },
    meta: { event: "customer.created" },
    ...overrides,
  };
}

beforeEach(async () => {
  receiver = new WebhookReceiver();
  url = await receiver.start();
  clock = new ManualClock(START);
  sender = newSender();
});
afterEach(async () => {
  await sender.close();
  await receiver.stop();
});

describe("WebhookSender: signing and the log", () => {
  it("signs with the provider's scheme at the clock's time and logs the attempt with its answer", async () => {
    const delivery = sender.create(request());
    sender.deliver(delivery);
    // Logged at once, before any answer: fire and forget.
    expect(sender.log.map((a) => [a.id, a.outcome])).toEqual([["evt_1", "pending"]]);
    await sender.settled();

    const [got] = receiver.received;
    if (!got) throw new Error("nothing received");
    expect(verified(got, START_SECONDS)).toBe(true);
    expect(got.headers["acme-signature"]).toMatch(new RegExp(`^t=${START_SECONDS},`));
    expect(got.headers).toMatchObject({ "content-type": "application/json", "acme-event-id": "evt_1" });
    expect(got.headers).not.toHaveProperty("acme-retry");
    expect(got.body).toBe(delivery.body);
    expect(sender.log).toEqual([
      expect.objectContaining({
        event: "customer.created",
        id: "evt_1",
        retryNum: 0,
        timestamp: START_SECONDS,
        sentAt: START,
        signature: "valid",
        redelivery: false,
        replay: false,
        outcome: "ok",
        status: 200,
        responseBody: "ok",
        durationMs: expect.any(Number),
      }),
    ]);
    expect(JSON.stringify(sender.log)).not.toContain(SECRET);
    expect(delivery).toMatchObject({ delivered: true, status: 200 });
  });

  it("sends a delivery without a secret unsigned", async () => {
    await sender.send(sender.create(request({ secret: undefined })));
    expect(receiver.received[0]?.headers).not.toHaveProperty("acme-signature");
  });

  it("logs a refused connection and a URL off the loopback with the error, and never calls the latter", async () => {
    await receiver.stop();
    const refused = await sender.send(sender.create(request({ id: "evt_refused" })));
    const elsewhere = await sender.send(
      sender.create(request({ id: "evt_far", url: "https://example.com/x" })),
    );
    expect(refused).toMatchObject({
      outcome: "connection_failed",
      error: expect.stringMatching(/fetch failed/),
    });
    expect(refused.status).toBeUndefined();
    expect(elsewhere).toMatchObject({
      outcome: "connection_failed",
      error: expect.stringMatching(/loopback/),
    });
    receiver = new WebhookReceiver();
    await receiver.start();
  });

  it("counts an answer later than the timeout as a failure", async () => {
    let release = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    receiver.answer = async () => {
      await held;
      return { status: 200 };
    };
    const attempt = await sender.send(sender.create(request({ timeoutMs: 50 })));
    release();
    expect(attempt).toMatchObject({ outcome: "http_timeout", error: expect.stringMatching(/TimeoutError/) });
    expect(attempt.status).toBeUndefined();
  });
});

describe("WebhookSender: the provider's retry schedule, on the emulator clock", () => {
  it("retries a failure on schedule as the test advances the clock, re-signing each attempt", async () => {
    receiver.answer = (_request, index) => ({ status: index < 2 ? 500 : 200 });
    const delivery = sender.create(request());
    sender.deliver(delivery);

    // The first retry is due at once; the second waits a minute of clock time, not of real time.
    await sender.idle();
    expect(receiver.received).toHaveLength(2);
    expect(sender.pendingRetries).toEqual([{ deliveryId: "evt_1", retryNum: 2, dueAt: START + 60_000 }]);
    clock.advance(59_999);
    await sender.idle();
    expect(receiver.received).toHaveLength(2);
    clock.advance(1);
    await sender.settled();

    expect(receiver.received.map((r) => r.headers["acme-retry"])).toEqual([
      undefined,
      "1;http_error",
      "2;http_error",
    ]);
    expect(delivery.attempts.map((a) => [a.retryNum, a.outcome, a.timestamp])).toEqual([
      [0, "http_error", START_SECONDS],
      [1, "http_error", START_SECONDS],
      [2, "ok", START_SECONDS + 60],
    ]);
    // Every retry is signed for its own moment: the intake at that moment finds each one fresh.
    expect(verified(receiver.received[2] as ReceivedWebhook, START_SECONDS + 60)).toBe(true);
    expect(new Set(receiver.received.map((r) => r.body)).size).toBe(1);
    expect(delivery).toMatchObject({ delivered: true, status: 200 });
    expect(sender.pendingRetries).toEqual([]);
  });

  it("gives up when the schedule runs out, and at once when the receiver declines a retry", async () => {
    receiver.answer = () => ({ status: 503 });
    const failing = sender.create(request({ id: "evt_down" }));
    sender.deliver(failing);
    await sender.idle();
    clock.advance(60_000);
    await sender.idle();
    clock.advance(300_000);
    await sender.settled();
    expect(failing.attempts.map((a) => a.retryNum)).toEqual([0, 1, 2, 3]);
    expect(failing.delivered).toBe(false);

    receiver.answer = () => ({ status: 500, headers: { "acme-no-retry": "1" } });
    const declined = sender.create(request({ id: "evt_declined" }));
    sender.deliver(declined);
    await sender.settled();
    expect(declined.attempts).toHaveLength(1);
  });

  it("retries a refused connection, and a delivery's own policy decides which answers are failures", async () => {
    await receiver.stop();
    const refused = sender.create(request({ retry: { delaysMs: [0] } }));
    sender.deliver(refused);
    await sender.settled();
    expect(refused.attempts.map((a) => [a.outcome, a.retryReason])).toEqual([
      ["connection_failed", undefined],
      ["connection_failed", "connection_failed"],
    ]);

    receiver = new WebhookReceiver();
    url = await receiver.start();
    receiver.answer = () => ({ status: 202 });
    const strict = sender.create(
      request({ id: "evt_strict", retry: { delaysMs: [], isFailure: (s) => s !== 200 } }),
    );
    sender.deliver(strict);
    await sender.settled();
    expect(strict.attempts.map((a) => [a.status, a.outcome])).toEqual([[202, "http_error"]]);
  });

  it("settled() waits for retries still due; close() drops them and aborts what is on the wire", async () => {
    receiver.answer = () => ({ status: 500 });
    sender.deliver(sender.create(request()));
    await sender.idle();
    let settled = false;
    const settling = sender.settled().then(() => {
      settled = true;
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(settled).toBe(false);
    expect(sender.pendingRetries).toHaveLength(1);

    await sender.close();
    await settling;
    expect(sender.pendingRetries).toEqual([]);
    clock.advance(3_600_000);
    await sender.settled();
    expect(receiver.received).toHaveLength(2);

    let arrived = () => {};
    const onTheWire = new Promise<void>((resolve) => {
      arrived = resolve;
    });
    receiver.answer = () => {
      arrived();
      return new Promise(() => {});
    };
    sender.deliver(sender.create(request({ id: "evt_hanging" })));
    await onTheWire;
    await sender.close();
    expect(sender.log.at(-1)).toMatchObject({
      id: "evt_hanging",
      outcome: "connection_failed",
      error: expect.stringMatching(/AbortError/),
    });
    expect(sender.pendingRetries).toEqual([]);
  });
});

describe("WebhookSender: redelivery, forgeries and replays on request", () => {
  it("redelivers a past delivery: same id and body, signed afresh, one by one or all at once", async () => {
    const delivery = sender.create(request());
    await sender.send(delivery);
    clock.advance(10_000);
    const again = await sender.redeliver("evt_1", { times: 2 });
    const together = await sender.redeliver("evt_1", { times: 3, atOnce: true });

    expect(again.map((a) => [a.id, a.redelivery, a.retryNum, a.status])).toEqual([
      ["evt_1", true, 1, 200],
      ["evt_1", true, 2, 200],
    ]);
    expect(together.map((a) => a.retryNum)).toEqual([3, 4, 5]);
    expect(new Set(receiver.received.map((r) => r.body)).size).toBe(1);
    expect(receiver.received.slice(1).every((r) => verified(r, START_SECONDS + 10))).toBe(true);
    expect(receiver.received[1]?.headers["acme-signature"]).toMatch(new RegExp(`^t=${START_SECONDS + 10},`));
    expect(receiver.received[1]?.headers["acme-retry"]).toBe("1;requested");
    await expect(sender.redeliver("evt_nope")).rejects.toThrow(/no delivery "evt_nope"/);
  });

  it.each([
    ["bad", (r: ReceivedWebhook) => /^t=\d+,v1=[0-9a-f]{64}$/.test(String(r.headers["acme-signature"]))],
    ["malformed", (r: ReceivedWebhook) => r.headers["acme-signature"] === "v1="],
    ["missing", (r: ReceivedWebhook) => r.headers["acme-signature"] === undefined],
  ] as const)("forges a %s signature that the intake refuses", async (kind, looksLike) => {
    const attempt = await sender.send(sender.create(request()), { signature: kind });
    const got = receiver.received[0] as ReceivedWebhook;
    expect(looksLike(got)).toBe(true);
    expect(verified(got, START_SECONDS)).toBe(false);
    expect(attempt.signature).toBe(kind);
  });

  it("forges a stale timestamp, validly signed, that only the intake's time window refuses", async () => {
    const staleAt = START_SECONDS - 360;
    const attempt = await sender.send(sender.create(request()), { timestamp: staleAt });
    const got = receiver.received[0] as ReceivedWebhook;
    expect(attempt.timestamp).toBe(staleAt);
    expect(verified(got, staleAt)).toBe(true);
    expect(verified(got, START_SECONDS)).toBe(false);
  });

  it("replays an exact earlier attempt: same bytes, timestamp and signature, however late", async () => {
    const original = await sender.send(sender.create(request()));
    clock.advance(600_000);
    const replay = await sender.replay(original);
    const [first, second] = receiver.received as [ReceivedWebhook, ReceivedWebhook];

    expect(second.body).toBe(first.body);
    expect(second.headers["acme-signature"]).toBe(first.headers["acme-signature"]);
    expect(replay).toMatchObject({
      id: "evt_1",
      replay: true,
      timestamp: START_SECONDS,
      sentAt: START + 600_000,
    });
    // Genuine bytes, but ten minutes late: the intake's window is what refuses it.
    expect(verified(second, START_SECONDS + 600)).toBe(false);
    expect(() => sender.replay({ ...original })).toThrow(/no delivery "evt_1" holds that attempt/);
  });
});

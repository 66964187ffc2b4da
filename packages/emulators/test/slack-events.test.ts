import { createHmac, timingSafeEqual } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { SlackEmulator, type SlackEventEnvelope } from "../src/index";
import { type ReceivedWebhook, WebhookReceiver } from "./webhook-receiver";

const SECRET = "emulator-test-signing-secret";

/** A Slack app's request URL on 127.0.0.1 that answers the `url_verification` challenge. */
class Receiver extends WebhookReceiver {
  constructor() {
    super((request) => {
      const parsed = JSON.parse(request.body) as { type: string; challenge?: string };
      return parsed.type === "url_verification"
        ? { status: 200, body: JSON.stringify({ challenge: parsed.challenge }) }
        : { status: 200, body: "" };
    }, "/api/webhooks/slack");
  }

  /** The event_callback envelopes received, in order. */
  get envelopes(): SlackEventEnvelope[] {
    return this.received
      .map((r) => JSON.parse(r.body) as SlackEventEnvelope | { type: "url_verification" })
      .filter((e): e is SlackEventEnvelope => e.type === "event_callback");
  }
}

// An independent check of Slack's signing scheme, so the emulator's signer is not its own oracle.
function signedCorrectly({ headers, body }: ReceivedWebhook): boolean {
  const timestamp = String(headers["x-slack-request-timestamp"]);
  const expected = `v0=${createHmac("sha256", SECRET).update(`v0:${timestamp}:${body}`).digest("hex")}`;
  const given = String(headers["x-slack-signature"] ?? "");
  return given.length === expected.length && timingSafeEqual(Buffer.from(given), Buffer.from(expected));
}

let slack: SlackEmulator;
let receiver: Receiver;
let requestUrl: string;
let token: string;

beforeEach(async () => {
  slack = new SlackEmulator();
  await slack.start();
  token = slack.mintToken();
  receiver = new Receiver();
  requestUrl = await receiver.start();
});
afterEach(async () => {
  await slack.stop();
  await receiver.stop();
});

async function api(method: string, args: Record<string, string>) {
  const response = await fetch(`${slack.apiUrl}${method}`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", authorization: `Bearer ${token}` },
    body: new URLSearchParams(args),
  });
  return (await response.json()) as Record<string, unknown> & { ok: boolean };
}

const fastRetries = { retryDelaysMs: [10, 10, 10] as [number, number, number] };

describe("Slack emulator: Events API subscription", () => {
  it("verifies the request URL with a signed url_verification challenge before saving it", async () => {
    const subscription = await slack.configureEvents({ requestUrl, signingSecret: SECRET });
    expect(subscription).toEqual({
      requestUrl,
      events: ["message", "reaction_added", "app_mention"],
      verified: true,
    });
    const [challenge] = receiver.received;
    expect(challenge && JSON.parse(challenge.body)).toMatchObject({ type: "url_verification" });
    expect(challenge && signedCorrectly(challenge)).toBe(true);
  });

  it("does not verify (nor send events to) a URL that answers the wrong challenge", async () => {
    receiver.answer = () => ({ status: 200, body: JSON.stringify({ challenge: "something else" }) });
    expect((await slack.configureEvents({ requestUrl, signingSecret: SECRET })).verified).toBe(false);
    slack.userSays("C01GENERAL", "anyone there?");
    await slack.awaitEvents();
    expect(receiver.envelopes).toEqual([]);
    expect(slack.events.map((e) => e.attempts.length)).toEqual([0]);
  });
});

describe("Slack emulator: events from state changes", () => {
  beforeEach(async () => {
    await slack.configureEvents({ requestUrl, signingSecret: SECRET, ...fastRetries });
  });

  it("chat.postMessage sends a signed message event_callback with the envelope Slack sends", async () => {
    const posted = await api("chat.postMessage", { channel: "C01GENERAL", text: "from the bot" });
    await slack.awaitEvents();
    const delivery = receiver.received.at(-1);
    if (!delivery) throw new Error("nothing delivered");
    expect(signedCorrectly(delivery)).toBe(true);
    expect(delivery.headers["content-type"]).toBe("application/json");
    const envelope = JSON.parse(delivery.body) as SlackEventEnvelope;
    expect(envelope).toMatchObject({
      token: expect.any(String),
      team_id: "T01ACME000",
      api_app_id: "A0001",
      type: "event_callback",
      event_id: expect.stringMatching(/^Ev[0-9A-Z]{10}$/),
      event_time: expect.any(Number),
      authorizations: [{ team_id: "T01ACME000", user_id: "U0BOT", is_bot: true }],
      event: {
        type: "message",
        channel: "C01GENERAL",
        channel_type: "channel",
        text: "from the bot",
        user: "U0BOT",
        bot_id: "B01AUTOFLOW",
        ts: posted.ts,
        event_ts: posted.ts,
      },
    });
    expect(slack.events.at(-1)).toMatchObject({
      eventId: envelope.event_id,
      type: "message",
      status: 200,
      delivered: true,
      attempts: [{ retryNum: 0, outcome: "ok", status: 200, signature: "valid" }],
    });
  });

  it("a person's message mentioning the bot sends message then app_mention; #random (bot not in it) sends nothing", async () => {
    slack.userSays("C01RANDOM0", "the bot cannot see this", "U0002");
    const said = slack.userSays("C01GENERAL", "hey <@U0BOT> deploy please", "U0002");
    await slack.awaitEvents();
    const events = receiver.envelopes.map((e) => e.event);
    expect(events).toEqual([
      expect.objectContaining({
        type: "message",
        user: "U0002",
        ts: said.ts,
        client_msg_id: expect.any(String),
      }),
      expect.objectContaining({ type: "app_mention", user: "U0002", channel: "C01GENERAL", text: said.text }),
    ]);
    expect(events[0]).not.toHaveProperty("bot_id");
    const ids = receiver.envelopes.map((e) => e.event_id);
    expect(new Set(ids).size).toBe(2);
  });

  it("reactions.add and userReacts send reaction_added with the message as item", async () => {
    const said = slack.userSays("C01GENERAL", "ship it?", "U0002");
    await api("reactions.add", { channel: "C01GENERAL", timestamp: said.ts, name: "eyes" });
    slack.userReacts("C01GENERAL", said.ts, "tada", "U0003");
    await slack.awaitEvents();
    const reactions = receiver.envelopes.map((e) => e.event).filter((e) => e.type === "reaction_added");
    expect(reactions).toEqual([
      expect.objectContaining({
        user: "U0BOT",
        reaction: "eyes",
        item_user: "U0002",
        item: { type: "message", channel: "C01GENERAL", ts: said.ts },
      }),
      expect.objectContaining({
        user: "U0003",
        reaction: "tada",
        item: { type: "message", channel: "C01GENERAL", ts: said.ts },
      }),
    ]);
  });

  it("sends only the events subscribed to", async () => {
    await slack.configureEvents({ requestUrl, signingSecret: SECRET, events: ["reaction_added"] });
    const said = slack.userSays("C01GENERAL", "hi <@U0BOT>");
    slack.userReacts("C01GENERAL", said.ts, "wave");
    await slack.awaitEvents();
    expect(receiver.envelopes.map((e) => e.event.type)).toEqual(["reaction_added"]);
  });
});

describe("Slack emulator: Slack's retries", () => {
  it("retries a non-2xx answer with X-Slack-Retry-Num and X-Slack-Retry-Reason, same event_id", async () => {
    await slack.configureEvents({ requestUrl, signingSecret: SECRET, ...fastRetries });
    receiver.answer = (_request, index) => ({ status: index < 3 ? 500 : 200 });
    slack.userSays("C01GENERAL", "retry me");
    await slack.awaitEvents();
    const deliveries = receiver.received.slice(1);
    expect(
      deliveries.map((d) => [d.headers["x-slack-retry-num"], d.headers["x-slack-retry-reason"]]),
    ).toEqual([
      [undefined, undefined],
      ["1", "http_error"],
      ["2", "http_error"],
    ]);
    expect(new Set(deliveries.map((d) => (JSON.parse(d.body) as SlackEventEnvelope).event_id)).size).toBe(1);
    expect(deliveries.every(signedCorrectly)).toBe(true);
    expect(slack.events[0]).toMatchObject({ delivered: true, status: 200 });
    expect(slack.events[0]?.attempts.map((a) => a.outcome)).toEqual(["http_error", "http_error", "ok"]);
  });

  it("gives up after 3 retries, and not at all when the app answers X-Slack-No-Retry: 1", async () => {
    await slack.configureEvents({ requestUrl, signingSecret: SECRET, ...fastRetries });
    receiver.answer = () => ({ status: 503 });
    slack.userSays("C01GENERAL", "never lands");
    await slack.awaitEvents();
    expect(slack.events[0]?.attempts.map((a) => a.retryNum)).toEqual([0, 1, 2, 3]);
    expect(slack.events[0]?.delivered).toBe(false);

    receiver.answer = () => ({ status: 500, headers: { "x-slack-no-retry": "1" } });
    slack.userSays("C01GENERAL", "do not retry");
    await slack.awaitEvents();
    expect(slack.events[1]?.attempts).toHaveLength(1);
  });

  it("counts an answer later than the timeout as a failure and retries with reason http_timeout", async () => {
    // The first delivery is held until the retry has arrived: slow beyond any timeout, whatever the load.
    let releaseFirst = () => {};
    const held = new Promise<void>((resolve) => {
      releaseFirst = resolve;
    });
    await slack.configureEvents({ requestUrl, signingSecret: SECRET, timeoutMs: 500, ...fastRetries });
    receiver.answer = async (_request, index) => {
      if (index === 1) await held;
      else releaseFirst();
      return { status: 200 };
    };
    slack.userSays("C01GENERAL", "slow app");
    await slack.awaitEvents();
    const [first, retry] = slack.events[0]?.attempts ?? [];
    expect(first).toMatchObject({ retryNum: 0, outcome: "http_timeout" });
    expect(first?.status).toBeUndefined();
    expect(retry).toMatchObject({ retryNum: 1, retryReason: "http_timeout" });
    expect(receiver.received[2]?.headers["x-slack-retry-reason"]).toBe("http_timeout");
  });

  it("retries a refused connection with reason connection_failed", async () => {
    await slack.configureEvents({ requestUrl, signingSecret: SECRET, ...fastRetries });
    await receiver.stop();
    slack.userSays("C01GENERAL", "nobody home");
    await slack.awaitEvents();
    expect(slack.events[0]?.attempts.map((a) => [a.outcome, a.retryReason])).toEqual([
      ["connection_failed", undefined],
      ["connection_failed", "connection_failed"],
      ["connection_failed", "connection_failed"],
      ["connection_failed", "connection_failed"],
    ]);
  });
});

describe("Slack emulator: deliveries on request", () => {
  beforeEach(async () => {
    await slack.configureEvents({ requestUrl, signingSecret: SECRET, ...fastRetries });
  });

  it("redeliverEvent sends the same envelope again as retries", async () => {
    slack.userSays("C01GENERAL", "once");
    await slack.awaitEvents();
    const eventId = slack.events[0]?.eventId ?? "";
    const attempts = await slack.redeliverEvent(eventId, 2);
    expect(attempts.map((a) => a.retryNum)).toEqual([1, 2]);
    const bodies = receiver.received.slice(1).map((r) => r.body);
    expect(bodies).toHaveLength(3);
    expect(new Set(bodies).size).toBe(1);
    expect(receiver.received.slice(2).map((r) => r.headers["x-slack-retry-num"])).toEqual(["1", "2"]);
    await expect(slack.redeliverEvent("EvNOPE")).rejects.toThrow(/No event EvNOPE/);
  });

  it("sendEvent sends a bad or missing signature, a stale timestamp and a chosen event id", async () => {
    const event = {
      type: "message",
      channel: "C01GENERAL",
      user: "U0002",
      text: "hand made",
      ts: "1.000001",
    };
    const bad = await slack.sendEvent({ event, signature: "bad" });
    const missing = await slack.sendEvent({ event, signature: "missing" });
    const staleAt = Math.floor(Date.now() / 1000) - 360;
    await slack.sendEvent({ event, timestamp: staleAt, eventId: "EvSTALE00001" });
    const [badReq, missingReq, staleReq] = receiver.received.slice(1);
    expect(badReq && signedCorrectly(badReq)).toBe(false);
    expect(badReq?.headers["x-slack-signature"]).toMatch(/^v0=[0-9a-f]{64}$/);
    expect(missingReq?.headers).not.toHaveProperty("x-slack-signature");
    expect(staleReq && signedCorrectly(staleReq)).toBe(true);
    expect(staleReq?.headers["x-slack-request-timestamp"]).toBe(String(staleAt));
    expect((JSON.parse(staleReq?.body ?? "{}") as SlackEventEnvelope).event_id).toBe("EvSTALE00001");
    expect([bad.signature, missing.signature]).toEqual(["bad", "missing"]);
  });
});

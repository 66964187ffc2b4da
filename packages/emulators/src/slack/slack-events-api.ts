import { randomBytes } from "node:crypto";
import { asEmulatorClock, type EmulatorClock, systemEmulatorClock } from "../shared/emulator-clock";
import type {
  WebhookAttempt,
  WebhookAttemptContext,
  WebhookDelivery,
  WebhookRetryPolicy,
} from "../shared/webhook-delivery";
import type { WebhookFailure } from "../shared/webhook-post";
import { WebhookSender } from "../shared/webhook-sender";
import type { WebhookSignatureScheme } from "../shared/webhook-signature";
import type { SlackInnerEvent } from "./slack-event-builder";
import { type SlackEventEnvelope, slackEnvelope } from "./slack-event-envelope";
import { slackSignature } from "./slack-event-signature";

/** The app's Event Subscriptions, as a developer fills them in on api.slack.com/apps. */
export interface SlackEventsConfig {
  /** Where Slack POSTs events. Without one, events are built and logged but not sent. */
  requestUrl?: string;
  /** The app's Signing Secret. */
  signingSecret: string;
  /** The bot events subscribed to. Default `["message", "reaction_added", "app_mention"]`. */
  events?: readonly string[];
  /** The deprecated verification token Slack still puts in every envelope. */
  verificationToken?: string;
  /** How long Slack waits for an answer before it counts a timeout. Default 3000 ms. */
  timeoutMs?: number;
  /** The waits before retries 1, 2 and 3. Slack's: nearly immediately, 1 minute, 5 minutes. */
  retryDelaysMs?: readonly [number, number, number];
}

export type { SlackEventEnvelope } from "./slack-event-envelope";

/** Why Slack retried (`X-Slack-Retry-Reason`). */
export type SlackRetryReason = WebhookFailure;

/** One POST of an envelope to the request URL. */
export interface SlackEventAttempt {
  /** 0 for the first delivery, then `X-Slack-Retry-Num`. */
  retryNum: number;
  retryReason?: SlackRetryReason;
  /** `ok` for a 2xx within the timeout. */
  outcome: "ok" | SlackRetryReason;
  /** The HTTP status, when one came back in time. */
  status?: number;
  /** The answer's body text, when one came back in time. */
  body?: string;
  signature: "valid" | "bad" | "missing";
  timestamp: number;
  durationMs: number;
}

/** One event in the delivery log, with every attempt to deliver it. */
export interface SlackEventRecord {
  eventId: string;
  /** The inner event's type. */
  type: string;
  envelope: SlackEventEnvelope;
  attempts: SlackEventAttempt[];
  /** The last attempt's status. */
  status?: number;
  /** Whether any attempt got a 2xx within the timeout. */
  delivered: boolean;
}

/** The subscription as the app console shows it (the signing secret stays hidden). */
export interface SlackEventSubscription {
  requestUrl?: string;
  events: readonly string[];
  /** Whether the request URL answered the `url_verification` challenge. Slack saves it only then. */
  verified: boolean;
}

/** Options for one hand-made delivery: bad or missing signatures, stale timestamps, chosen ids. */
export interface SlackSendEventOptions {
  event: SlackInnerEvent;
  signature?: "bad" | "missing";
  /** `X-Slack-Request-Timestamp` in epoch seconds, e.g. 6 minutes ago for a stale request. */
  timestamp?: number;
  /** Reuse an id to send a replay. */
  eventId?: string;
  /** Sent as `X-Slack-Retry-Num` (with reason `http_timeout`). */
  retryNum?: number;
}

const DEFAULT_EVENTS = ["message", "reaction_added", "app_mention"] as const;

/**
 * Slack's retries: a non-2xx answer, no answer within 3 s, or a refused connection is retried up to 3
 * times (nearly immediately, after 1 minute, after 5 minutes), unless the app answers `X-Slack-No-Retry: 1`.
 */
export const SLACK_EVENT_RETRIES: WebhookRetryPolicy = {
  delaysMs: [0, 60_000, 300_000],
  declined: (headers) => headers.get("x-slack-no-retry") === "1",
};

/** `X-Slack-Signature`: `v0=` + HMAC-SHA256 over `v0:{timestamp}:{body}`. */
export const SLACK_SIGNATURE: WebhookSignatureScheme = {
  sign: (body, secret, timestamp) => ({ "x-slack-signature": slackSignature(secret, timestamp, body) }),
};

const SLACK_HEADERS = {
  "content-type": "application/json",
  "user-agent": "Slackbot 1.0 (+https://api.slack.com/robots)",
};

/** The timestamp on every request; the retry counter and its reason on retries. */
function slackAttemptHeaders({ timestamp, retryNum, retryReason }: WebhookAttemptContext) {
  return {
    "x-slack-request-timestamp": String(timestamp),
    ...(retryNum > 0 && {
      "x-slack-retry-num": String(retryNum),
      "x-slack-retry-reason": retryReason ?? "http_timeout",
    }),
  };
}

/** The `url_verification` challenge has no envelope: only events are in the Events API log. */
type SlackDeliveryMeta = { envelope?: SlackEventEnvelope };

/**
 * The Events API side of the Slack emulator: `event_callback` envelopes, signed with the app's signing
 * secret and POSTed to the request URL through the emulators' {@link WebhookSender}, fire and forget,
 * with {@link SLACK_EVENT_RETRIES} (the same `event_id` every time).
 */
export class SlackEventsApi {
  private config: SlackEventsConfig | undefined;
  private verified = false;
  private readonly clock: EmulatorClock;
  private readonly sender: WebhookSender<SlackDeliveryMeta>;

  /** Takes the emulator's clock (or its `now`); with a `ManualClock`, retries wait for it to advance. */
  constructor(clock: EmulatorClock | (() => number) = systemEmulatorClock) {
    this.clock = asEmulatorClock(clock);
    this.sender = new WebhookSender({
      clock: this.clock,
      signature: SLACK_SIGNATURE,
      attemptHeaders: slackAttemptHeaders,
      timeoutMs: 3_000,
      retry: SLACK_EVENT_RETRIES,
    });
  }

  /** Every event, oldest first. */
  get log(): SlackEventRecord[] {
    return this.sender.deliveries.flatMap((delivery) => slackRecord(delivery) ?? []);
  }

  /** Saves the subscription; with a request URL, Slack first sends it a `url_verification` challenge. */
  async configure(config: SlackEventsConfig): Promise<SlackEventSubscription> {
    this.config = config;
    this.verified = false;
    if (config.requestUrl) {
      const challenge = randomBytes(24).toString("base64url");
      const body = JSON.stringify({ token: this.token, challenge, type: "url_verification" });
      const answer = await this.sender.send(this.delivery(`url_verification:${challenge}`, body, {}));
      this.verified = answer.outcome === "ok" && answeredChallenge(answer.responseBody ?? "", challenge);
    }
    return this.subscription;
  }

  get subscription(): SlackEventSubscription {
    return {
      ...(this.config?.requestUrl !== undefined && { requestUrl: this.config.requestUrl }),
      events: this.config?.events ?? DEFAULT_EVENTS,
      verified: this.verified,
    };
  }

  /** Sends an event the app subscribed to, in the background; `settle()` waits for it and its retries. */
  publish(event: SlackInnerEvent): SlackEventRecord | undefined {
    if (!this.config || !this.subscription.events.includes(event.type)) return undefined;
    const envelope = this.envelope(event);
    const delivery = this.delivery(envelope.event_id, JSON.stringify(envelope), { envelope });
    if (this.config.requestUrl && this.verified) this.sender.deliver(delivery);
    return slackRecord(delivery);
  }

  /** Sends an event once, now, as asked (bad or missing signature, stale timestamp, reused id). */
  async send(options: SlackSendEventOptions): Promise<SlackEventAttempt & { eventId: string }> {
    this.requireRequestUrl();
    const envelope = this.envelope(options.event, options.eventId);
    const delivery =
      this.sender.find(envelope.event_id) ??
      this.delivery(envelope.event_id, JSON.stringify(envelope), { envelope });
    const attempt = await this.sender.send(delivery, {
      retryNum: options.retryNum ?? 0,
      signature: options.signature ?? "valid",
      ...(options.timestamp !== undefined && { timestamp: options.timestamp }),
    });
    return { ...slackAttempt(attempt), eventId: delivery.id };
  }

  /** Sends a logged event again `times` times, as Slack's retries do: same body, same `event_id`. */
  async redeliver(eventId: string, times = 1): Promise<SlackEventAttempt[]> {
    if (!this.sender.find(eventId)?.meta.envelope)
      throw new Error(`No event ${eventId} in the Slack emulator's delivery log`);
    this.requireRequestUrl();
    const attempts = await this.sender.redeliver(eventId, { times, retryReason: "http_timeout" });
    return attempts.map(slackAttempt);
  }

  /** Resolves once every background delivery, retries included, has finished. */
  settle(): Promise<void> {
    return this.sender.settled();
  }

  /** Abandons pending retries (the emulator is stopping). */
  close(): void {
    void this.sender.close();
  }

  private get token(): string {
    return this.config?.verificationToken ?? "emulator-verification-token";
  }

  private requireRequestUrl(): void {
    if (!this.config?.requestUrl)
      throw new Error("The Slack emulator has no Events API request URL: configureEvents() first");
  }

  /** Logs a delivery to the request URL as configured now. */
  private delivery(id: string, body: string, meta: SlackDeliveryMeta): WebhookDelivery<SlackDeliveryMeta> {
    return this.sender.create({
      id,
      url: this.config?.requestUrl ?? "",
      body,
      secret: this.config?.signingSecret,
      headers: SLACK_HEADERS,
      meta,
      ...(this.config?.timeoutMs !== undefined && { timeoutMs: this.config.timeoutMs }),
      ...(this.config?.retryDelaysMs && {
        retry: { ...SLACK_EVENT_RETRIES, delaysMs: this.config.retryDelaysMs },
      }),
    });
  }

  private envelope(event: SlackInnerEvent, id?: string): SlackEventEnvelope {
    const existing = id === undefined ? undefined : this.sender.find(id)?.meta.envelope;
    return (
      existing ?? slackEnvelope(event, { id, token: this.token, time: Math.floor(this.clock.now() / 1000) })
    );
  }
}

/** An event as Slack's log shows it, with its answered attempts; none for the `url_verification` challenge. */
function slackRecord(delivery: WebhookDelivery<SlackDeliveryMeta>): SlackEventRecord | undefined {
  const { envelope } = delivery.meta;
  if (!envelope) return undefined;
  return {
    eventId: delivery.id,
    type: envelope.event.type,
    envelope,
    attempts: delivery.attempts.flatMap((a) => (a.outcome === "pending" ? [] : [slackAttempt(a)])),
    ...(delivery.status !== undefined && { status: delivery.status }),
    delivered: delivery.delivered,
  };
}

/** An attempt as Slack's log shows it. */
function slackAttempt(attempt: WebhookAttempt): SlackEventAttempt {
  return {
    retryNum: attempt.retryNum,
    ...(attempt.retryReason && { retryReason: attempt.retryReason }),
    outcome: attempt.outcome === "pending" ? "connection_failed" : attempt.outcome,
    ...(attempt.status !== undefined && { status: attempt.status }),
    ...(attempt.responseBody !== undefined && { body: attempt.responseBody }),
    // Slack's sends ask for a valid, bad or missing signature only.
    signature: attempt.signature as SlackEventAttempt["signature"],
    timestamp: attempt.timestamp,
    durationMs: attempt.durationMs ?? 0,
  };
}

/** Slack accepts the challenge as JSON `{ "challenge": ... }` or as plain text. */
function answeredChallenge(text: string, challenge: string): boolean {
  if (text === challenge) return true;
  try {
    const parsed = JSON.parse(text) as { challenge?: unknown };
    return parsed.challenge === challenge;
  } catch {
    return false;
  }
}

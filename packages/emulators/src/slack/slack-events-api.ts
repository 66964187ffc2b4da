import { randomBytes } from "node:crypto";
import type { SlackInnerEvent } from "./slack-event-builder";
import { slackSignature } from "./slack-event-signature";
import { APP_ID, BOT, TEAM } from "./slack-workspace";

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

/** An `event_callback` envelope as Slack sends it. */
export interface SlackEventEnvelope {
  token: string;
  team_id: string;
  api_app_id: string;
  event: SlackInnerEvent;
  type: "event_callback";
  event_id: string;
  event_time: number;
  /** Deprecated by Slack, truncated to one installing user, and still required by its Events API description. */
  authed_users: string[];
  authorizations: {
    enterprise_id: null;
    team_id: string;
    user_id: string;
    is_bot: boolean;
    is_enterprise_install: boolean;
  }[];
  is_ext_shared_channel: boolean;
  event_context: string;
}

/** Why Slack retried (`X-Slack-Retry-Reason`). */
export type SlackRetryReason = "http_timeout" | "http_error" | "connection_failed";

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
const SLACK_RETRY_DELAYS_MS = [0, 60_000, 300_000] as const;
const ID_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";

/** Slack-shaped event id: `Ev` and ten upper-case letters or digits. */
function eventId(): string {
  return `Ev${[...randomBytes(10)].map((b) => ID_ALPHABET[b % ID_ALPHABET.length]).join("")}`;
}

/**
 * The Events API side of the Slack emulator: signs `event_callback` envelopes with the app's signing
 * secret and POSTs them to the request URL, fire and forget, with Slack's retry policy (a non-2xx
 * answer, no answer within 3 s, or a refused connection is retried up to 3 times with
 * `X-Slack-Retry-Num` and `X-Slack-Retry-Reason`, the same `event_id` every time), and logs it all.
 */
export class SlackEventsApi {
  /** Every event, oldest first. */
  readonly log: SlackEventRecord[] = [];
  private config: SlackEventsConfig | undefined;
  private verified = false;
  private readonly inFlight = new Set<Promise<void>>();
  private closing = new AbortController();

  constructor(private readonly now: () => number = Date.now) {}

  /** Saves the subscription; with a request URL, Slack first sends it a `url_verification` challenge. */
  async configure(config: SlackEventsConfig): Promise<SlackEventSubscription> {
    this.config = config;
    this.verified = false;
    if (config.requestUrl) {
      const challenge = randomBytes(24).toString("base64url");
      const body = JSON.stringify({ token: this.token, challenge, type: "url_verification" });
      const answer = await this.post(body, { signature: "valid", timestamp: this.seconds() });
      this.verified = answer.outcome === "ok" && answeredChallenge(answer.body ?? "", challenge);
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
    const record = this.record(this.envelope(event));
    if (this.config.requestUrl && this.verified) this.track(this.deliverWithRetries(record));
    return record;
  }

  /** Sends an event once, now, as asked (bad or missing signature, stale timestamp, reused id). */
  async send(options: SlackSendEventOptions): Promise<SlackEventAttempt & { eventId: string }> {
    const envelope = this.envelope(options.event, options.eventId);
    const record = this.log.find((r) => r.eventId === envelope.event_id) ?? this.record(envelope);
    const attempt = await this.attempt(record, {
      retryNum: options.retryNum ?? 0,
      signature: options.signature ?? "valid",
      ...(options.timestamp !== undefined && { timestamp: options.timestamp }),
    });
    return { ...attempt, eventId: record.eventId };
  }

  /** Sends a logged event again `times` times, as Slack's retries do: same body, same `event_id`. */
  async redeliver(eventId: string, times = 1): Promise<SlackEventAttempt[]> {
    const record = this.log.find((r) => r.eventId === eventId);
    if (!record) throw new Error(`No event ${eventId} in the Slack emulator's delivery log`);
    const attempts: SlackEventAttempt[] = [];
    for (let i = 0; i < times; i++) {
      const retryNum = Math.max(1, record.attempts.length);
      attempts.push(
        await this.attempt(record, { retryNum, retryReason: "http_timeout", signature: "valid" }),
      );
    }
    return attempts;
  }

  /** Resolves once every background delivery, retries included, has finished. */
  async settle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  /** Abandons pending retries (the emulator is stopping). */
  close(): void {
    this.closing.abort();
    this.closing = new AbortController();
  }

  private get token(): string {
    return this.config?.verificationToken ?? "emulator-verification-token";
  }

  private seconds(): number {
    return Math.floor(this.now() / 1000);
  }

  private envelope(event: SlackInnerEvent, id: string = eventId()): SlackEventEnvelope {
    const existing = this.log.find((r) => r.eventId === id);
    if (existing) return existing.envelope;
    return {
      token: this.token,
      team_id: TEAM.id,
      api_app_id: APP_ID,
      event,
      type: "event_callback",
      event_id: id,
      event_time: this.seconds(),
      authed_users: [BOT.userId],
      authorizations: [
        {
          enterprise_id: null,
          team_id: TEAM.id,
          user_id: BOT.userId,
          is_bot: true,
          is_enterprise_install: false,
        },
      ],
      is_ext_shared_channel: false,
      event_context: `4-${Buffer.from(JSON.stringify({ id: TEAM.id, app: APP_ID })).toString("base64url")}`,
    };
  }

  private record(envelope: SlackEventEnvelope): SlackEventRecord {
    const record: SlackEventRecord = {
      eventId: envelope.event_id,
      type: envelope.event.type,
      envelope,
      attempts: [],
      delivered: false,
    };
    this.log.push(record);
    return record;
  }

  private track(delivery: Promise<void>): void {
    const tracked = delivery.finally(() => this.inFlight.delete(tracked));
    this.inFlight.add(tracked);
  }

  private async deliverWithRetries(record: SlackEventRecord): Promise<void> {
    const delays = this.config?.retryDelaysMs ?? SLACK_RETRY_DELAYS_MS;
    const signal = this.closing.signal;
    let last = await this.attempt(record, { retryNum: 0, signature: "valid" });
    for (let retryNum = 1; retryNum <= 3 && last.outcome !== "ok" && !last.noRetry; retryNum++) {
      if (!(await sleep(delays[retryNum - 1] ?? 0, signal))) return;
      last = await this.attempt(record, { retryNum, retryReason: last.outcome, signature: "valid" });
    }
  }

  private async attempt(
    record: SlackEventRecord,
    how: {
      retryNum: number;
      retryReason?: SlackRetryReason;
      signature: SlackEventAttempt["signature"];
      timestamp?: number;
    },
  ): Promise<SlackEventAttempt & { noRetry?: boolean }> {
    const timestamp = how.timestamp ?? this.seconds();
    const result = await this.post(JSON.stringify(record.envelope), { ...how, timestamp });
    const { noRetry, ...attempt } = result;
    const logged: SlackEventAttempt = {
      retryNum: how.retryNum,
      ...(how.retryReason && { retryReason: how.retryReason }),
      ...attempt,
      signature: how.signature,
      timestamp,
    };
    record.attempts.push(logged);
    if (logged.status !== undefined) record.status = logged.status;
    if (logged.outcome === "ok") record.delivered = true;
    return { ...logged, ...(noRetry && { noRetry }) };
  }

  private async post(
    body: string,
    how: {
      signature: SlackEventAttempt["signature"];
      timestamp: number;
      retryNum?: number;
      retryReason?: SlackRetryReason;
    },
  ): Promise<Pick<SlackEventAttempt, "outcome" | "status" | "body" | "durationMs"> & { noRetry?: boolean }> {
    const config = this.config;
    if (!config?.requestUrl)
      throw new Error("The Slack emulator has no Events API request URL: configureEvents() first");
    const headers: Record<string, string> = {
      "content-type": "application/json",
      "user-agent": "Slackbot 1.0 (+https://api.slack.com/robots)",
      "x-slack-request-timestamp": String(how.timestamp),
    };
    if (how.signature !== "missing") {
      const secret = how.signature === "bad" ? `not-${config.signingSecret}` : config.signingSecret;
      headers["x-slack-signature"] = slackSignature(secret, how.timestamp, body);
    }
    if (how.retryNum) {
      headers["x-slack-retry-num"] = String(how.retryNum);
      headers["x-slack-retry-reason"] = how.retryReason ?? "http_timeout";
    }
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    const timeout = AbortSignal.timeout(config.timeoutMs ?? 3_000);
    try {
      const response = await fetch(config.requestUrl, {
        method: "POST",
        headers,
        body,
        signal: AbortSignal.any([timeout, this.closing.signal]),
      });
      const text = await response.text();
      return {
        outcome: response.ok ? "ok" : "http_error",
        status: response.status,
        body: text,
        durationMs: elapsed(),
        // An app may ask Slack not to retry a failed delivery.
        ...(response.headers.get("x-slack-no-retry") === "1" && { noRetry: true }),
      };
    } catch {
      return { outcome: timeout.aborted ? "http_timeout" : "connection_failed", durationMs: elapsed() };
    }
  }
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

/** Waits `ms`; false when `signal` aborted the wait. */
function sleep(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", stop);
      resolve(true);
    }, ms);
    const stop = () => {
      clearTimeout(timer);
      resolve(false);
    };
    signal.addEventListener("abort", stop, { once: true });
  });
}

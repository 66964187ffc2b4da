import { createHmac, randomBytes } from "node:crypto";
import type { EmulatorClock } from "../shared/emulator-clock";
import type { WebhookAttempt, WebhookDelivery, WebhookRetryPolicy } from "../shared/webhook-delivery";
import { WebhookSender } from "../shared/webhook-sender";
import type { WebhookSignatureKind, WebhookSignatureScheme } from "../shared/webhook-signature";
import type { StripeCall, StripeEndpointOwner } from "./stripe-api";
import { PLATFORM_ACCOUNT_ID, type StripeObject, type StripeState } from "./stripe-state";
import { stripeId } from "./stripe-wire";

/**
 * Stripe's signature: `Stripe-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`, keyed with the
 * endpoint's `whsec_` secret as it is written (the whole string).
 * @see https://docs.stripe.com/webhooks#verify-manually
 */
export const STRIPE_SIGNATURE: WebhookSignatureScheme = {
  sign: (body, secret, timestamp) => ({
    "stripe-signature": `t=${timestamp},v1=${stripeSignature(body, secret, timestamp)}`,
  }),
  malformed: { "stripe-signature": "v1=not-a-signature" },
};

/** The hex `v1` signature of `body` at `timestamp` with `secret`. */
export function stripeSignature(body: string, secret: string, timestamp: number): string {
  return createHmac("sha256", secret).update(`${timestamp}.${body}`, "utf8").digest("hex");
}

/**
 * Stripe retries a failed delivery (any answer outside 2xx, or none within the timeout) with exponential
 * backoff for up to three days in live mode; in test mode three times over a few hours. The emulator keeps the
 * test-mode schedule.
 * @see https://docs.stripe.com/webhooks#retries
 */
export const STRIPE_WEBHOOK_RETRIES: WebhookRetryPolicy = {
  delaysMs: [5 * 60_000, 60 * 60_000, 3 * 3600_000],
};

/** What the emulator logs with every attempt: the endpoint and the event. */
export interface StripeDeliveryMeta {
  endpointId: string;
  eventId: string;
  eventType: string;
}

export type StripeDelivery = WebhookAttempt<StripeDeliveryMeta>;

/** Receivers get 10 s before the attempt counts as failed (Stripe waits longer; tests want it short). */
export const DEFAULT_STRIPE_DELIVERY_TIMEOUT_MS = 10_000;

/**
 * The emulator's events: every state change a call makes is an `event` (kept for `events.list` and
 * `events.retrieve`) in Stripe's envelope, POSTed signed to each enabled webhook endpoint that wants its type.
 * Tests can hold deliveries and release them in any order (Stripe does not guarantee order), redeliver one,
 * or send one with a forged or stale signature.
 */
export class StripeEvents {
  readonly sender: WebhookSender<StripeDeliveryMeta>;
  private held: WebhookDelivery<StripeDeliveryMeta>[] | undefined;
  // The endpoints' signing secrets: answered only when an endpoint is created, never listed.
  private readonly secrets = new Map<string, string>();
  // Whose each endpoint is (not a field of Stripe's webhook endpoint object).
  private readonly owners = new Map<string, StripeEndpointOwner>();

  constructor(
    private readonly state: StripeState,
    private readonly apiVersion: () => string,
    clock: EmulatorClock,
    timeoutMs = DEFAULT_STRIPE_DELIVERY_TIMEOUT_MS,
  ) {
    this.sender = new WebhookSender<StripeDeliveryMeta>({
      clock,
      signature: STRIPE_SIGNATURE,
      timeoutMs,
      retry: STRIPE_WEBHOOK_RETRIES,
    });
  }

  /**
   * Records the event for a state change and delivers it: to the own endpoints of the account the call was made on,
   * without `account`, and, for another account than the platform's, to the platform's Connect endpoints, naming
   * the `account` (Stripe names it on Connect deliveries only).
   */
  emit(
    type: string,
    object: StripeObject,
    call: StripeCall | undefined,
    previous?: Record<string, unknown>,
  ): StripeObject {
    const origin = call?.key.accountId ?? PLATFORM_ACCOUNT_ID;
    const event = this.state.add(
      "events",
      {
        id: this.state.newId("events"),
        object: "event",
        api_version: this.apiVersion(),
        created: this.state.seconds(),
        data: {
          // A snapshot: later changes to the object are later events.
          object: structuredClone(object),
          ...(previous &&
            Object.keys(previous).length > 0 && { previous_attributes: structuredClone(previous) }),
        },
        livemode: call?.key.livemode ?? false,
        // A connected account's events name it, as Stripe's Connect deliveries do; the platform's own name none.
        ...(call && call.key.accountId !== PLATFORM_ACCOUNT_ID && { account: call.key.accountId }),
        pending_webhooks: 0,
        request: { id: call ? stripeId("req", 14) : null, idempotency_key: call?.idempotencyKey ?? null },
        type,
      },
      origin,
    );
    const deliveries = this.state
      .list(
        "webhook_endpoints",
        (e) => e.status === "enabled" && (e.enabled_events as string[]).some((t) => t === "*" || t === type),
      )
      .flatMap((endpoint) => {
        const payload = this.payloadFor(event, origin, endpoint);
        return payload ? [{ endpoint, payload }] : [];
      });
    event.pending_webhooks = deliveries.length;
    for (const { endpoint, payload } of deliveries.reverse()) this.deliver(payload, endpoint);
    return event;
  }

  /**
   * The event as `endpoint` receives it, or undefined when it does not: an account's own endpoint gets its events
   * without `account`, the platform's Connect endpoint the other accounts' events with it.
   */
  private payloadFor(event: StripeObject, origin: string, endpoint: StripeObject): StripeObject | undefined {
    const owner = this.ownerOf(endpoint.id);
    // A Connect endpoint listens to the platform's connected accounts, not to the platform itself.
    if (owner.connect) {
      return owner.account === PLATFORM_ACCOUNT_ID && origin !== PLATFORM_ACCOUNT_ID ? event : undefined;
    }
    if (owner.account !== origin) return undefined;
    const { account: _connect, ...own } = event;
    return own as StripeObject;
  }

  /**
   * Sends `event` to `endpoint` (signed as asked), outside the automatic deliveries, as that endpoint receives it (or
   * as recorded, for an endpoint it would not go to): resolves when answered.
   */
  send(
    event: StripeObject,
    endpoint: StripeObject,
    options: { signature?: WebhookSignatureKind; timestamp?: number } = {},
  ): Promise<StripeDelivery> {
    const origin = typeof event.account === "string" ? event.account : PLATFORM_ACCOUNT_ID;
    const payload = this.payloadFor(event, origin, endpoint) ?? event;
    return this.sender.send(this.sender.create(this.request(payload, endpoint)), options);
  }

  /** Holds every automatic delivery until `release`, which sends the held ones in the order given (default: newest first). */
  hold(): void {
    this.held ??= [];
  }

  /** Sends the held deliveries: `reverse` (the default) newest first, to show a receiver out-of-order events. */
  release(order: "reverse" | "in-order" = "reverse"): void {
    const held = this.held ?? [];
    this.held = undefined;
    for (const delivery of order === "reverse" ? [...held].reverse() : held) this.sender.deliver(delivery);
  }

  /** The same event sent again to every endpoint it went to (Stripe's "Resend"): resolves when answered. */
  async redeliver(eventId: string): Promise<StripeDelivery[]> {
    const deliveries = this.sender.deliveries.filter((d) => d.meta.eventId === eventId);
    return Promise.all(deliveries.map((d) => this.sender.send(d)));
  }

  /** A new endpoint's signing secret (`whsec_` and 32 alphanumerics), kept for its deliveries, and whose it is. */
  newEndpoint(endpointId: string, owner: StripeEndpointOwner): string {
    this.owners.set(endpointId, owner);
    const secret = `whsec_${randomBytes(24)
      .toString("base64")
      .replace(/[^A-Za-z0-9]/g, "")
      .slice(0, 32)}`;
    this.secrets.set(endpointId, secret);
    return secret;
  }

  /** Whose endpoint `endpointId` is; one a test put into the state directly is the platform's own. */
  ownerOf(endpointId: string): StripeEndpointOwner {
    return this.owners.get(endpointId) ?? { account: PLATFORM_ACCOUNT_ID, connect: false };
  }

  /** An endpoint's signing secret, as its creation answered it. */
  secretOf(endpointId: string): string | undefined {
    return this.secrets.get(endpointId);
  }

  private deliver(event: StripeObject, endpoint: StripeObject): void {
    const delivery = this.sender.create(this.request(event, endpoint));
    if (this.held) this.held.push(delivery);
    else this.sender.deliver(delivery);
  }

  private request(event: StripeObject, endpoint: StripeObject) {
    return {
      id: `${event.id}:${endpoint.id}`,
      url: String(endpoint.url),
      // Stripe sends the event pretty-printed; the signature covers these exact bytes.
      body: JSON.stringify(event, null, 2),
      secret: this.secrets.get(endpoint.id),
      headers: {
        "content-type": "application/json; charset=utf-8",
        "user-agent": "Stripe/1.0 (+https://stripe.com/docs/webhooks)",
        "cache-control": "no-cache",
      },
      meta: { endpointId: endpoint.id, eventId: event.id, eventType: String(event.type) },
    };
  }
}

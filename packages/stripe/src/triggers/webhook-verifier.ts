import {
  createHmacWebhookVerifier,
  type DeliveryTenant,
  type Json,
  type VerifiedWebhook,
  WebhookRejection,
  type WebhookVerifier,
} from "@autoflow/core";

export interface StripeWebhookVerifierOptions {
  /**
   * The endpoints' signing secrets (`whsec_...`); a delivery signed with any of them is accepted. During a
   * secret roll Stripe signs with both (two `v1` signatures): keep both until the old one expires.
   */
  secrets: readonly string[];
  /** How far the signed timestamp may be from now, either way. Default 300 s, as Stripe's own libraries. */
  toleranceSeconds?: number;
}

/** The parts of `Stripe-Signature: t=1700000000,v1=<hex>,v1=<hex>,v0=<hex>` named `name`. */
function partsOf(value: string, name: string): string[] {
  return value
    .split(",")
    .map((part) => part.trim())
    .filter((part) => part.startsWith(`${name}=`))
    .map((part) => part.slice(name.length + 1));
}

/**
 * Verifies Stripe webhook deliveries with core's `createHmacWebhookVerifier`, over the raw bytes and before
 * anything is parsed: `Stripe-Signature`'s `t=` timestamp within 300 s either way, and every `v1=` signature
 * (HMAC-SHA256 of `<t>.<body>`, hex) compared in constant time against every secret; any match passes. `v0` (test
 * signatures) is ignored. The delivery id is the event's `id` (Stripe retries and resends with the same id, so the
 * inbox dedupes by it), the event its `type`; the tenant is the connected account (`account`) when Stripe names one.
 * @see https://docs.stripe.com/webhooks#verify-manually
 */
export function createStripeWebhookVerifier(options: StripeWebhookVerifierOptions): WebhookVerifier {
  const secrets = options.secrets.filter((s) => s !== "");
  if (secrets.length === 0)
    throw new TypeError("createStripeWebhookVerifier: at least one secret is required");
  return createHmacWebhookVerifier({
    provider: "stripe",
    secrets,
    signatureHeader: "Stripe-Signature",
    parseSignature: (value) => partsOf(value, "v1"),
    timestamp: {
      unit: "seconds",
      toleranceSeconds: options.toleranceSeconds ?? 300,
      read: (_headers, value) => (value === undefined ? undefined : partsOf(value, "t")[0]),
    },
    signedContent: ({ body, timestamp }) => Buffer.concat([Buffer.from(`${timestamp}.`, "utf8"), body]),
    toDelivery: stripeDelivery,
  });
}

/** A verified event: its id, type and (for Connect) account; anything that is not an event is refused. */
function stripeDelivery(payload: Json): VerifiedWebhook {
  const event = typeof payload === "object" && payload !== null && !Array.isArray(payload) ? payload : {};
  const { id, type, object } = event;
  if (object !== "event" || typeof id !== "string" || typeof type !== "string") {
    throw new WebhookRejection("not_json", "The body is not a Stripe event");
  }
  const tenant = stripeTenantOf(event);
  return {
    kind: "delivery",
    delivery: { provider: "stripe", deliveryId: id, event: type, payload, ...(tenant && { tenant }) },
  };
}

/**
 * The tenant of a Stripe event: the connected account it happened on (`account`, on Connect deliveries). A
 * platform's own events name no account: they start only code jobs, not stored workflows (which fail closed).
 */
export function stripeTenantOf(event: { [key: string]: Json | undefined }): DeliveryTenant | undefined {
  const { account } = event;
  return typeof account === "string" && account !== "" ? { account } : undefined;
}

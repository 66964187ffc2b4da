/**
 * @module
 * Stripe for AutoFlow jobs: the `Stripe` integration (every `stripe` method as a durable, typed task; task
 * classes for customers, payment intents, Checkout sessions, subscriptions, invoices, refunds, prices,
 * products, webhook endpoints and the balance, each write sent with the task's idempotency key), Stripe's
 * error table (`toStripeError`) and its provider definition, on the SDK's pinned API version; the connection
 * lifecycle (API keys, Connect OAuth); webhook triggers typed from the SDK's events and the `Stripe-Signature`
 * verifier.
 */

export type { StripeClientOptions } from "./client";
export { createStripeClient, STRIPE_API_URL, STRIPE_API_VERSION } from "./client";
export type { StripeIntegrationOptions } from "./definition";
export { STRIPE_PROVIDER_DEFINITION } from "./definition";
export { STRIPE_RATE_LIMIT_MESSAGE, toStripeError } from "./errors";
export type { StripeAuthMethod, StripeConnectionMetadata } from "./lifecycle";
export { createStripeLifecycle, isLiveKey, STRIPE_CONNECT_URL, STRIPE_DEFAULT_SCOPES } from "./lifecycle";
export type { StripeMethods, StripeTree } from "./method-tree";
export { Stripe } from "./stripe";
export * from "./tasks/index";
export * from "./triggers/index";

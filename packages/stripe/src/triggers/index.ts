// The Stripe triggers' public exports (webhook triggers, registration), re-exported by src/index.ts.
export type { StripeEventFilter, StripeEventOfType, StripeEventType } from "./stripe-triggers";
export { stripeEventTrigger } from "./stripe-triggers";
export type { StripeWebhookRegistrationOptions } from "./webhook-registration";
export {
  stripeRegistrationKey,
  stripeWebhookRegistration,
  unregisterStripeRegistration,
} from "./webhook-registration";
export type { StripeWebhookVerifierOptions } from "./webhook-verifier";
export { createStripeWebhookVerifier, stripeTenantOf } from "./webhook-verifier";

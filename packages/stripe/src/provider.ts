/**
 * @module
 * Stripe's provider manifest (`@autoflow/stripe/provider`): what the service, the registries and the bench need
 * to know about Stripe, for the one provider list (`@autoflow/providers`) to iterate over. Also the registry
 * actions (`stripe.createCustomer`, `stripe.createPaymentIntent`) and the workflow trigger catalogue entries
 * (`stripe.paymentIntentSucceeded`, `stripe.checkoutSessionCompleted`, `stripe.invoicePaid`,
 * `stripe.customerSubscriptionUpdated`).
 */

import type { ProviderPackage } from "@autoflow/actions";
import { baseUrlOption, defineProviderManifest } from "@autoflow/core";
import { stripeActions } from "./actions/index";
import {
  createStripeLifecycle,
  createStripeWebhookVerifier,
  STRIPE_PROVIDER_DEFINITION,
  Stripe,
  unregisterStripeRegistration,
} from "./index";
import { stripeTriggers } from "./triggers/catalogue";

/** The `stripe` client's options for the service's endpoints (the emulator): a host and port from `apiBaseUrl`. */
const clientOptions = baseUrlOption("apiBaseUrl", { trailingSlash: false });

/** Stripe, as the provider list holds it. */
export const stripeProvider: ProviderPackage = defineProviderManifest({
  definition: STRIPE_PROVIDER_DEFINITION,
  integration: Stripe,
  lifecycle: createStripeLifecycle,
  // The SDK takes a host and port (from `apiBaseUrl`) and joins `/v1/...` onto them.
  clientOptions,
  // Connect OAuth lives on its own host (`connect.stripe.com`): the service's web URL.
  lifecycleEndpoints: ({ webUrl }) => (webUrl ? { connectBaseUrl: webUrl } : {}),
  webhooks: {
    createVerifier: (secrets) => createStripeWebhookVerifier({ secrets }),
    // The service's endpoints live on the connection's account, which Stripe names (`account`) only on Connect
    // deliveries: an account's own events at its endpoint are that account's.
    connectionTenant: ({ metadata }) =>
      typeof metadata.accountId === "string" && metadata.accountId !== ""
        ? { account: metadata.accountId }
        : undefined,
    unregister: ({ key, externalId, auth, apiUrl }) =>
      unregisterStripeRegistration({ key, externalId, auth, client: clientOptions({ apiUrl }) }),
  },
  actions: stripeActions,
  triggers: stripeTriggers,
});

export { stripeCreateCustomer, stripeCreatePaymentIntent } from "./actions/index";
export {
  stripeCheckoutSessionCompleted,
  stripeCustomerSubscriptionUpdated,
  stripeInvoicePaid,
  stripePaymentIntentSucceeded,
} from "./triggers/catalogue";

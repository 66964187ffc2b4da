import { type ProviderDefinition, type ProviderIntegrationClass, providerIntegration } from "@autoflow/core";
import type StripeSdk from "stripe";
import { createStripeClient, type StripeClientOptions } from "./client";
import { toStripeError } from "./errors";
import { type StripeTree, stripeMethodTree } from "./method-tree";
import { Balance } from "./tasks/balance";
import { Checkout } from "./tasks/checkout";
import { Customers } from "./tasks/customers";
import { withStripeIdempotencyKey } from "./tasks/idempotency-key";
import { Invoices } from "./tasks/invoices";
import { PaymentIntents } from "./tasks/payment-intents";
import { Prices } from "./tasks/prices";
import { Products } from "./tasks/products";
import { Refunds } from "./tasks/refunds";
import { Subscriptions } from "./tasks/subscriptions";
import { WebhookEndpoints } from "./tasks/webhook-endpoints";

/** Options for `new Stripe(...)`. */
export interface StripeIntegrationOptions extends StripeClientOptions {
  /** Identifies this integration in jobs and connections. */
  id: string;
  /** A secret or restricted key (`sk_live_...`, `rk_test_...`): LOCAL. Omit it to use the connection (HOSTED). */
  token?: string;
}

/** What the provider kit knows of Stripe: its client, its method tree, its error table, its keys' shapes. */
export const STRIPE_PROVIDER_DEFINITION = {
  id: "stripe",
  name: "Stripe",
  // StripeSdk written out where a client is given or taken: the declaration files name the SDK's own type.
  createClient: (token, options): StripeSdk => createStripeClient(token, options),
  toError: (error, now) => toStripeError(error, now),
  sdk: {
    root: (client: StripeSdk): StripeTree => stripeMethodTree(client),
    shape: (): StripeSdk => createStripeClient("sk_test_method_tree_only"),
    result: "response",
  },
  secrets: {
    // Secret and restricted keys, live and test; webhook signing secrets; Connect refresh tokens.
    tokenShapes: [/\b(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{8,}/g, /\bwhsec_[A-Za-z0-9+/=]{8,}/g],
    tokenPrefixes: ["sk_live_", "sk_test_", "rk_live_", "rk_test_", "whsec_"],
  },
  withIdempotencyKey: (client: StripeSdk, key: string): StripeSdk => withStripeIdempotencyKey(client, key),
  // The SDK namespaces with hand-written task classes; every other namespace passes through.
  tasks: {
    /** `create`, `retrieve`, `update`, `list`, `listAll`, `del`, `search`, and every other `customers.*` method. */
    customers: Customers,
    /** `create`, `retrieve`, `update`, `confirm`, `capture`, `cancel`, `list`, `listAll`, and every other `paymentIntents.*` method. */
    paymentIntents: PaymentIntents,
    /** `checkout.sessions`: `create`, `retrieve`, `expire`, and every other `checkout.*` method. */
    checkout: Checkout,
    /** `create`, `retrieve`, `update`, `cancel`, `list`, `listAll`, and every other `subscriptions.*` method. */
    subscriptions: Subscriptions,
    /** `create`, `retrieve`, `finalizeInvoice`, `pay`, `sendInvoice`, `list`, `listAll`, and every other `invoices.*` method. */
    invoices: Invoices,
    /** `create`, `retrieve`, and every other `refunds.*` method. */
    refunds: Refunds,
    /** `create`, `retrieve`, `list`, `listAll`, and every other `prices.*` method. */
    prices: Prices,
    /** `create`, `retrieve`, `list`, `listAll`, and every other `products.*` method. */
    products: Products,
    /** `create`, `list`, `del`, and every other `webhookEndpoints.*` method. */
    webhookEndpoints: WebhookEndpoints,
    /** `retrieve`. */
    balance: Balance,
  },
  passthroughProperties: { Customer: "customer", Amount: "amount", Currency: "currency" },
} satisfies ProviderDefinition<StripeSdk, StripeIntegrationOptions>;

/**
 * The kit's integration class for Stripe, which `Stripe` builds on (its trigger methods, then its tasks): typed
 * from the definition, a getter per task class and every other `stripe` namespace passing through.
 */
export const StripeIntegration: ProviderIntegrationClass<typeof STRIPE_PROVIDER_DEFINITION> =
  providerIntegration<typeof STRIPE_PROVIDER_DEFINITION>();

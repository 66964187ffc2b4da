import { fileURLToPath } from "node:url";
import { type ContractTask, describeProvider } from "@autoflow/core/testing";
import { CONNECTED_ACCOUNT_ID, StripeEmulator } from "@autoflow/emulators";
import { beforeEach } from "vitest";
import { createStripeLifecycle, STRIPE_PROVIDER_DEFINITION, Stripe } from "../src/index";

// The shared provider suite, with every hand-written task, against the emulator over real HTTP.
const emulator = new StripeEmulator();

// The suite runs every task under one run id and task key, so every write sends the same idempotency key: Stripe
// would refuse the second with other parameters (as it should), so each test starts with the keys forgotten.
beforeEach(() => emulator.reset());

const seeded = () => {
  const { state } = emulator;
  const customer = state.add("customers", {
    id: state.newId("customers"),
    object: "customer",
    created: state.seconds(),
    email: "seed@example.com",
    livemode: false,
    metadata: {},
  });
  return customer.id;
};

const product = () => {
  const { state } = emulator;
  return state.add("products", {
    id: state.newId("products"),
    object: "product",
    active: true,
    created: state.seconds(),
    name: "Seed",
  }).id;
};

const price = (recurring = true) => {
  const { state } = emulator;
  return state.add("prices", {
    id: state.newId("prices"),
    object: "price",
    active: true,
    created: state.seconds(),
    currency: "usd",
    product: product(),
    recurring: recurring ? { interval: "month", interval_count: 1 } : null,
    type: recurring ? "recurring" : "one_time",
    unit_amount: 1500,
  }).id;
};

const intent = (status: "requires_payment_method" | "requires_capture" | "succeeded") => {
  const { state } = emulator;
  const id = state.newId("payment_intents");
  const charge = state.add("charges", {
    id: state.newId("charges"),
    object: "charge",
    amount: 1000,
    amount_refunded: 0,
    captured: status === "succeeded",
    currency: "usd",
    payment_intent: id,
  });
  return state.add("payment_intents", {
    id,
    object: "payment_intent",
    amount: 1000,
    amount_capturable: status === "requires_capture" ? 1000 : 0,
    amount_received: status === "succeeded" ? 1000 : 0,
    capture_method: status === "requires_capture" ? "manual" : "automatic",
    created: state.seconds(),
    currency: "usd",
    latest_charge: status === "requires_payment_method" ? null : charge.id,
    metadata: {},
    payment_method: status === "requires_payment_method" ? null : "pm_card_visa",
    status,
  }).id;
};

const subscription = () => {
  const { state } = emulator;
  return state.add("subscriptions", {
    id: state.newId("subscriptions"),
    object: "subscription",
    cancel_at_period_end: false,
    created: state.seconds(),
    current_period_end: state.seconds() + 86_400,
    customer: seeded(),
    metadata: {},
    status: "active",
  }).id;
};

const invoice = (status: "draft" | "open", collection = "send_invoice") => {
  const { state } = emulator;
  return state.add("invoices", {
    id: state.newId("invoices"),
    object: "invoice",
    amount_due: 500,
    amount_paid: 0,
    amount_remaining: 500,
    attempt_count: 0,
    collection_method: collection,
    created: state.seconds(),
    customer: seeded(),
    status,
    status_transitions: { finalized_at: null, paid_at: null },
  }).id;
};

const session = () => {
  const { state } = emulator;
  return state.add("checkout_sessions", {
    id: state.newId("checkout_sessions"),
    object: "checkout.session",
    created: state.seconds(),
    mode: "payment",
    status: "open",
  }).id;
};

const tasks: ContractTask<Stripe>[] = [
  { name: "customers.create", call: (s, key) => s.customers.create(key, { email: "ada@example.com" }) },
  { name: "customers.retrieve", call: (s, key) => s.customers.retrieve(key, seeded()) },
  { name: "customers.update", call: (s, key) => s.customers.update(key, seeded(), { name: "Ada" }) },
  { name: "customers.list", call: (s, key) => s.customers.list(key, { limit: 3 }) },
  { name: "customers.listAll", call: (s, key) => s.customers.listAll(key, { limit: 2 }, { limit: 5 }) },
  { name: "customers.del", call: (s, key) => s.customers.del(key, seeded()) },
  {
    name: "customers.search",
    call: (s, key) => s.customers.search(key, { query: "email:'seed@example.com'" }),
  },
  {
    name: "paymentIntents.create",
    call: (s, key) => s.paymentIntents.create(key, { amount: 2000, currency: "usd" }),
  },
  { name: "paymentIntents.retrieve", call: (s, key) => s.paymentIntents.retrieve(key, intent("succeeded")) },
  {
    name: "paymentIntents.update",
    call: (s, key) => s.paymentIntents.update(key, intent("requires_payment_method"), { amount: 1200 }),
  },
  {
    name: "paymentIntents.confirm",
    call: (s, key) =>
      s.paymentIntents.confirm(key, intent("requires_payment_method"), { payment_method: "pm_card_visa" }),
  },
  {
    name: "paymentIntents.capture",
    call: (s, key) => s.paymentIntents.capture(key, intent("requires_capture")),
  },
  {
    name: "paymentIntents.cancel",
    call: (s, key) => s.paymentIntents.cancel(key, intent("requires_payment_method")),
  },
  { name: "paymentIntents.list", call: (s, key) => s.paymentIntents.list(key) },
  { name: "paymentIntents.listAll", call: (s, key) => s.paymentIntents.listAll(key, {}, { limit: 3 }) },
  {
    name: "checkout.sessions.create",
    call: (s, key) =>
      s.checkout.sessions.create(key, {
        mode: "payment",
        line_items: [{ price: price(false), quantity: 1 }],
        success_url: "https://example.com/ok",
      }),
  },
  { name: "checkout.sessions.retrieve", call: (s, key) => s.checkout.sessions.retrieve(key, session()) },
  { name: "checkout.sessions.expire", call: (s, key) => s.checkout.sessions.expire(key, session()) },
  {
    name: "subscriptions.create",
    call: (s, key) => s.subscriptions.create(key, { customer: seeded(), items: [{ price: price() }] }),
  },
  { name: "subscriptions.retrieve", call: (s, key) => s.subscriptions.retrieve(key, subscription()) },
  {
    name: "subscriptions.update",
    call: (s, key) => s.subscriptions.update(key, subscription(), { metadata: { tier: "gold" } }),
  },
  { name: "subscriptions.cancel", call: (s, key) => s.subscriptions.cancel(key, subscription()) },
  { name: "subscriptions.list", call: (s, key) => s.subscriptions.list(key) },
  { name: "subscriptions.listAll", call: (s, key) => s.subscriptions.listAll(key, {}, { limit: 3 }) },
  { name: "invoices.create", call: (s, key) => s.invoices.create(key, { customer: seeded() }) },
  { name: "invoices.retrieve", call: (s, key) => s.invoices.retrieve(key, invoice("open")) },
  { name: "invoices.finalizeInvoice", call: (s, key) => s.invoices.finalizeInvoice(key, invoice("draft")) },
  {
    name: "invoices.pay",
    call: (s, key) => s.invoices.pay(key, invoice("open"), { paid_out_of_band: true }),
  },
  { name: "invoices.sendInvoice", call: (s, key) => s.invoices.sendInvoice(key, invoice("open")) },
  { name: "invoices.list", call: (s, key) => s.invoices.list(key) },
  { name: "invoices.listAll", call: (s, key) => s.invoices.listAll(key, {}, { limit: 3 }) },
  {
    name: "refunds.create",
    call: (s, key) => s.refunds.create(key, { payment_intent: intent("succeeded"), amount: 100 }),
  },
  {
    name: "refunds.retrieve",
    call: async (s, key) => {
      const { state } = emulator;
      const refund = state.add("refunds", {
        id: state.newId("refunds"),
        object: "refund",
        amount: 100,
        created: state.seconds(),
        currency: "usd",
      });
      return s.refunds.retrieve(key, refund.id);
    },
  },
  {
    name: "prices.create",
    call: (s, key) => s.prices.create(key, { product: product(), unit_amount: 900, currency: "usd" }),
  },
  { name: "prices.retrieve", call: (s, key) => s.prices.retrieve(key, price()) },
  { name: "prices.list", call: (s, key) => s.prices.list(key) },
  { name: "prices.listAll", call: (s, key) => s.prices.listAll(key, {}, { limit: 3 }) },
  { name: "products.create", call: (s, key) => s.products.create(key, { name: "Pro" }) },
  { name: "products.retrieve", call: (s, key) => s.products.retrieve(key, product()) },
  { name: "products.list", call: (s, key) => s.products.list(key) },
  { name: "products.listAll", call: (s, key) => s.products.listAll(key, {}, { limit: 3 }) },
  {
    name: "webhookEndpoints.create",
    call: (s, key) =>
      s.webhookEndpoints.create(key, { url: "https://example.com/hook", enabled_events: ["invoice.paid"] }),
  },
  { name: "webhookEndpoints.list", call: (s, key) => s.webhookEndpoints.list(key) },
  {
    name: "webhookEndpoints.del",
    call: (s, key) => {
      const { state } = emulator;
      const endpoint = state.add("webhook_endpoints", {
        id: state.newId("webhook_endpoints"),
        object: "webhook_endpoint",
        enabled_events: ["*"],
        status: "enabled",
        url: "https://example.com/old",
      });
      return s.webhookEndpoints.del(key, endpoint.id);
    },
  },
  { name: "balance.retrieve", call: (s, key) => s.balance.retrieve(key) },
];

describeProvider({
  className: "Stripe",
  definition: STRIPE_PROVIDER_DEFINITION,
  emulator,
  create: (options, stripe) => new Stripe({ ...options, apiBaseUrl: stripe.apiUrl }),
  tasks,
  // A write sent with the task's idempotency key: a lost answer, a reset or a timeout is retried, and Stripe's
  // idempotency replays the first answer instead of creating a second customer.
  faultCall: (s, key) => s.customers.create(key, { email: "fault@example.com" }),
  faultOverrides: {
    "connection-reset": { type: "network", retryable: true, reason: "outcome_unknown" },
    timeout: { type: "network", retryable: true, reason: "outcome_unknown" },
    "answer-lost": { type: "network", retryable: true, reason: "outcome_unknown" },
  },
  passthrough: { method: "taxRates.list", call: (s, key) => s.taxRates.list(key) },
  lifecycle: {
    create: (store, clock, stripe) =>
      createStripeLifecycle({
        store,
        clock,
        apiBaseUrl: stripe.apiUrl,
        connectBaseUrl: stripe.webUrl,
        oauthClient: { ...stripe.oauthClient, redirectUri: "http://127.0.0.1:9/callback" },
        timeoutMs: 10_000,
      }),
    // A Connect token of the lifecycle's platform: the kind a platform can deauthorize.
    mintToken: (stripe) =>
      stripe.mintToken({ account: CONNECTED_ACCOUNT_ID, clientId: stripe.oauthClient.clientId }),
    expectedMetadata: { accountId: CONNECTED_ACCOUNT_ID, livemode: false },
  },
  consumer: {
    packageDir: fileURLToPath(new URL("..", import.meta.url)),
    importFrom: ["@autoflow/stripe", "Stripe"],
    options: (token, stripe) => JSON.stringify({ id: "stripe", token, apiBaseUrl: stripe.apiUrl }),
    body: `(async () => {
      const customer = await io.x.customers.create("create", { email: "consumer@example.com" });
      const rates = await io.x.taxRates.list("rates");
      return { email: customer.email, rates: rates.object };
    })()`,
    expected: { email: "consumer@example.com", rates: "list" },
  },
});

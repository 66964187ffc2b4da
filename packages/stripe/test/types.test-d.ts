import type { IntegrationTaskKey, TaskOutput } from "@autoflow/core";
import type StripeSdk from "stripe";
import { describe, expectTypeOf, it } from "vitest";
import { Stripe } from "../src/index";

// Type-level behaviour, checked by `vitest --typecheck`; nothing here runs.
const stripe = new Stripe({ id: "types", token: "sk_test_types_only_000000000" });

describe("hand-written tasks", () => {
  it("take the SDK's own params and resolve to the task output of its object", () => {
    expectTypeOf(stripe.paymentIntents.create)
      .parameter(1)
      .toEqualTypeOf<StripeSdk.PaymentIntentCreateParams>();
    expectTypeOf(stripe.paymentIntents.create).returns.resolves.toEqualTypeOf<
      TaskOutput<StripeSdk.PaymentIntent>
    >();
    expectTypeOf(stripe.paymentIntents.create)
      .returns.resolves.toHaveProperty("amount")
      .toEqualTypeOf<number>();
    expectTypeOf(stripe.customers.retrieve).parameter(1).toEqualTypeOf<string>();
    expectTypeOf(stripe.checkout.sessions.create)
      .parameter(1)
      .toEqualTypeOf<StripeSdk.Checkout.SessionCreateParams>();
    expectTypeOf(stripe.checkout.sessions.expire).returns.resolves.toHaveProperty("status");
    expectTypeOf(stripe.invoices.finalizeInvoice).returns.resolves.toHaveProperty("status");
    expectTypeOf(stripe.customers.list).returns.resolves.toHaveProperty("has_more").toEqualTypeOf<boolean>();
    expectTypeOf(stripe.customers.listAll).returns.resolves.toEqualTypeOf<TaskOutput<StripeSdk.Customer[]>>();
    expectTypeOf(stripe.customers.listAll).parameter(2).toEqualTypeOf<{ limit: number }>();
    expectTypeOf(stripe.balance.retrieve).returns.resolves.toHaveProperty("available");
  });

  it("rejects misspelt methods, wrong params and a missing key", () => {
    const wrong = () => {
      // @ts-expect-error no such method on paymentIntents
      stripe.paymentIntents.creat("k", { amount: 1, currency: "usd" });
      // @ts-expect-error amount is a number
      stripe.paymentIntents.create("k", { amount: "10", currency: "usd" });
      // @ts-expect-error currency is required
      stripe.paymentIntents.create("k", { amount: 10 });
      // @ts-expect-error a misspelt key is an excess property
      stripe.customers.create("k", { emial: "a@example.com" });
      // @ts-expect-error the task key comes first
      stripe.customers.retrieve("cus_123");
      // @ts-expect-error a page walk needs its limit
      stripe.customers.listAll("k", {});
    };
    expectTypeOf(wrong).toBeFunction();
  });
});

describe("passthrough", () => {
  it("types a namespace without hand-written tasks from the SDK", () => {
    expectTypeOf(stripe.taxRates.list).parameter(0).toEqualTypeOf<IntegrationTaskKey>();
    expectTypeOf(stripe.taxRates.list).toBeCallableWith("k", { limit: 3 });
    expectTypeOf(stripe.taxRates.retrieve).toBeCallableWith("k", "txr_123");
    expectTypeOf(stripe.billing.meters.list).toBeCallableWith("k");
  });

  it("keeps the rest of a hand-written namespace", () => {
    expectTypeOf(stripe.customers.listPaymentMethods).toBeCallableWith("k", "cus_123");
    expectTypeOf(stripe.paymentIntents.search).toBeCallableWith("k", { query: "status:'succeeded'" });
  });

  it("rejects what the SDK does not have", () => {
    const wrong = () => {
      // @ts-expect-error no such namespace
      stripe.taxRatez.list("k");
      // @ts-expect-error no such method
      stripe.taxRates.lisst("k");
    };
    expectTypeOf(wrong).toBeFunction();
  });
});

describe("triggers", () => {
  it("type each payload from the SDK's events", () => {
    type Payload<T> = T extends { payloadOf(delivery: never): infer P } ? P : never;
    expectTypeOf<
      Payload<ReturnType<typeof stripe.onPaymentIntentSucceeded>>
    >().toEqualTypeOf<StripeSdk.PaymentIntentSucceededEvent>();
    expectTypeOf<
      Payload<ReturnType<typeof stripe.onInvoicePaid>>["data"]["object"]
    >().toEqualTypeOf<StripeSdk.Invoice>();
    expectTypeOf<
      Payload<ReturnType<typeof stripe.onEvent<"refund.created">>>
    >().toEqualTypeOf<StripeSdk.RefundCreatedEvent>();
    const wrong = () => {
      // @ts-expect-error not an event type
      stripe.onEvent("payment_intent.succeded");
    };
    expectTypeOf(wrong).toBeFunction();
  });
});

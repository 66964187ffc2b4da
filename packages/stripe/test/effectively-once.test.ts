import type { RunEvent } from "@autoflow/core";
import { createTestClock, expectDoneOnce } from "@autoflow/core/testing";
import { StripeEmulator, type StripeObject } from "@autoflow/emulators";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Stripe } from "../src/index";
import { runJob, stripeFor } from "./helpers";

// Effectively once: for every hand-written Stripe write, the answer is lost after Stripe handled the request (the
// connection reset before any byte of it, or held past the client's deadline). The runtime repeats the call with
// the same Idempotency-Key (the task's), Stripe answers the first answer again, and the side effect exists exactly
// once: never a second PaymentIntent, refund or subscription. Through the real `stripe` SDK over loopback.
const emulator = new StripeEmulator();
let token: string;
beforeAll(async () => {
  await emulator.start();
  token = emulator.mintToken();
});
afterEach(() => emulator.clearFaults());
afterAll(() => emulator.stop());

let unique = 0;
const marker = () => `m${++unique}`;

const withMarker = (collection: Parameters<StripeEmulator["state"]["list"]>[0], value: string) =>
  emulator.state.list(
    collection,
    (o: StripeObject) => (o.metadata as Record<string, string>)?.marker === value,
  ).length;

function seedPaidIntent(): string {
  const { state } = emulator;
  const id = state.newId("payment_intents");
  const charge = state.add("charges", {
    id: state.newId("charges"),
    object: "charge",
    amount: 5000,
    amount_refunded: 0,
    captured: true,
    currency: "usd",
    payment_intent: id,
  });
  state.add("payment_intents", {
    id,
    object: "payment_intent",
    amount: 5000,
    currency: "usd",
    latest_charge: charge.id,
    status: "succeeded",
  });
  return id;
}

function seedPrice(): string {
  const { state } = emulator;
  return state.add("prices", {
    id: state.newId("prices"),
    object: "price",
    currency: "usd",
    product: "prod_x",
    recurring: { interval: "month" },
    unit_amount: 900,
  }).id;
}

function seedCustomer(): string {
  const { state } = emulator;
  return state.add("customers", { id: state.newId("customers"), object: "customer", metadata: {} }).id;
}

/** One declared write: its path, how it is called with a fresh marker, and how many side effects Stripe holds. */
interface WriteCase {
  task: string;
  path: string | RegExp;
  call: (stripe: Stripe, marker: string) => Promise<unknown>;
  count: (marker: string) => number;
}

/** A PaymentIntent authorized for manual capture, with its marker, waiting for `capture`. */
function seedAuthorizedIntent(m: string): string {
  const { state } = emulator;
  const id = state.newId("payment_intents");
  const charge = state.add("charges", {
    id: state.newId("charges"),
    object: "charge",
    amount: 800,
    amount_refunded: 0,
    captured: false,
    currency: "usd",
    payment_intent: id,
  });
  state.add("payment_intents", {
    id,
    object: "payment_intent",
    amount: 800,
    amount_capturable: 800,
    amount_received: 0,
    capture_method: "manual",
    currency: "usd",
    latest_charge: charge.id,
    metadata: { marker: m },
    status: "requires_capture",
  });
  return id;
}

const writes: WriteCase[] = [
  {
    // No params: the key still goes in the options argument, as a header, not as a form field.
    task: "paymentIntents.capture",
    path: /^\/v1\/payment_intents\/[^/]+\/capture$/,
    call: (s, m) => s.paymentIntents.capture("capture", seedAuthorizedIntent(m)),
    count: (m) =>
      emulator.state.list(
        "payment_intents",
        (o) => (o.metadata as Record<string, string>)?.marker === m && o.status === "succeeded",
      ).length,
  },
  {
    task: "paymentIntents.create",
    path: "/v1/payment_intents",
    call: (s, m) =>
      s.paymentIntents.create("charge", {
        amount: 2000,
        currency: "usd",
        payment_method: "pm_card_visa",
        confirm: true,
        metadata: { marker: m },
      }),
    count: (m) => withMarker("payment_intents", m),
  },
  {
    task: "refunds.create",
    path: "/v1/refunds",
    call: (s, m) =>
      s.refunds.create("refund", { payment_intent: seedPaidIntent(), amount: 100, metadata: { marker: m } }),
    count: (m) => withMarker("refunds", m),
  },
  {
    task: "subscriptions.create",
    path: "/v1/subscriptions",
    call: (s, m) =>
      s.subscriptions.create("subscribe", {
        customer: seedCustomer(),
        items: [{ price: seedPrice() }],
        metadata: { marker: m },
      }),
    count: (m) => withMarker("subscriptions", m),
  },
  {
    task: "customers.create",
    path: "/v1/customers",
    call: (s, m) => s.customers.create("customer", { email: `${m}@example.com`, metadata: { marker: m } }),
    count: (m) => withMarker("customers", m),
  },
  {
    task: "checkout.sessions.create",
    path: "/v1/checkout/sessions",
    call: (s, m) =>
      s.checkout.sessions.create("session", {
        mode: "payment",
        success_url: "https://example.com/ok",
        metadata: { marker: m },
      }),
    count: (m) => withMarker("checkout_sessions", m),
  },
  {
    task: "invoices.create",
    path: "/v1/invoices",
    call: (s, m) => s.invoices.create("invoice", { customer: seedCustomer(), metadata: { marker: m } }),
    count: (m) => withMarker("invoices", m),
  },
];

async function run(write: WriteCase, m: string, timeoutMs = 5_000) {
  const events: RunEvent[] = [];
  const outcome = await runJob(stripeFor(emulator, token, timeoutMs), (io) => write.call(io.stripe, m), {
    clock: createTestClock(Date.now()),
    maxInProcessWaitMs: Number.POSITIVE_INFINITY,
    onEvent: (event) => events.push(event),
  });
  const sent = emulator.requests.filter((r) =>
    typeof write.path === "string" ? r.path === write.path : write.path.test(r.path),
  ).length;
  return { ...outcome, events, sent };
}

describe.each(writes)("$task", (write) => {
  it.each(["reset", "hang"] as const)(
    "its answer lost (%s) after Stripe handled it: repeated with the same key, replayed, done once",
    async (after) => {
      const m = marker();
      emulator.server.faults.loseAnswerNext(1, { method: "POST", path: write.path }, after);
      const sentTo = () =>
        emulator.requests.filter((r) =>
          typeof write.path === "string" ? r.path === write.path : write.path.test(r.path),
        );
      const before = sentTo().length;
      const outcome = await run(write, m, after === "hang" ? 300 : 5_000);
      expectDoneOnce(outcome, {
        reconciled: false,
        sideEffects: write.count(m),
        calls: outcome.sent - before,
      });
      const [first, second] = sentTo().slice(before);
      expect(first?.headers["idempotency-key"]).toMatch(/./);
      expect(second?.headers["idempotency-key"]).toBe(first?.headers["idempotency-key"]);
      expect(second?.responseHeaders?.["idempotent-replayed"]).toBe("true");
    },
  );
});

describe("a PaymentIntent whose first answer never came", () => {
  it("keeps the task's output equal to the one PaymentIntent Stripe created", async () => {
    const m = marker();
    emulator.server.faults.loseAnswerNext(1, { method: "POST", path: "/v1/payment_intents" });
    const { result, output } = await run(
      writes.find((w) => w.task === "paymentIntents.create") as WriteCase,
      m,
    );
    expect(result.status).toBe("completed");
    const [created] = emulator.state.list(
      "payment_intents",
      (o) => (o.metadata as Record<string, string>)?.marker === m,
    );
    expect(output).toMatchObject({ id: created?.id, status: "succeeded", amount_received: 2000 });
  });
});

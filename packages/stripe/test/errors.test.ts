import { StripeEmulator } from "@autoflow/emulators";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createStripeClient, STRIPE_RATE_LIMIT_MESSAGE, toStripeError } from "../src/index";

// Stripe's error table over what the real `stripe` SDK throws for the emulator's answers in Stripe's wire format.
const emulator = new StripeEmulator();
const NOW = Date.UTC(2026, 11, 6, 12, 0, 0);
let stripe: ReturnType<typeof createStripeClient>;

beforeAll(async () => {
  await emulator.start();
  // A margin, not a measure: the emulator checks its first request against Stripe's whole API description, which
  // took more than 2 s in CI on two loaded cores.
  stripe = createStripeClient(emulator.mintToken(), { apiBaseUrl: emulator.apiUrl, timeoutMs: 45_000 });
});
afterEach(() => emulator.reset());
afterAll(() => emulator.stop());

async function failure(call: () => Promise<unknown>) {
  const error = await call().then(
    () => {
      throw new Error("expected the call to fail");
    },
    (e: unknown) => e,
  );
  return toStripeError(error, NOW);
}

/** The next request to `path` is answered with Stripe's error body. */
function answerNext(status: number, error: Record<string, unknown>, headers: Record<string, string> = {}) {
  emulator.server.faults.failNext(1, { status, headers, body: { error } });
}

describe("toStripeError", () => {
  it("card_error is schema (a decision, never retried), with Stripe's code and the decline code kept", async () => {
    const error = await failure(() =>
      stripe.paymentIntents.create({
        amount: 500,
        currency: "usd",
        payment_method: "pm_card_chargeDeclinedInsufficientFunds",
        confirm: true,
      }),
    );
    expect(error).toMatchObject({
      type: "schema",
      retryable: false,
      status: 402,
      code: "card_declined",
      details: { declineCode: "insufficient_funds" },
    });
    expect(error.toJSON().details).toEqual({ declineCode: "insufficient_funds" });
  });

  it("invalid_request_error (400, 404) is schema with Stripe's code", async () => {
    expect(await failure(() => stripe.customers.retrieve("cus_missing"))).toMatchObject({
      type: "schema",
      status: 404,
      code: "resource_missing",
      retryable: false,
    });
    expect(await failure(() => stripe.paymentIntents.create({ currency: "usd" } as never))).toMatchObject({
      type: "schema",
      status: 400,
      code: "parameter_missing",
    });
  });

  it("idempotency_error (the same key with other parameters) is schema", async () => {
    await stripe.customers.create({ name: "a" }, { idempotencyKey: "same" });
    expect(
      await failure(() => stripe.customers.create({ name: "b" }, { idempotencyKey: "same" })),
    ).toMatchObject({
      type: "schema",
      status: 400,
      code: "idempotency_error",
      retryable: false,
    });
  });

  it("429 rate_limit and lock_timeout are rate-limit, retryAt from Retry-After, with the spec's message", async () => {
    answerNext(
      429,
      { type: "invalid_request_error", code: "rate_limit", message: "Too many" },
      { "retry-after": "7" },
    );
    const limited = await failure(() => stripe.customers.list());
    expect(limited).toMatchObject({
      type: "rate-limit",
      code: "rate_limit",
      message: STRIPE_RATE_LIMIT_MESSAGE,
    });
    expect(limited.retryAt?.getTime()).toBe(NOW + 7_000);
    answerNext(429, { type: "invalid_request_error", code: "lock_timeout", message: "Locked" });
    expect(await failure(() => stripe.customers.list())).toMatchObject({
      type: "rate-limit",
      code: "lock_timeout",
      retryable: true,
    });
  });

  it("409 idempotency_key_in_use is upstream, retried after a short wait", async () => {
    const release = emulator.holdRequests({ method: "POST", path: "/v1/customers" });
    const held = stripe.customers.create({ name: "held" }, { idempotencyKey: "busy" });
    await expect.poll(() => emulator.requests.length).toBe(1);
    const error = await failure(() => stripe.customers.create({ name: "held" }, { idempotencyKey: "busy" }));
    release();
    await held;
    expect(error).toMatchObject({
      type: "upstream",
      status: 409,
      code: "idempotency_key_in_use",
      retryable: true,
    });
    expect(error.retryAt?.getTime()).toBe(NOW + 1_000);
  });

  it("authentication_error (401) and permission_error (403) are auth", async () => {
    await emulator.injectFault("unauthorized");
    expect(await failure(() => stripe.balance.retrieve())).toMatchObject({ type: "auth", status: 401 });
    await emulator.clearFaults();
    await emulator.injectFault("forbidden");
    expect(await failure(() => stripe.balance.retrieve())).toMatchObject({ type: "auth", status: 403 });
  });

  it("api_error 5xx, and an answer that is not JSON, are upstream", async () => {
    await emulator.injectFault("server-error");
    expect(await failure(() => stripe.balance.retrieve())).toMatchObject({
      type: "upstream",
      status: 500,
      retryable: true,
    });
    await emulator.clearFaults();
    await emulator.injectFault("bad-gateway");
    expect(await failure(() => stripe.balance.retrieve())).toMatchObject({
      type: "upstream",
      retryable: true,
    });
  });

  it("api_connection_error is network with the transport's code", async () => {
    await emulator.injectFault("connection-refused");
    expect(await failure(() => stripe.balance.retrieve())).toMatchObject({
      type: "network",
      code: "ECONNREFUSED",
      retryable: true,
    });
    await emulator.clearFaults();
    await emulator.injectFault("connection-reset");
    expect(await failure(() => stripe.customers.create({}))).toMatchObject({
      type: "network",
      reason: "outcome_unknown",
    });
  });

  it("reads Stripe's codes outside an SDK error (the OAuth token endpoint's)", () => {
    expect(toStripeError.typeOfCode("invalid_grant")).toBe("auth");
    expect(toStripeError.typeOfCode("rate_limit")).toBe("rate-limit");
    expect(toStripeError.typeOfCode("idempotency_key_in_use")).toBe("upstream");
    expect(toStripeError.typeOfCode("amount_too_large")).toBe("schema");
  });
});

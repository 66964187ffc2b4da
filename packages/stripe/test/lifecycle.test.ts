import { MemoryConnectionStore } from "@autoflow/core";
import { consent, createTestClock } from "@autoflow/core/testing";
import { CONNECTED_ACCOUNT_ID, PLATFORM_ACCOUNT_ID, StripeEmulator } from "@autoflow/emulators";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createStripeLifecycle, STRIPE_RATE_LIMIT_MESSAGE } from "../src/index";

// Stripe's lifecycle specifics (the shared suite in provider.test.ts runs the lifecycle contract).
const emulator = new StripeEmulator();
beforeAll(() => emulator.start());
afterAll(() => emulator.stop());

const lifecycle = (clock = createTestClock(Date.now())) =>
  createStripeLifecycle({
    store: new MemoryConnectionStore(),
    clock,
    apiBaseUrl: emulator.apiUrl,
    connectBaseUrl: emulator.webUrl,
    oauthClient: { ...emulator.oauthClient, redirectUri: "http://127.0.0.1:3000/oauth/stripe/callback" },
    timeoutMs: 5_000,
  });

describe("Stripe lifecycle specifics", () => {
  it("connects a Standard account through Connect OAuth: read_write, stripe_user_id as accountId, test mode", async () => {
    const stripe = lifecycle();
    const started = stripe.beginOAuth("u1");
    const url = new URL(started.authUrl);
    expect(url.pathname).toBe("/oauth/authorize");
    expect(url.searchParams.get("scope")).toBe("read_write");
    const connection = await stripe.completeOAuth({ ...(await consent(started.authUrl)), userId: "u1" });
    expect(connection).toMatchObject({
      authMethod: "oauth2",
      accountId: CONNECTED_ACCOUNT_ID,
      scopes: ["read_write"],
      livemode: false,
      accountName: "Acme Connected",
    });
    expect(connection.tokenMasked).toMatch(/^sk_test_/);
  });

  it("reads livemode from a key's prefix and the account from GET /v1/account", async () => {
    const stripe = lifecycle();
    const live = await stripe.connectApiKey({
      userId: "u1",
      accessToken: emulator.mintToken({ livemode: true }),
    });
    expect(live).toMatchObject({
      authMethod: "api_key",
      accountId: PLATFORM_ACCOUNT_ID,
      accountEmail: "owner@acme.example",
      livemode: true,
      scopes: ["read_write"],
    });
    const restricted = await stripe.connectApiKey({
      userId: "u2",
      accessToken: emulator.mintToken({ restricted: true }),
    });
    expect(restricted).toMatchObject({ livemode: false, scopes: [] });
    expect(restricted.tokenMasked).toMatch(/^rk_test_/);
  });

  it("answers health degraded with Stripe's rate-limit message, as spec 003's Stripe example", async () => {
    const clock = createTestClock(Date.now());
    const stripe = lifecycle(clock);
    await stripe.connectApiKey({ userId: "u1", accessToken: emulator.mintToken() });
    expect(await stripe.health("u1")).toMatchObject({
      status: "ok",
      accountId: PLATFORM_ACCOUNT_ID,
      livemode: false,
    });
    await emulator.injectFault("rate-limited");
    clock.advance(10 * 60_000);
    try {
      expect(await stripe.health("u1")).toMatchObject({
        status: "degraded",
        details: { rateLimited: true, errorType: "rate-limit", message: STRIPE_RATE_LIMIT_MESSAGE },
      });
    } finally {
      await emulator.clearFaults();
    }
  });

  it("disconnecting a Connect account deauthorizes it; a pasted key of the platform is only forgotten", async () => {
    const stripe = lifecycle();
    const started = stripe.beginOAuth("u1");
    const connection = await stripe.completeOAuth({ ...(await consent(started.authUrl)), userId: "u1" });
    const { accessToken } = await stripe.authFor("u1");
    expect(await stripe.disconnect("u1", connection.id)).toBe(true);
    expect(emulator.keys.lookup(accessToken)).toBeUndefined();
    const key = emulator.mintToken();
    const pasted = await stripe.connectApiKey({ userId: "u2", accessToken: key });
    expect(await stripe.disconnect("u2", pasted.id)).toBe(true);
    expect(emulator.keys.lookup(key)).toBeDefined();
  });
});

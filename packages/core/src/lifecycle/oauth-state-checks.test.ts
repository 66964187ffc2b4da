import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestClock } from "../testing/test-clock";
import { OAuthFixtureServer, RotatingProvider, rotatingLifecycle } from "./__fixtures__/oauth-server";
import { MemoryConnectionStore } from "./connection-store";
import { ConnectorLifecycle } from "./connector-lifecycle";
import { ConnectionLifecycleError } from "./lifecycle-errors";

const server = new OAuthFixtureServer();
const provider = new RotatingProvider(server, 3600);
beforeAll(() => server.start());
afterAll(() => server.stop());

/** Two providers over one store (as in the service): `rotating` (PKCE) and `other`, the same adapter renamed. */
function twoProviders() {
  const store = new MemoryConnectionStore();
  const clock = createTestClock(Date.UTC(2026, 0, 1));
  const rotating = rotatingLifecycle(provider, store, clock);
  const other = new ConnectorLifecycle(
    { ...rotating.adapter, provider: "other" },
    {
      store,
      clock,
      oauthClient: { clientId: "client-1", clientSecret: "secret-1", redirectUri: "http://x/cb" },
    },
  );
  return { store, clock, rotating, other };
}

const refusal = async (attempt: Promise<unknown>) => {
  try {
    await attempt;
  } catch (error) {
    if (error instanceof ConnectionLifecycleError) return error.code;
    throw error;
  }
  throw new Error("expected a refusal");
};

describe("OAuth state checks", () => {
  it("exchanges the code with the verifier stored with the state, which the provider checks against the challenge", async () => {
    const { rotating } = twoProviders();
    const started = await rotating.beginOAuthStored("user-1");
    expect(started.codeVerifier).toBeDefined();
    const before = server.requestsTo("/token").length;
    await rotating.completeOAuth({ ...provider.consent(started.authUrl), userId: "user-1" });
    const exchange = server.requestsTo("/token").slice(before);
    expect(exchange.map((r) => r.form.code_verifier)).toEqual([started.codeVerifier]);
  });

  it("refuses a state on the wrong provider without using it up", async () => {
    const { rotating, other } = twoProviders();
    const consented = provider.consent(rotating.beginOAuth("user-1").authUrl);
    expect(await refusal(other.completeOAuth(consented))).toBe("state_provider_mismatch");
    expect(await refusal(other.completeOAuth({ ...consented, userId: "user-1" }))).toBe(
      "state_provider_mismatch",
    );
    const connected = await rotating.completeOAuth({ ...consented, userId: "user-1" });
    expect(connected.userId).toBe("user-1");
    expect(await refusal(rotating.completeOAuth(consented))).toBe("state_reused");
  });

  it("refuses another user's completion without using the state up", async () => {
    const { rotating } = twoProviders();
    const consented = provider.consent(rotating.beginOAuth("user-1").authUrl);
    expect(await refusal(rotating.completeOAuth({ ...consented, userId: "user-2" }))).toBe(
      "state_user_mismatch",
    );
    expect((await rotating.completeOAuth({ ...consented, userId: "user-1" })).userId).toBe("user-1");
  });

  it("refuses an expired state and leaves it unmarked", async () => {
    const { store, clock, rotating } = twoProviders();
    const started = await rotating.beginOAuthStored("user-1");
    clock.advance(601_000);
    expect(await refusal(rotating.completeOAuth(provider.consent(started.authUrl)))).toBe("state_expired");
    const record = await store.consumeOAuthState(started.state, new Date(clock.now()).toISOString());
    expect(record?.usedAt).toBeUndefined();
  });
});

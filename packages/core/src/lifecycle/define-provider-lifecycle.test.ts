import { describe, expect, it } from "vitest";
import { IntegrationError } from "../errors";
import type { Clock } from "../runtime/clock";
import { createTestClock } from "../testing/test-clock";
import { MemoryConnectionStore } from "./connection-store";
import { defineProviderLifecycle } from "./define-provider-lifecycle";
import type { ProviderAdapter } from "./provider-adapter";

interface AcmeAdapterOptions {
  region?: string;
  clock?: Clock;
}

const factoryCalls: object[] = [];

function acmeAdapter(
  options: AcmeAdapterOptions = {},
): ProviderAdapter<"oauth2" | "api_key", { region: string }> {
  factoryCalls.push(options);
  return {
    provider: "acme",
    oauthAuthMethod: "oauth2",
    apiKeyAuthMethod: "api_key",
    oauth: {
      pkce: false,
      defaultScopes: ["read"],
      authorizeUrl: ({ state }) => `https://acme.example/authorize?state=${state}`,
      exchangeCode: async () => ({ accessToken: "acme-token-1" }),
    },
    describe: async () => ({ metadata: { region: options.region ?? "eu" }, test: {} }),
    toIntegrationError: (error) =>
      new IntegrationError({ type: "upstream", provider: "acme", message: String(error) }),
  };
}

const createAcmeLifecycle = defineProviderLifecycle(acmeAdapter);

describe("defineProviderLifecycle", () => {
  it("hands the adapter its own options and the clock, and the lifecycle the rest", async () => {
    factoryCalls.length = 0;
    const clock = createTestClock(Date.UTC(2026, 0, 1));
    const store = new MemoryConnectionStore();
    const lifecycle = createAcmeLifecycle({
      store,
      clock,
      region: "us",
      stateTtlSeconds: 60,
      healthCacheSeconds: 5,
      oauthClient: { clientId: "id", clientSecret: "secret", redirectUri: "http://127.0.0.1/cb" },
    });
    expect(factoryCalls).toEqual([{ region: "us", clock }]);
    expect(lifecycle.provider).toBe("acme");

    const started = lifecycle.beginOAuth("user-1");
    expect(started.expiresInSeconds).toBe(60);
    const state = await store.consumeOAuthState(started.state, new Date(clock.now()).toISOString());
    expect(state?.expiresAt).toBe(new Date(clock.now() + 60_000).toISOString());

    const connection = await lifecycle.connectApiKey({ userId: "user-1", apiKey: "acme-key-1" });
    expect(connection).toMatchObject({ region: "us", createdAt: new Date(clock.now()).toISOString() });
  });

  it("builds a lifecycle from the store alone, without OAuth", async () => {
    factoryCalls.length = 0;
    const lifecycle = createAcmeLifecycle({ store: new MemoryConnectionStore() });
    expect(factoryCalls).toEqual([{}]);
    expect(() => lifecycle.beginOAuth("user-1")).toThrow(/no OAuth client/);
  });

  // Checked by tsc, never run.
  const typeErrors = () => {
    // @ts-expect-error the store is required
    createAcmeLifecycle({ region: "us" });
    // @ts-expect-error an adapter option of the wrong type is refused
    createAcmeLifecycle({ store: new MemoryConnectionStore(), region: 1 });
  };
  expect(typeErrors).toBeTypeOf("function");
});

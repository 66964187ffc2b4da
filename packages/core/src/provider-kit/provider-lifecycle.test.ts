import { describe, expect, it } from "vitest";
import { IntegrationError } from "../errors";
import { MemoryConnectionStore } from "../lifecycle/connection-store";
import { createTestClock } from "../testing/test-clock";
import type { ProviderDefinition } from "./provider-definition";
import { providerLifecycle } from "./provider-lifecycle";

// A fake SDK with one base-URL option, a deadline and a fetch: the shape of every provider's client options.
interface FakeOptions {
  id: string;
  token?: string;
  apiUrl?: string;
  timeoutMs?: number;
  fetch?: typeof fetch;
}

class FakeClient {
  static built: { token: string; options: FakeOptions }[] = [];
  revoked: string[] = [];
  constructor(
    readonly token: string,
    readonly options: FakeOptions,
  ) {
    FakeClient.built.push({ token, options });
  }
  async whoami() {
    if (this.token === "bad") throw Object.assign(new Error("denied"), { status: 401 });
    return { account: `acct-of-${this.token}`, scopes: ["read"] };
  }
}

const revoked: { token: string; clientId?: string; apiUrl?: string }[] = [];

const FAKE: ProviderDefinition<FakeClient, FakeOptions> = {
  id: "fake",
  name: "Fake",
  createClient: (token, options) => new FakeClient(token, options),
  toError: (error, now) =>
    new IntegrationError({
      type: (error as { status?: number }).status === 401 ? "auth" : "upstream",
      provider: "fake",
      message: String((error as Error).message),
      retryAt: new Date(now),
    }),
  sdk: { root: (client) => client, shape: () => new FakeClient("", { id: "shape" }), result: "response" },
  secrets: { tokenShapes: [] },
};

const createFakeLifecycle = providerLifecycle<
  FakeClient,
  FakeOptions,
  "oauth2" | "api_key",
  { account: string; scopes: string[] },
  { oauthHost?: string }
>(FAKE, {
  oauthAuthMethod: "oauth2",
  apiKeyAuthMethod: "api_key",
  apiKeyAuthType: "api_key",
  oauth: ({ oauthHost = "https://fake.example" }) => ({
    authorizeUrl: `${oauthHost}/authorize`,
    tokenUrl: `${oauthHost}/token`,
    defaultScopes: ["read"],
  }),
  async describe(client, credential) {
    const me = await client.whoami();
    return {
      metadata: { account: me.account, scopes: credential.scopes ?? me.scopes },
      test: { account: me.account },
    };
  },
  async revoke(client, _credential, { oauthClient, options }) {
    revoked.push({
      token: client.token,
      ...(oauthClient && { clientId: oauthClient.clientId }),
      ...(options.apiUrl !== undefined && { apiUrl: options.apiUrl }),
    });
  },
});

const oauthClient = { clientId: "cid", clientSecret: "secret", redirectUri: "http://127.0.0.1/cb" };

describe("providerLifecycle", () => {
  it("describes a token with the SDK client the definition builds from the client options alone", async () => {
    FakeClient.built = [];
    const lifecycle = createFakeLifecycle({
      store: new MemoryConnectionStore(),
      apiUrl: "http://127.0.0.1:9/api",
      timeoutMs: 1234,
      stateTtlSeconds: 60,
      oauthHost: "http://127.0.0.1:9",
    });
    expect(lifecycle.provider).toBe("fake");
    expect(lifecycle.adapter).toMatchObject({ apiKeyAuthMethod: "api_key", apiKeyAuthType: "api_key" });
    const connection = await lifecycle.connectApiKey({ userId: "u1", apiKey: "tok-1" });
    expect(connection).toMatchObject({ authMethod: "api_key", account: "acct-of-tok-1", scopes: ["read"] });
    expect(await lifecycle.testConnection("u1")).toMatchObject({ ok: "true", account: "acct-of-tok-1" });
    // The lifecycle's own options (store, state TTL) stay out; the provider's extras ride along (the SDK
    // ignores them); the id is the provider's.
    expect(FakeClient.built[0]).toEqual({
      token: "tok-1",
      options: {
        id: "fake",
        apiUrl: "http://127.0.0.1:9/api",
        timeoutMs: 1234,
        oauthHost: "http://127.0.0.1:9",
      },
    });
  });

  it("revokes with the credential's client, the OAuth client and the options", async () => {
    revoked.length = 0;
    const store = new MemoryConnectionStore();
    const lifecycle = createFakeLifecycle({ store, oauthClient, apiUrl: "http://127.0.0.1:9/api" });
    const connection = await lifecycle.connectApiKey({ userId: "u1", apiKey: "tok-2" });
    expect(await lifecycle.disconnect("u1", connection.id)).toBe(true);
    expect(revoked).toEqual([{ token: "tok-2", clientId: "cid", apiUrl: "http://127.0.0.1:9/api" }]);
  });

  it("translates errors through the definition's table, dated by the lifecycle's clock", async () => {
    const clock = createTestClock(Date.UTC(2026, 0, 1));
    const lifecycle = createFakeLifecycle({ store: new MemoryConnectionStore(), clock });
    await expect(lifecycle.connectApiKey({ userId: "u1", apiKey: "bad" })).rejects.toMatchObject({
      type: "auth",
      provider: "fake",
    });
    expect(lifecycle.adapter.toIntegrationError(new Error("boom")).retryAt?.getTime()).toBe(clock.now());
  });

  it("builds the OAuth flow from the provider's endpoints, with the options' deadline, fetch and clock", async () => {
    const clock = createTestClock(Date.UTC(2026, 0, 1));
    const calls: string[] = [];
    const fakeFetch: typeof fetch = async (input) => {
      calls.push(String(input));
      return Response.json({ access_token: "oauth-tok", expires_in: 60, scope: "read" });
    };
    const lifecycle = createFakeLifecycle({
      store: new MemoryConnectionStore(),
      clock,
      oauthClient,
      fetch: fakeFetch,
      oauthHost: "http://127.0.0.1:9",
    });
    const started = lifecycle.beginOAuth("u1");
    expect(started.authUrl).toMatch(/^http:\/\/127\.0\.0\.1:9\/authorize\?/);
    const credential = await lifecycle.adapter.oauth?.exchangeCode({ client: oauthClient, code: "c" });
    expect(calls).toEqual(["http://127.0.0.1:9/token"]);
    expect(credential).toMatchObject({
      accessToken: "oauth-tok",
      expiresAt: new Date(clock.now() + 60_000).toISOString(),
    });
  });

  // Checked by tsc, never run.
  const typeErrors = () => {
    // @ts-expect-error the store is required
    createFakeLifecycle({ apiUrl: "x" });
    // @ts-expect-error a client option of the wrong type is refused
    createFakeLifecycle({ store: new MemoryConnectionStore(), timeoutMs: "slow" });
    // @ts-expect-error the integration's id and token are not lifecycle options
    createFakeLifecycle({ store: new MemoryConnectionStore(), token: "t" });
  };
  expect(typeErrors).toBeTypeOf("function");
});

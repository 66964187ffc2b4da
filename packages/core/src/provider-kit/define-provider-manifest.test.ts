import { describe, expect, it } from "vitest";
import { toIntegrationError } from "../classify";
import { MemoryConnectionStore } from "../lifecycle/connection-store";
import { ConnectorLifecycle, type ConnectorLifecycleOptions } from "../lifecycle/connector-lifecycle";
import { createOAuth2 } from "../lifecycle/oauth2";
import { ACME_DEFINITION, Acme } from "./__fixtures__/acme-sdk";
import { baseUrlOption, defineProviderManifest } from "./define-provider-manifest";

/** Acme's lifecycle factory as a provider writes it: its own option (the OAuth host) beside core's. */
function createAcmeLifecycle(options: ConnectorLifecycleOptions & { oauthHost: string }) {
  return new ConnectorLifecycle(
    {
      provider: "acme",
      oauthAuthMethod: "oauth2",
      apiKeyAuthMethod: "api_key",
      oauth: createOAuth2({
        provider: "acme",
        authorizeUrl: `${options.oauthHost}/authorize`,
        tokenUrl: `${options.oauthHost}/token`,
        defaultScopes: ["read"],
      }),
      describe: async (credential) => ({
        metadata: { account: credential.accessToken.slice(-4) },
        test: { ok: "true" },
      }),
      toIntegrationError: (error) => toIntegrationError(error, "acme"),
    },
    options,
  );
}

/** The service constructs the class with `{ id, token? }` and the client options: Acme's API URL has a default here. */
class AcmeIntegration extends Acme {
  constructor(options: { id: string; token?: string; baseUrl?: string }) {
    super({ baseUrl: "https://api.acme.example", ...options });
  }
}

const acmeProvider = defineProviderManifest({
  definition: ACME_DEFINITION,
  integration: AcmeIntegration,
  lifecycle: createAcmeLifecycle,
  lifecycleEndpoints: ({ webUrl }) => ({ oauthHost: webUrl ?? "https://acme.example" }),
  clientOptions: ({ apiUrl }) => (apiUrl ? { baseUrl: apiUrl } : {}),
  actions: [],
  triggers: [],
});

describe("defineProviderManifest", () => {
  it("takes the id, the name and the token shapes from the provider definition", () => {
    expect(acmeProvider).toMatchObject({
      id: "acme",
      name: ACME_DEFINITION.name,
      integration: AcmeIntegration,
    });
    expect(acmeProvider.secrets).toBe(ACME_DEFINITION.secrets);
  });

  it("builds the lifecycle over the service's store, OAuth client and endpoints", async () => {
    const store = new MemoryConnectionStore();
    const lifecycle = acmeProvider.createLifecycle({
      store,
      oauthClient: { clientId: "client-1", clientSecret: "secret-1", redirectUri: "http://127.0.0.1/cb" },
      webUrl: "http://127.0.0.1:9/acme",
    });
    const { authUrl } = await lifecycle.beginOAuthStored("user-1");
    expect(authUrl).toMatch(/^http:\/\/127\.0\.0\.1:9\/acme\/authorize\?/);
    expect(new URL(authUrl).searchParams.get("client_id")).toBe("client-1");

    const connection = await lifecycle.connectApiKey({ userId: "user-1", accessToken: "acme_tok_12345678" });
    expect(await store.getConnection(connection.id)).toMatchObject({ userId: "user-1", provider: "acme" });
  });

  it("hands lifecycleEndpoints the web URL without its trailing slashes", async () => {
    const lifecycle = acmeProvider.createLifecycle({
      store: new MemoryConnectionStore(),
      oauthClient: { clientId: "client-1", clientSecret: "secret-1", redirectUri: "http://127.0.0.1/cb" },
      webUrl: "http://127.0.0.1:9/acme//",
    });
    const { authUrl } = await lifecycle.beginOAuthStored("user-1");
    expect(authUrl).toMatch(/^http:\/\/127\.0\.0\.1:9\/acme\/authorize\?/);
  });

  it("hands the lifecycle factory the service's fetch beside the client's options, and keeps userAimedHosts", () => {
    const given: object[] = [];
    const serviceFetch: typeof fetch = async () => new Response("{}");
    const sited = defineProviderManifest({
      definition: ACME_DEFINITION,
      integration: AcmeIntegration,
      lifecycle: (options: ConnectorLifecycleOptions & { oauthHost: string }) => {
        given.push(options);
        return createAcmeLifecycle(options);
      },
      lifecycleEndpoints: ({ webUrl }) => ({ oauthHost: webUrl ?? "https://acme.example" }),
      clientOptions: ({ apiUrl }) => (apiUrl ? { baseUrl: apiUrl } : {}),
      userAimedHosts: true,
      actions: [],
      triggers: [],
    });
    expect(sited.userAimedHosts).toBe(true);
    expect(acmeProvider.userAimedHosts).toBeUndefined();
    sited.createLifecycle({
      store: new MemoryConnectionStore(),
      apiUrl: "http://127.0.0.1:9/api",
      fetch: serviceFetch,
    });
    expect(given[0]).toMatchObject({ baseUrl: "http://127.0.0.1:9/api", fetch: serviceFetch });
    sited.createLifecycle({ store: new MemoryConnectionStore() });
    expect(given[1]).not.toHaveProperty("fetch");
  });

  it("leaves OAuth out when the service has no OAuth client: only API keys connect", async () => {
    const lifecycle = acmeProvider.createLifecycle({ store: new MemoryConnectionStore() });
    expect(() => lifecycle.beginOAuth("user-1")).toThrow(/OAuth/);
    const connection = await lifecycle.connectApiKey({ userId: "user-1", accessToken: "acme_tok_87654321" });
    expect(connection.tokenMasked).not.toContain("87654321");
  });
});

describe("baseUrlOption", () => {
  it("gives the SDK's base-URL option only when the API is overridden, with the slash the SDK joins paths with", () => {
    const slashed = baseUrlOption("apiUrl", { trailingSlash: true });
    const bare = baseUrlOption("baseUrl", { trailingSlash: false });
    expect(slashed({})).toEqual({});
    expect(slashed({ apiUrl: "http://127.0.0.1:9/api" })).toEqual({ apiUrl: "http://127.0.0.1:9/api/" });
    expect(slashed({ apiUrl: "http://127.0.0.1:9/api//" })).toEqual({ apiUrl: "http://127.0.0.1:9/api/" });
    expect(bare({ apiUrl: "https://ghe.example/api/v3/" })).toEqual({
      baseUrl: "https://ghe.example/api/v3",
    });
    expect(bare({ webUrl: "https://ghe.example" })).toEqual({});
  });
});

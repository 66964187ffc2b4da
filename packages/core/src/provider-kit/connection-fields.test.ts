import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { IntegrationError } from "../errors";
import { MemoryConnectionStore } from "../lifecycle/connection-store";
import { createTestClock } from "../testing/test-clock";
import type { ConnectionFields, ProviderDefinition } from "./provider-definition";
import { providerLifecycle } from "./provider-lifecycle";

// A provider whose token is half the credential (an Atlassian API token needs its email and site; an OAuth
// token needs the cloud it reaches): the kit must carry those fields from connecting to every client.

interface SiteOptions {
  id: string;
  token?: string;
  gatewayUrl?: string;
  timeoutMs?: number;
  fetch?: typeof fetch;
}

class SiteClient {
  static built: { token: string; fields: ConnectionFields }[] = [];
  constructor(
    readonly token: string,
    readonly fields: ConnectionFields,
  ) {
    SiteClient.built.push({ token, fields });
  }
  async myself() {
    if (!this.fields.cloudId) throw Object.assign(new Error("no site"), { status: 404 });
    return { accountId: `acct-${this.token}`, site: this.fields.siteUrl ?? "?" };
  }
}

const SITE: ProviderDefinition<SiteClient, SiteOptions> = {
  id: "site",
  name: "Site",
  createClient: (token, _options, fields) => new SiteClient(token, fields),
  toError: (error) =>
    new IntegrationError({
      type: (error as { status?: number }).status === 401 ? "auth" : "schema",
      provider: "site",
      message: String((error as Error).message),
    }),
  sdk: { root: (client) => client, shape: () => new SiteClient("", {}), result: "response" },
  secrets: { tokenShapes: [] },
};

let server: Server;
let base: string;
let refreshes = 0;
beforeAll(async () => {
  server = createServer((request, response) => {
    const json = (status: number, body: unknown) => {
      response.writeHead(status, { "content-type": "application/json" });
      response.end(JSON.stringify(body));
    };
    const url = new URL(request.url ?? "/", "http://x");
    if (url.pathname === "/_edge/tenant_info") return json(200, { cloudId: "cloud-api" });
    if (url.pathname === "/accessible-resources") {
      // Only OAuth tokens reach a cloud; anything else reaches none.
      return request.headers.authorization?.startsWith("Bearer oauth-")
        ? json(200, [{ id: "cloud-oauth", url: "https://acme.example" }])
        : json(200, []);
    }
    if (url.pathname === "/token") {
      let body = "";
      request.on("data", (chunk) => {
        body += chunk;
      });
      request.on("end", () => {
        const grant = new URLSearchParams(body).get("grant_type");
        refreshes += grant === "refresh_token" ? 1 : 0;
        json(200, {
          access_token: `oauth-tok-${refreshes}`,
          refresh_token: `refresh-${refreshes}`,
          expires_in: 3600,
          scope: "read",
        });
      });
      return;
    }
    json(404, {});
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const createSiteLifecycle = providerLifecycle<
  SiteClient,
  SiteOptions,
  "oauth2" | "api_token",
  { site: string }
>(SITE, {
  oauthAuthMethod: "oauth2",
  apiKeyAuthMethod: "api_token",
  apiKeyAuthType: "api_key",
  oauth: ({ gatewayUrl = "" }) => ({
    authorizeUrl: `${gatewayUrl}/authorize`,
    tokenUrl: `${gatewayUrl}/token`,
    defaultScopes: ["read"],
  }),
  async connectionFields(credential, { fetch, options }): Promise<Record<string, string>> {
    const site = credential.additionalFields?.siteUrl;
    if (site) {
      const tenant = (await (await fetch(`${site}/_edge/tenant_info`)).json()) as { cloudId: string };
      return { cloudId: tenant.cloudId };
    }
    const answer = await fetch(`${options.gatewayUrl}/accessible-resources`, {
      headers: { authorization: `Bearer ${credential.accessToken}` },
    });
    const [resource] = (await answer.json()) as { id: string; url: string }[];
    return resource ? { cloudId: resource.id, siteUrl: resource.url } : {};
  },
  async describe(client) {
    const me = await client.myself();
    return { metadata: { site: me.site }, test: { accountId: me.accountId } };
  },
});

const oauthClient = { clientId: "cid", clientSecret: "secret", redirectUri: "http://127.0.0.1/cb" };

describe("connection fields", () => {
  it("keeps an API token's email and site with it, adds what connectionFields reads, and hands them to runs", async () => {
    SiteClient.built = [];
    const lifecycle = createSiteLifecycle({ store: new MemoryConnectionStore(), gatewayUrl: base });
    const connection = await lifecycle.connectApiKey({
      userId: "u1",
      apiKey: "tok-1",
      email: "ada@example.com",
      siteUrl: base,
    });
    expect(connection).toMatchObject({ authMethod: "api_token", site: base });
    const fields = { email: "ada@example.com", siteUrl: base, cloudId: "cloud-api" };
    // describe's client was built with every field, the one read at connect time included.
    expect(SiteClient.built).toEqual([{ token: "tok-1", fields }]);
    expect(await lifecycle.authFor("u1")).toEqual({
      type: "apiKey",
      accessToken: "tok-1",
      additionalFields: fields,
      connectionId: connection.id,
    });
    expect(await lifecycle.normalizedAuthFor("u1")).toEqual({
      provider: "site",
      type: "api_key",
      api_key: "tok-1",
      additional_fields: fields,
      connection_id: connection.id,
    });
    // Not secret, but not public either: the connection as the API shows it has no email.
    expect(JSON.stringify(await lifecycle.listConnections("u1"))).not.toContain("ada@example.com");
  });

  it("connects the same token on another site as another connection, and again on the same site as the same one", async () => {
    const lifecycle = createSiteLifecycle({ store: new MemoryConnectionStore(), gatewayUrl: base });
    const first = await lifecycle.connectApiKeyOnce({
      userId: "u1",
      apiKey: "tok-1",
      email: "a@x.io",
      siteUrl: base,
    });
    const again = await lifecycle.connectApiKeyOnce({
      userId: "u1",
      apiKey: "tok-1",
      email: "a@x.io",
      siteUrl: base,
    });
    const other = await lifecycle.connectApiKeyOnce({
      userId: "u1",
      apiKey: "tok-1",
      email: "b@x.io",
      siteUrl: base,
    });
    expect(again).toMatchObject({ created: false, connection: { id: first.connection.id } });
    expect(other.created).toBe(true);
    expect(other.connection.id).not.toBe(first.connection.id);
  });

  it("reads an OAuth token's cloud when the connection is made, and keeps it across refreshes", async () => {
    const clock = createTestClock(Date.UTC(2026, 0, 1));
    const lifecycle = createSiteLifecycle({
      store: new MemoryConnectionStore(),
      gatewayUrl: base,
      oauthClient,
      clock,
    });
    const { state } = await lifecycle.beginOAuthStored("u1");
    const { connection } = await lifecycle.completeOAuthOnce({ code: "code", state });
    expect(connection).toMatchObject({ authMethod: "oauth2", site: "https://acme.example" });
    const fields = { cloudId: "cloud-oauth", siteUrl: "https://acme.example" };
    expect((await lifecycle.authFor("u1")).additionalFields).toEqual(fields);
    const refreshed = await lifecycle.authFor("u1", { forceRefresh: true });
    expect(refreshed).toMatchObject({ accessToken: `oauth-tok-${refreshes}`, additionalFields: fields });
    expect(refreshes).toBeGreaterThan(0);
  });

  it("refuses a connection whose fields cannot be read, as the provider's error", async () => {
    const lifecycle = createSiteLifecycle({ store: new MemoryConnectionStore(), gatewayUrl: base });
    // No site and no OAuth resource: the client has no cloud, and describe's call is refused.
    await expect(lifecycle.connectApiKey({ userId: "u1", apiKey: "tok-9" })).rejects.toMatchObject({
      type: "schema",
      provider: "site",
    });
    expect(await lifecycle.listConnections("u1")).toEqual([]);
  });
});

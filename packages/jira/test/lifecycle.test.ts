import { MemoryConnectionStore } from "@autoflow/core";
import { consent, createTestClock } from "@autoflow/core/testing";
import { DEFAULT_JIRA_USER, JiraEmulator } from "@autoflow/emulators";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createJiraLifecycle, JIRA_DEFAULT_SCOPES } from "../src/index";

// Jira's lifecycle specifics (the shared suite in provider.test.ts runs the lifecycle contract, refresh included).
const emulator = new JiraEmulator();
beforeAll(() => emulator.start());
afterAll(() => emulator.stop());

const lifecycle = (clock = createTestClock(Date.now()), store = new MemoryConnectionStore()) =>
  createJiraLifecycle({
    store,
    clock,
    apiBaseUrl: emulator.apiUrl,
    oauthBaseUrl: emulator.webUrl,
    oauthClient: { ...emulator.oauthClient, redirectUri: "http://127.0.0.1:3000/oauth/jira/callback" },
    timeoutMs: 5_000,
  });

const tokenRequests = () => emulator.requests.filter((r) => r.path === "/oauth/token");

describe("Jira lifecycle specifics", () => {
  it("asks Atlassian for the API audience with consent, PKCE and offline_access, and keeps the site, account and scopes", async () => {
    const jira = lifecycle();
    const started = jira.beginOAuth("u1");
    const url = new URL(started.authUrl);
    expect(url.pathname).toBe("/authorize");
    expect(url.searchParams.get("audience")).toBe("api.atlassian.com");
    expect(url.searchParams.get("prompt")).toBe("consent");
    expect(url.searchParams.get("code_challenge_method")).toBe("S256");
    expect(url.searchParams.get("scope")?.split(" ")).toEqual(JIRA_DEFAULT_SCOPES);
    const connection = await jira.completeOAuth({ ...(await consent(started.authUrl)), userId: "u1" });
    expect(connection).toMatchObject({
      authMethod: "oauth2",
      cloudId: emulator.cloudId,
      siteUrl: emulator.siteUrl.replace(/\/+$/, ""),
      accountId: DEFAULT_JIRA_USER.accountId,
      displayName: DEFAULT_JIRA_USER.displayName,
    });
    expect(emulator.requests.some((r) => r.path === "/oauth/token/accessible-resources")).toBe(true);
    // The run's auth carries the cloud, so its client reaches the site through the gateway.
    expect((await jira.authFor("u1")).additionalFields).toMatchObject({ cloudId: emulator.cloudId });
  });

  it("connects an API token with the account's email and the site, reads the cloudId from tenant_info, answers health with it", async () => {
    const jira = lifecycle();
    const { email, apiToken, siteUrl } = emulator.mintApiToken({
      email: "lin@example.com",
      displayName: "Lin Yu",
    });
    const connection = await jira.connectApiKey({ userId: "u2", apiKey: apiToken, email, siteUrl });
    expect(connection).toMatchObject({
      authMethod: "api_token",
      cloudId: emulator.cloudId,
      displayName: "Lin Yu",
    });
    expect(emulator.requests.some((r) => r.path === "/_edge/tenant_info")).toBe(true);
    expect(await jira.health("u2")).toMatchObject({ status: "ok", cloudId: emulator.cloudId });
  });

  it("refuses an API token without its site", async () => {
    const jira = lifecycle();
    const { email, apiToken } = emulator.mintApiToken();
    await expect(jira.connectApiKey({ userId: "u3", apiKey: apiToken, email })).rejects.toMatchObject({
      type: "schema",
    });
  });

  it("rotating refresh tokens: concurrent refreshes make one token request, and the rotated refresh token is the one kept", async () => {
    const clock = createTestClock(Date.now());
    const store = new MemoryConnectionStore();
    const jira = lifecycle(clock, store);
    const started = jira.beginOAuth("u4");
    await jira.completeOAuth({ ...(await consent(started.authUrl)), userId: "u4" });
    const before = tokenRequests().length;
    clock.advance(2 * 3600_000);
    const [a, b, c] = await Promise.all([
      jira.authFor("u4", { forceRefresh: true }),
      jira.authFor("u4", { forceRefresh: true }),
      jira.authFor("u4"),
    ]);
    expect(tokenRequests().length - before).toBe(1);
    expect(new Set([a.accessToken, b.accessToken, c.accessToken]).size).toBe(1);
    // The next refresh uses the rotated token (Atlassian refuses a refresh token once it has been used).
    clock.advance(2 * 3600_000);
    const next = await jira.authFor("u4", { forceRefresh: true });
    expect(next.accessToken).not.toBe(a.accessToken);
    expect(tokenRequests().slice(-1)[0]?.outcome).toBe(200);
  });
});

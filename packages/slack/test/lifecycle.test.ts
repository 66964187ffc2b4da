import { MemoryConnectionStore } from "@autoflow/core";
import { consent } from "@autoflow/core/testing";
import { SlackEmulator } from "@autoflow/emulators";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSlackLifecycle } from "../src/index";

// Token rotation on: tokens expire in 12 hours and come with refresh tokens (the shared suite in provider.test.ts runs the lifecycle contract).
const emulator = new SlackEmulator({ tokenRotation: true });
const plain = new SlackEmulator();
beforeAll(async () => {
  await emulator.start();
  await plain.start();
});
afterAll(async () => {
  await emulator.stop();
  await plain.stop();
});

const oauthClient = (slack: SlackEmulator = emulator) => ({
  clientId: slack.clientId,
  clientSecret: slack.clientSecret,
  redirectUri: "http://127.0.0.1:3000/oauth/slack/callback",
});

describe("Slack lifecycle specifics", () => {
  it("stores the scopes Slack reports (x-oauth-scopes) and asks for them with PKCE", async () => {
    const lifecycle = createSlackLifecycle({
      store: new MemoryConnectionStore(),
      oauthClient: { ...oauthClient(plain), scopes: ["chat:write", "users:read"] },
      slackApiUrl: plain.apiUrl,
      authorizeUrl: plain.authorizeUrl,
    });
    const started = lifecycle.beginOAuth("u1");
    const url = new URL(started.authUrl);
    expect(url.origin + url.pathname).toBe(plain.authorizeUrl);
    expect(url.searchParams.get("scope")).toBe("chat:write,users:read");
    expect(url.searchParams.get("code_challenge_method")).toBe("S256");
    const connection = await lifecycle.completeOAuth(await consent(started.authUrl));
    expect(connection).toMatchObject({
      authMethod: "oauth2",
      teamId: "T01ACME000",
      scopes: ["chat:write", "users:read"],
    });
    expect(connection.tokenMasked).toMatch(/^xoxb-/);
    expect(await lifecycle.testConnection("u1")).toMatchObject({
      ok: "true",
      teamId: "T01ACME000",
      botId: "B01AUTOFLOW",
    });
  });

  it("exchanges codes for rotating tokens with expiresAt, and maps a spent refresh token to auth", async () => {
    const lifecycle = createSlackLifecycle({
      store: new MemoryConnectionStore(),
      oauthClient: oauthClient(),
      slackApiUrl: emulator.apiUrl,
      authorizeUrl: emulator.authorizeUrl,
    });
    const oauth = lifecycle.adapter.oauth;
    const started = lifecycle.beginOAuth("u1");
    const { code } = await consent(started.authUrl);
    const client = oauthClient();
    const credential = await oauth?.exchangeCode({ client, code, codeVerifier: started.codeVerifier ?? "" });
    expect(credential?.accessToken).toMatch(/^xoxe\.xoxb-/);
    expect(credential?.refreshToken).toMatch(/^xoxe-/);
    expect(Date.parse(credential?.expiresAt ?? "") - Date.now()).toBeGreaterThan(11 * 3600_000);
    const refreshed = await oauth?.refresh?.({ client, refreshToken: credential?.refreshToken ?? "" });
    expect(refreshed?.accessToken).not.toBe(credential?.accessToken);
    const spent = await oauth
      ?.refresh?.({ client, refreshToken: credential?.refreshToken ?? "" })
      .catch((e) => e);
    expect(lifecycle.adapter.toIntegrationError(spent)).toMatchObject({
      type: "auth",
      code: "invalid_refresh_token",
    });
  });
});

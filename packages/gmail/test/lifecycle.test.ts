import { MemoryConnectionStore } from "@autoflow/core";
import { consent, createTestClock } from "@autoflow/core/testing";
import { DEFAULT_GMAIL_ADDRESS, GMAIL_SCOPES, GmailEmulator } from "@autoflow/emulators";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGmailLifecycle, GMAIL_DEFAULT_SCOPES, GMAIL_RATE_LIMIT_MESSAGE } from "../src/index";

// Gmail's lifecycle specifics (the shared suite in provider.test.ts runs the lifecycle contract, refresh included).
const emulator = new GmailEmulator();
beforeAll(() => emulator.start());
afterAll(() => emulator.stop());

const lifecycle = (clock = createTestClock(Date.now())) =>
  createGmailLifecycle({
    store: new MemoryConnectionStore(),
    clock,
    apiBaseUrl: emulator.apiUrl,
    oauthBaseUrl: emulator.webUrl,
    oauthClient: { ...emulator.oauthClient, redirectUri: "http://127.0.0.1:3000/oauth/gmail/callback" },
    timeoutMs: 5_000,
  });

describe("Gmail lifecycle specifics", () => {
  it("asks Google for offline access with consent and PKCE, and keeps the scopes granted and the mailbox's address", async () => {
    const gmail = lifecycle();
    const started = gmail.beginOAuth("u1");
    const url = new URL(started.authUrl);
    expect(url.pathname).toBe("/o/oauth2/v2/auth");
    expect(url.searchParams.get("access_type")).toBe("offline");
    expect(url.searchParams.get("prompt")).toBe("consent");
    expect(url.searchParams.get("code_challenge_method")).toBe("S256");
    expect(url.searchParams.get("scope")?.split(" ")).toEqual(GMAIL_DEFAULT_SCOPES);
    const connection = await gmail.completeOAuth({ ...(await consent(started.authUrl)), userId: "u1" });
    expect(connection).toMatchObject({
      authMethod: "oauth2",
      emailAddress: DEFAULT_GMAIL_ADDRESS,
      scopes: GMAIL_DEFAULT_SCOPES,
    });
    expect(connection.tokenMasked).toMatch(/^…[0-9a-f]{4}$/);
    // Google issued a refresh token (offline access), which the store keeps for the service's refresh.
    const token = emulator.requests.find((r) => r.path === "/token");
    expect(token?.outcome).toBe(200);
    expect((await gmail.authFor("u1")).accessToken).toMatch(/^ya29\./);
  });

  it("answers health with emailAddress, and degraded with Gmail's rate-limit message", async () => {
    const clock = createTestClock(Date.now());
    const gmail = lifecycle(clock);
    await gmail.connectApiKey({
      userId: "u1",
      accessToken: emulator.mintToken({ emailAddress: "grace@example.com" }),
    });
    expect(await gmail.health("u1")).toMatchObject({ status: "ok", emailAddress: "grace@example.com" });
    await emulator.injectFault("rate-limited");
    clock.advance(10 * 60_000);
    try {
      expect(await gmail.health("u1")).toMatchObject({
        status: "degraded",
        details: { rateLimited: true, errorType: "rate-limit", message: GMAIL_RATE_LIMIT_MESSAGE },
      });
    } finally {
      await emulator.clearFaults();
    }
  });

  it("a pasted access token is connected with no scopes it cannot know", async () => {
    const gmail = lifecycle();
    const connection = await gmail.connectApiKey({
      userId: "u1",
      accessToken: emulator.mintToken({ scopes: [GMAIL_SCOPES.send, GMAIL_SCOPES.readonly] }),
    });
    expect(connection).toMatchObject({
      authMethod: "access_token",
      emailAddress: DEFAULT_GMAIL_ADDRESS,
      scopes: [],
    });
  });

  it("disconnecting revokes the token at Google's revoke endpoint", async () => {
    const gmail = lifecycle();
    const started = gmail.beginOAuth("u1");
    const connection = await gmail.completeOAuth({ ...(await consent(started.authUrl)), userId: "u1" });
    const { accessToken } = await gmail.authFor("u1");
    expect(emulator.keys.lookup(accessToken)).toBeDefined();
    expect(await gmail.disconnect("u1", connection.id)).toBe(true);
    expect(emulator.requests.some((r) => r.path === "/revoke" && r.outcome === 200)).toBe(true);
    expect(emulator.keys.lookup(accessToken)).toBeUndefined();
  });
});

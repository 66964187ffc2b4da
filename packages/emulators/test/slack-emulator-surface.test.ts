import { WebClient } from "@slack/web-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SlackEmulator } from "../src/index";

// The surface every provider's emulator shares (`ProviderEmulator`): its OAuth client under one name, revoking a
// token, and going back to the seeded state between tests. Driven through the official SDK over loopback.

describe("SlackEmulator: oauthClient, revokeToken, reset", () => {
  const emulator = new SlackEmulator();
  const client = (token: string) =>
    new WebClient(token, { slackApiUrl: emulator.apiUrl, retryConfig: { retries: 0 } });
  beforeAll(() => emulator.start());
  afterAll(() => emulator.stop());

  it("mints a token with the scopes given as { scopes }, as every emulator takes them, or as a list", async () => {
    for (const token of [
      emulator.mintToken({ scopes: ["users:read"] }),
      emulator.mintToken(["users:read"]),
    ]) {
      expect((await client(token).users.list({})).ok).toBe(true);
      await expect(
        client(token).chat.postMessage({ channel: "C01GENERAL", text: "no scope" }),
      ).rejects.toMatchObject({
        data: { error: "missing_scope" },
      });
    }
  });

  it("names its OAuth client as env() exports it", () => {
    const env = emulator.env();
    expect(emulator.oauthClient).toEqual({
      clientId: env.AUTOFLOW_SLACK_CLIENT_ID,
      clientSecret: env.AUTOFLOW_SLACK_CLIENT_SECRET,
    });
  });

  it("a revoked token answers token_revoked; an unknown one is not revoked", async () => {
    const token = emulator.mintToken();
    expect((await client(token).auth.test()).ok).toBe(true);
    expect(emulator.revokeToken(token)).toBe(true);
    await expect(client(token).auth.test()).rejects.toMatchObject({ data: { error: "token_revoked" } });
    expect(emulator.revokeToken("xoxb-never-minted")).toBe(false);
  });

  it("reset forgets what was posted, faults and the request log, and keeps tokens working", async () => {
    const token = emulator.mintToken();
    const posted = await client(token).chat.postMessage({ channel: "C01GENERAL", text: "before reset" });
    const created = await client(token).conversations.create({ name: "made-before-reset" });
    await emulator.injectFault("server-error");
    await emulator.reset();
    expect(emulator.requests).toEqual([]);
    const history = await client(token).conversations.history({ channel: "C01GENERAL" });
    expect(history.messages?.map((m) => m.ts)).not.toContain(posted.ts);
    await expect(
      client(token).conversations.info({ channel: created.channel?.id ?? "" }),
    ).rejects.toMatchObject({
      data: { error: "channel_not_found" },
    });
    // The seeded workspace is back whole: #general with its members.
    const general = await client(token).conversations.info({ channel: "C01GENERAL" });
    expect(general.channel?.name).toBe("general");
  });
});

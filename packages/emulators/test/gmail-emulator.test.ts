import { createHash, randomBytes } from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { DEFAULT_GMAIL_ADDRESS, GMAIL_SCOPES, GmailEmulator, ManualClock } from "../src/index";

// The Gmail emulator's own behaviour over HTTP: mailbox state parsed from raw MIME, history ids, Google's errors
// and OAuth. (The SDK's view of it is test/gmail-conformance.test.ts and packages/gmail's suites.)
const clock = new ManualClock(Date.parse("2026-03-01T12:00:00Z"));
const emulator = new GmailEmulator({ clock });
let token: string;
beforeAll(async () => {
  await emulator.start();
});
beforeEach(async () => {
  await emulator.reset();
  token = emulator.mintToken();
});
afterAll(() => emulator.stop());

async function api(method: string, path: string, body?: unknown, bearer = token) {
  const response = await fetch(`${emulator.apiUrl}/gmail/v1/users/me${path}`, {
    method,
    headers: {
      authorization: `Bearer ${bearer}`,
      ...(body !== undefined && { "content-type": "application/json" }),
    },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: text === "" ? undefined : JSON.parse(text) };
}

const raw = (text: string) => Buffer.from(text).toString("base64url");

describe("GmailEmulator", () => {
  it("parses a sent message's raw MIME: RFC 2047 headers decoded, threads joined by In-Reply-To", async () => {
    const first = emulator.deliver(
      "From: grace@example.com\r\nTo: ada@example.com\r\nSubject: =?UTF-8?B?Q2Fmw6kg4piV?=\r\nMessage-ID: <a@example.com>\r\n\r\nHi",
    );
    const reply = await api("POST", "/messages/send", {
      raw: raw("To: grace@example.com\r\nSubject: Re: Café\r\nIn-Reply-To: <a@example.com>\r\n\r\nYes"),
    });
    expect(reply.status).toBe(200);
    expect(reply.body.threadId).toBe(first.threadId);
    const got = await api("GET", `/messages/${first.id}?format=metadata&metadataHeaders=Subject`);
    expect(got.body.payload.headers).toEqual([{ name: "Subject", value: "Café ☕" }]);
    const thread = await api("GET", `/threads/${first.threadId}`);
    expect(thread.body.messages).toHaveLength(2);
  });

  it("advances historyId with every change, lists history since an id, and answers 404 once it expired", async () => {
    const { body: profile } = await api("GET", "/profile");
    const start = profile.historyId as string;
    const message = emulator.deliver("From: g@example.com\r\nTo: ada@example.com\r\nSubject: One\r\n\r\n1");
    await api("POST", `/messages/${message.id}/modify`, { removeLabelIds: ["UNREAD"] });
    const history = await api("GET", `/history?startHistoryId=${start}&historyTypes=messageAdded`);
    expect(history.body.history).toHaveLength(1);
    expect(history.body.history[0].messagesAdded[0].message.id).toBe(message.id);
    expect(Number(history.body.historyId)).toBeGreaterThan(Number(start));
    emulator.expireHistory();
    const expired = await api("GET", `/history?startHistoryId=${start}`);
    expect(expired.status).toBe(404);
    expect(expired.body.error).toMatchObject({
      code: 404,
      status: "NOT_FOUND",
      errors: [{ reason: "notFound" }],
    });
  });

  it("finds a message by rfc822msgid:, and leaves trash out unless asked", async () => {
    const sent = await api("POST", "/messages/send", {
      raw: raw("To: g@example.com\r\nSubject: X\r\nMessage-ID: <id.1@autoflow.invalid>\r\n\r\nx"),
    });
    const found = await api("GET", `/messages?q=${encodeURIComponent("rfc822msgid:id.1@autoflow.invalid")}`);
    expect(found.body.messages).toEqual([{ id: sent.body.id, threadId: sent.body.threadId }]);
    await api("POST", `/messages/${sent.body.id}/trash`);
    expect((await api("GET", "/messages?q=rfc822msgid:id.1@autoflow.invalid")).body.messages).toBeUndefined();
    const withTrash = await api("GET", "/messages?q=rfc822msgid:id.1@autoflow.invalid&includeSpamTrash=true");
    expect(withTrash.body.messages).toHaveLength(1);
  });

  it("answers Google's errors: 401 for an unknown token, 403 insufficientPermissions for a missing scope, 400 without a recipient, 409 for a taken label name", async () => {
    expect((await api("GET", "/profile", undefined, "ya29.unknown")).body.error).toMatchObject({
      code: 401,
      status: "UNAUTHENTICATED",
    });
    const sendOnly = emulator.mintToken({ scopes: [GMAIL_SCOPES.send] });
    expect((await api("GET", "/messages", undefined, sendOnly)).body.error.errors[0].reason).toBe(
      "insufficientPermissions",
    );
    expect(
      (await api("POST", "/messages/send", { raw: raw("Subject: none\r\n\r\nx") })).body.error,
    ).toMatchObject({
      code: 400,
      errors: [{ reason: "failedPrecondition" }],
    });
    await api("POST", "/labels", { name: "Receipts" });
    expect((await api("POST", "/labels", { name: "receipts" })).status).toBe(409);
  });

  it("issues a refresh token for offline consent with PKCE, refreshes it, and expires access tokens on its clock", async () => {
    const verifier = randomBytes(32).toString("base64url");
    const authorize = new URL(`${emulator.webUrl}/o/oauth2/v2/auth`);
    for (const [name, value] of Object.entries({
      client_id: emulator.oauthClient.clientId,
      redirect_uri: "http://127.0.0.1:9/cb",
      response_type: "code",
      scope: GMAIL_SCOPES.readonly,
      access_type: "offline",
      code_challenge: createHash("sha256").update(verifier).digest("base64url"),
      code_challenge_method: "S256",
      state: "s1",
    }))
      authorize.searchParams.set(name, value);
    const redirect = await fetch(authorize, { redirect: "manual" });
    const code = new URL(String(redirect.headers.get("location"))).searchParams.get("code") ?? "";
    const tokenRequest = (form: Record<string, string>) =>
      fetch(`${emulator.webUrl}/token`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({
          ...form,
          client_id: emulator.oauthClient.clientId,
          client_secret: emulator.oauthClient.clientSecret,
        }),
      }).then(async (response) => ({
        status: response.status,
        // biome-ignore lint/suspicious/noExplicitAny: a token answer, read field by field below.
        body: (await response.json()) as any,
      }));
    const exchanged = await tokenRequest({
      grant_type: "authorization_code",
      code,
      redirect_uri: "http://127.0.0.1:9/cb",
      code_verifier: verifier,
    });
    expect(exchanged.body).toMatchObject({
      token_type: "Bearer",
      expires_in: 3600,
      scope: GMAIL_SCOPES.readonly,
    });
    expect(exchanged.body.refresh_token).toMatch(/^1\/\//);
    const access = exchanged.body.access_token as string;
    expect((await api("GET", "/profile", undefined, access)).body.emailAddress).toBe(DEFAULT_GMAIL_ADDRESS);
    clock.advance(3600_000);
    expect((await api("GET", "/profile", undefined, access)).status).toBe(401);
    const refreshed = await tokenRequest({
      grant_type: "refresh_token",
      refresh_token: exchanged.body.refresh_token,
    });
    expect((await api("GET", "/profile", undefined, refreshed.body.access_token)).status).toBe(200);
    emulator.invalidateRefreshTokens();
    const refused = await tokenRequest({
      grant_type: "refresh_token",
      refresh_token: refreshed.body.refresh_token,
    });
    expect(refused).toMatchObject({ status: 400, body: { error: "invalid_grant" } });
  });
});

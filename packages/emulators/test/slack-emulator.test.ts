import { createHash, randomBytes } from "node:crypto";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { SlackEmulator } from "../src/index";

type SlackBody = Record<string, unknown> & { ok: boolean; error?: string };

const slack = new SlackEmulator();
let token: string;

beforeAll(async () => {
  await slack.start();
  token = slack.mintToken();
});
afterAll(() => slack.stop());
afterEach(() => slack.clearFaults());

/** Calls a Web API method the way the SDK does: a form body and a bearer token. */
async function api(method: string, args: Record<string, unknown> = {}, bearer: string | null = token) {
  const form = new URLSearchParams();
  for (const [key, value] of Object.entries(args)) {
    form.set(key, typeof value === "string" ? value : JSON.stringify(value));
  }
  const response = await fetch(`${slack.apiUrl}${method}`, {
    method: "POST",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      ...(bearer && { authorization: `Bearer ${bearer}` }),
    },
    body: form,
  });
  const text = await response.text();
  let body: SlackBody;
  try {
    body = JSON.parse(text) as SlackBody;
  } catch {
    body = { ok: false, error: text };
  }
  return { status: response.status, headers: response.headers, body };
}

describe("Slack emulator: Web API wire format", () => {
  it("auth.test identifies the bot in team Acme and sends the token's scopes", async () => {
    const { status, headers, body } = await api("auth.test");
    expect(status).toBe(200);
    expect(body).toMatchObject({
      ok: true,
      url: "https://acme.slack.com/",
      team: "Acme",
      team_id: "T01ACME000",
      user_id: "U0BOT",
      bot_id: "B01AUTOFLOW",
    });
    expect(headers.get("x-oauth-scopes")?.split(",")).toContain("chat:write");
  });

  it("answers HTTP 200 with ok:false for auth failures: not_authed, invalid_auth, token_revoked", async () => {
    expect((await api("auth.test", {}, null)).body).toEqual({ ok: false, error: "not_authed" });
    const invalid = await api("auth.test", {}, "xoxb-forged");
    expect(invalid.status).toBe(200);
    expect(invalid.body).toEqual({ ok: false, error: "invalid_auth" });

    const doomed = slack.mintToken();
    expect((await api("auth.revoke", {}, doomed)).body).toMatchObject({ ok: true, revoked: true });
    expect((await api("auth.test", {}, doomed)).body.error).toBe("token_revoked");
  });

  it("takes the token from a `token` body field and JSON bodies", async () => {
    expect((await api("auth.test", { token }, null)).body.ok).toBe(true);
    const response = await fetch(`${slack.apiUrl}chat.postMessage`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      body: JSON.stringify({ channel: "C01GENERAL", text: "json body", blocks: [{ type: "divider" }] }),
    });
    const body = (await response.json()) as SlackBody;
    expect(body).toMatchObject({ ok: true, message: { text: "json body", blocks: [{ type: "divider" }] } });
  });

  it("answers missing_scope with needed and provided", async () => {
    const readOnly = slack.mintToken(["channels:read"]);
    expect((await api("chat.postMessage", { channel: "C01GENERAL", text: "x" }, readOnly)).body).toEqual({
      ok: false,
      error: "missing_scope",
      needed: "chat:write",
      provided: "channels:read",
    });
  });

  it("answers unknown_method for methods it does not know", async () => {
    expect((await api("nope.nothing")).body).toEqual({ ok: false, error: "unknown_method" });
  });
});

describe("Slack emulator: state that behaves", () => {
  it("a posted message is in history, a reply in the thread, and an update and delete stick", async () => {
    const posted = await api("chat.postMessage", { channel: "#general", text: "hello state" });
    expect(posted.body).toMatchObject({ ok: true, channel: "C01GENERAL", message: { text: "hello state" } });
    const ts = posted.body.ts as string;
    expect(ts).toMatch(/^\d{10}\.\d{6}$/);

    const reply = await api("chat.postMessage", { channel: "C01GENERAL", text: "a reply", thread_ts: ts });
    const history = await api("conversations.history", { channel: "C01GENERAL", limit: 100 });
    const messages = history.body.messages as { ts: string; text: string; reply_count?: number }[];
    expect(messages[0]).toMatchObject({ ts, text: "hello state", reply_count: 1 });
    expect(messages.some((m) => m.text === "a reply")).toBe(false);
    const thread = await api("conversations.replies", { channel: "C01GENERAL", ts });
    expect((thread.body.messages as { text: string }[]).map((m) => m.text)).toEqual([
      "hello state",
      "a reply",
    ]);

    expect((await api("chat.update", { channel: "C01GENERAL", ts, text: "edited" })).body).toMatchObject({
      ok: true,
      text: "edited",
    });
    expect(slack.history("C01GENERAL")[0]?.text).toBe("edited");
    await api("chat.delete", { channel: "C01GENERAL", ts: reply.body.ts });
    await api("chat.delete", { channel: "C01GENERAL", ts });
    expect(slack.history("C01GENERAL").some((m) => m.ts === ts)).toBe(false);
    expect((await api("chat.delete", { channel: "C01GENERAL", ts })).body.error).toBe("message_not_found");
  });

  it("refuses posts to unknown channels and channels the bot has not joined", async () => {
    expect((await api("chat.postMessage", { channel: "C9999", text: "x" })).body.error).toBe(
      "channel_not_found",
    );
    expect((await api("chat.postMessage", { channel: "C01RANDOM0", text: "x" })).body.error).toBe(
      "not_in_channel",
    );
    expect((await api("chat.postMessage", { channel: "C01GENERAL" })).body.error).toBe("no_text");
  });

  it("creates, joins, invites to and archives channels", async () => {
    const created = await api("conversations.create", { name: "launch" });
    const id = (created.body.channel as { id: string }).id;
    expect(created.body).toMatchObject({ ok: true, channel: { name: "launch", is_member: true } });
    expect((await api("conversations.create", { name: "launch" })).body.error).toBe("name_taken");
    expect((await api("conversations.create", { name: "Bad Name" })).body.error).toBe(
      "invalid_name_specials",
    );
    expect((await api("conversations.invite", { channel: id, users: "U0002,U0003" })).body).toMatchObject({
      ok: true,
      channel: { num_members: 3 },
    });
    expect((await api("conversations.invite", { channel: id, users: "U0002" })).body.error).toBe(
      "already_in_channel",
    );
    const listed = await api("conversations.list", {});
    expect((listed.body.channels as { name: string }[]).map((c) => c.name)).toEqual(
      expect.arrayContaining(["general", "random", "launch"]),
    );
    expect((await api("conversations.join", { channel: "C01RANDOM0" })).body).toMatchObject({
      ok: true,
      channel: { id: "C01RANDOM0", is_member: true },
    });
    expect((await api("conversations.archive", { channel: id })).body.ok).toBe(true);
    expect((await api("conversations.info", { channel: id })).body).toMatchObject({
      channel: { is_archived: true },
    });
    expect((await api("chat.postMessage", { channel: id, text: "x" })).body.error).toBe("is_archived");
  });

  it("lists and looks up users, paginating with cursors", async () => {
    const first = await api("users.list", { limit: 2 });
    const cursor = (first.body.response_metadata as { next_cursor: string }).next_cursor;
    expect((first.body.members as unknown[]).length).toBe(2);
    expect(cursor).not.toBe("");
    const second = await api("users.list", { limit: 2, cursor });
    expect((second.body.members as { id: string }[])[0]?.id).not.toBe(
      (first.body.members as { id: string }[])[0]?.id,
    );
    expect((await api("users.info", { user: "U0002" })).body).toMatchObject({ user: { name: "bob" } });
    expect((await api("users.lookupByEmail", { email: "carol@acme.test" })).body).toMatchObject({
      user: { id: "U0003" },
    });
    expect((await api("users.lookupByEmail", { email: "nobody@acme.test" })).body.error).toBe(
      "users_not_found",
    );
  });

  it("adds, reads and removes reactions", async () => {
    const { body } = await api("chat.postMessage", { channel: "C01GENERAL", text: "react to me" });
    const target = { channel: "C01GENERAL", timestamp: body.ts as string };
    expect((await api("reactions.add", { ...target, name: "tada" })).body.ok).toBe(true);
    expect((await api("reactions.add", { ...target, name: "tada" })).body.error).toBe("already_reacted");
    expect((await api("reactions.get", target)).body).toMatchObject({
      message: { reactions: [{ name: "tada", count: 1, users: ["U0BOT"] }] },
    });
    expect((await api("reactions.remove", { ...target, name: "tada" })).body.ok).toBe(true);
    expect((await api("reactions.remove", { ...target, name: "tada" })).body.error).toBe("no_reaction");
  });

  it("posts ephemeral and scheduled messages outside history", async () => {
    const ephemeral = await api("chat.postEphemeral", { channel: "C01GENERAL", user: "U0002", text: "psst" });
    expect(ephemeral.body).toMatchObject({ ok: true, message_ts: expect.any(String) });
    expect(slack.ephemeral.at(-1)).toMatchObject({ user: "U0002", text: "psst" });
    const postAt = Math.floor(Date.now() / 1000) + 3600;
    const scheduled = await api("chat.scheduleMessage", {
      channel: "C01GENERAL",
      text: "later",
      post_at: postAt,
    });
    expect(scheduled.body).toMatchObject({
      ok: true,
      post_at: postAt,
      scheduled_message_id: expect.any(String),
    });
    const list = await api("chat.scheduledMessages.list", { channel: "C01GENERAL" });
    expect(list.body.scheduled_messages).toContainEqual(
      expect.objectContaining({ id: scheduled.body.scheduled_message_id, text: "later" }),
    );
    expect(
      (await api("chat.scheduleMessage", { channel: "C01GENERAL", text: "x", post_at: 1 })).body.error,
    ).toBe("time_in_past");
    expect(slack.history("C01GENERAL").some((m) => m.text === "later" || m.text === "psst")).toBe(false);
  });

  it("uploads a file through the upload URL it serves and shares it on completion", async () => {
    const started = await api("files.getUploadURLExternal", { filename: "notes.txt", length: 5 });
    const uploadUrl = started.body.upload_url as string;
    expect(uploadUrl.startsWith(slack.url)).toBe(true);
    const form = new FormData();
    form.append("body", new Blob(["hello"]), "notes.txt");
    const upload = await fetch(uploadUrl, { method: "POST", body: form });
    expect(await upload.text()).toBe("OK - 5");
    const done = await api("files.completeUploadExternal", {
      files: [{ id: started.body.file_id, title: "Notes" }],
      channel_id: "C01GENERAL",
      initial_comment: "see notes",
    });
    expect(done.body).toMatchObject({
      ok: true,
      files: [{ id: started.body.file_id, title: "Notes", size: 5 }],
    });
    expect(slack.history("C01GENERAL")[0]).toMatchObject({
      text: "see notes",
      files: [{ name: "notes.txt" }],
    });
    expect(slack.workspace.files.get(started.body.file_id as string)?.content?.toString()).toBe("hello");
  });
});

describe("Slack emulator: OAuth v2", () => {
  const redirectUri = "http://127.0.0.1/callback";

  async function authorize(params: Record<string, string>) {
    const url = new URL(slack.authorizeUrl);
    for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
    const response = await fetch(url, { redirect: "manual" });
    return { status: response.status, location: response.headers.get("location") };
  }

  it("redirects with code and state, and exchanges the code once for Slack's token shape (PKCE S256)", async () => {
    const verifier = randomBytes(32).toString("base64url");
    const challenge = createHash("sha256").update(verifier).digest("base64url");
    const { status, location } = await authorize({
      client_id: slack.clientId,
      scope: "chat:write,channels:read",
      redirect_uri: redirectUri,
      state: "st-1",
      code_challenge: challenge,
      code_challenge_method: "S256",
    });
    expect(status).toBe(302);
    const redirect = new URL(location ?? "");
    expect(redirect.searchParams.get("state")).toBe("st-1");
    const code = redirect.searchParams.get("code") ?? "";

    const wrong = await api(
      "oauth.v2.access",
      { client_id: slack.clientId, code, code_verifier: "wrong-verifier", redirect_uri: redirectUri },
      null,
    );
    expect(wrong.body.ok).toBe(false);

    const again = await authorize({
      client_id: slack.clientId,
      scope: "chat:write,channels:read",
      redirect_uri: redirectUri,
      state: "st-2",
      code_challenge: challenge,
      code_challenge_method: "S256",
    });
    const code2 = new URL(again.location ?? "").searchParams.get("code") ?? "";
    const exchanged = await api(
      "oauth.v2.access",
      { client_id: slack.clientId, client_secret: slack.clientSecret, code: code2, code_verifier: verifier },
      null,
    );
    expect(exchanged.body).toMatchObject({
      ok: true,
      token_type: "bot",
      scope: "chat:write,channels:read",
      bot_user_id: "U0BOT",
      app_id: "A0001",
      team: { id: "T01ACME000", name: "Acme" },
      authed_user: { id: "U0001" },
    });
    expect(exchanged.body.refresh_token).toBeUndefined();
    expect((await api("auth.test", {}, exchanged.body.access_token as string)).body.ok).toBe(true);
    const reused = await api(
      "oauth.v2.access",
      { client_id: slack.clientId, client_secret: slack.clientSecret, code: code2, code_verifier: verifier },
      null,
    );
    expect(reused.body.error).toBe("invalid_code");
  });

  it("rotates tokens: refresh_token and expires_in, and a refresh works once", async () => {
    const rotating = new SlackEmulator({ tokenRotation: true });
    await rotating.start();
    try {
      const url = new URL(rotating.authorizeUrl);
      url.search = new URLSearchParams({
        client_id: rotating.clientId,
        scope: "chat:write",
        redirect_uri: redirectUri,
      }).toString();
      const location = (await fetch(url, { redirect: "manual" })).headers.get("location") ?? "";
      const code = new URL(location).searchParams.get("code") ?? "";
      const call = async (args: Record<string, string>) =>
        (await fetch(`${rotating.apiUrl}oauth.v2.access`, {
          method: "POST",
          headers: {
            "content-type": "application/x-www-form-urlencoded",
            authorization: `Basic ${Buffer.from(`${rotating.clientId}:${rotating.clientSecret}`).toString("base64")}`,
          },
          body: new URLSearchParams(args),
        }).then((r) => r.json())) as SlackBody;
      const first = await call({ code, redirect_uri: redirectUri });
      expect(first).toMatchObject({ ok: true, expires_in: 43_200 });
      expect(first.access_token).toMatch(/^xoxe\.xoxb-/);
      expect(first.refresh_token).toMatch(/^xoxe-/);
      const refreshed = await call({
        grant_type: "refresh_token",
        refresh_token: first.refresh_token as string,
      });
      expect(refreshed).toMatchObject({ ok: true, token_type: "bot" });
      expect(refreshed.access_token).not.toBe(first.access_token);
      const replayed = await call({
        grant_type: "refresh_token",
        refresh_token: first.refresh_token as string,
      });
      expect(replayed.error).toBe("invalid_refresh_token");
    } finally {
      await rotating.stop();
    }
  });
});

describe("Slack emulator: faults in Slack's wire format", () => {
  it.each([
    ["unauthorized", 200, "invalid_auth"],
    ["forbidden", 200, "missing_scope"],
    ["not-found", 200, "channel_not_found"],
    ["invalid-input", 200, "invalid_arguments"],
    ["rate-limited", 429, "ratelimited"],
  ] as const)("%s answers HTTP %i with error %s, until cleared", async (fault, status, error) => {
    await slack.injectFault(fault);
    for (let i = 0; i < 2; i++) {
      const answer = await api("auth.test");
      expect(answer.status).toBe(status);
      expect(answer.body.error).toBe(error);
      if (fault === "rate-limited") expect(answer.headers.get("retry-after")).toBe("30");
    }
    await slack.clearFaults();
    expect((await api("auth.test")).body.ok).toBe(true);
  });

  it.each([
    ["server-error", 500],
    ["bad-gateway", 502],
    ["unavailable", 503],
  ] as const)("%s is a plain HTTP %i from Slack's edge", async (fault, status) => {
    await slack.injectFault(fault);
    const answer = await api("auth.test");
    expect(answer.status).toBe(status);
    expect(answer.body.ok).toBe(false);
  });

  it("refuses connections, resets mid-body and hangs", async () => {
    await slack.injectFault("connection-refused");
    await expect(api("auth.test")).rejects.toThrow();
    await slack.clearFaults();
    await slack.injectFault("connection-reset");
    await expect(api("auth.test")).rejects.toThrow();
    await slack.clearFaults();
    await slack.injectFault("timeout");
    const hung = fetch(`${slack.apiUrl}auth.test`, { method: "POST", signal: AbortSignal.timeout(100) });
    await expect(hung).rejects.toThrow();
  });

  it("rate-limits like Slack: 429 with the seconds left in the window", async () => {
    slack.rateLimit(2, 10_000);
    expect((await api("auth.test")).status).toBe(200);
    expect((await api("auth.test")).status).toBe(200);
    const limited = await api("auth.test");
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(Number(limited.headers.get("retry-after"))).toBeLessThanOrEqual(10);
    expect(limited.body.error).toBe("ratelimited");
  });
});

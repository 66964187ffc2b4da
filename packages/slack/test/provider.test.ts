import { randomUUID } from "node:crypto";
import { fileURLToPath } from "node:url";
import { describeProvider } from "@autoflow/core/testing";
import { SlackEmulator } from "@autoflow/emulators";
import { createSlackLifecycle, SLACK_PROVIDER_DEFINITION, Slack } from "../src/index";

// The shared provider suite, run with every hand-written task against the emulator over real HTTP. Token
// rotation is on, so the lifecycle's refresh tests run: tokens expire in 12 hours and come with refresh tokens.
const emulator = new SlackEmulator({ tokenRotation: true });

/** A channel of its own for tasks that change membership or archive. */
function freshChannel(members: string[] = ["U0BOT"]): string {
  const id = `C${randomUUID().slice(0, 8).toUpperCase()}`;
  emulator.workspace.addChannel(id, `c-${id.toLowerCase()}`, "U0001", members);
  return id;
}

describeProvider({
  className: "Slack",
  definition: SLACK_PROVIDER_DEFINITION,
  emulator,
  create: (options, slack) => new Slack({ ...options, slackApiUrl: slack.apiUrl }),
  tasks: [
    {
      name: "chat.postMessage",
      call: (s, key) => s.chat.postMessage(key, { channel: "C01GENERAL", text: "contract" }),
    },
    {
      name: "chat.update",
      call: (s, key) =>
        s.chat.update(key, {
          channel: "C01GENERAL",
          ts: emulator.seedMessage("C01GENERAL", "x").ts,
          text: "y",
        }),
    },
    {
      name: "chat.delete",
      call: (s, key) =>
        s.chat.delete(key, { channel: "C01GENERAL", ts: emulator.seedMessage("C01GENERAL", "x").ts }),
    },
    {
      name: "chat.postEphemeral",
      call: (s, key) => s.chat.postEphemeral(key, { channel: "C01GENERAL", user: "U0002", text: "psst" }),
    },
    {
      name: "chat.scheduleMessage",
      call: (s, key) =>
        s.chat.scheduleMessage(key, {
          channel: "C01GENERAL",
          text: "later",
          post_at: Math.floor(Date.now() / 1000) + 600,
        }),
    },
    { name: "conversations.list", call: (s, key) => s.conversations.list(key) },
    {
      name: "conversations.history",
      call: (s, key) => s.conversations.history(key, { channel: "C01GENERAL" }),
    },
    {
      name: "conversations.replies",
      call: (s, key) =>
        s.conversations.replies(key, {
          channel: "C01GENERAL",
          ts: emulator.seedMessage("C01GENERAL", "t").ts,
        }),
    },
    { name: "conversations.info", call: (s, key) => s.conversations.info(key, { channel: "C01GENERAL" }) },
    {
      name: "conversations.create",
      call: (s, key) => s.conversations.create(key, { name: `contract-${randomUUID().slice(0, 8)}` }),
    },
    {
      name: "conversations.invite",
      call: (s, key) => s.conversations.invite(key, { channel: freshChannel(), users: "U0003" }),
    },
    {
      name: "conversations.join",
      call: (s, key) => s.conversations.join(key, { channel: freshChannel([]) }),
    },
    {
      name: "conversations.archive",
      call: (s, key) => s.conversations.archive(key, { channel: freshChannel() }),
    },
    { name: "users.list", call: (s, key) => s.users.list(key, {}) },
    { name: "users.info", call: (s, key) => s.users.info(key, { user: "U0002" }) },
    { name: "users.lookupByEmail", call: (s, key) => s.users.lookupByEmail(key, { email: "bob@acme.test" }) },
    {
      name: "reactions.add",
      call: (s, key) =>
        s.reactions.add(key, {
          channel: "C01GENERAL",
          timestamp: emulator.seedMessage("C01GENERAL", "r").ts,
          name: "eyes",
        }),
    },
    {
      name: "reactions.remove",
      call: (s, key) => {
        const message = emulator.seedMessage("C01GENERAL", "r");
        message.reactions = [{ name: "eyes", users: ["U0BOT"], count: 1 }];
        return s.reactions.remove(key, { channel: "C01GENERAL", timestamp: message.ts, name: "eyes" });
      },
    },
    {
      name: "files.uploadV2",
      call: (s, key) =>
        s.files.uploadV2(key, { content: "hello", filename: "hello.txt", channel_id: "C01GENERAL" }),
    },
    { name: "auth.test", call: (s, key) => s.auth.test(key) },
  ],
  faultCall: (s, key) => s.chat.postMessage(key, { channel: "C01GENERAL", text: "fault" }),
  passthrough: {
    method: "api.test",
    call: (s, key) => s.api.test(key, {}),
  },
  lifecycle: {
    create: (store, clock, slack) =>
      createSlackLifecycle({
        store,
        clock,
        oauthClient: {
          clientId: slack.clientId,
          clientSecret: slack.clientSecret,
          redirectUri: "http://127.0.0.1:3000/oauth/slack/callback",
        },
        slackApiUrl: slack.apiUrl,
        authorizeUrl: slack.authorizeUrl,
        timeoutMs: 10_000,
      }),
    expectedMetadata: { teamId: "T01ACME000", teamName: "Acme" },
    refresh: {
      refreshRequestCount: (slack) => slack.refreshRequestCount,
      invalidateRefreshTokens: (slack) => slack.invalidateRefreshTokens(),
    },
  },
  consumer: {
    packageDir: fileURLToPath(new URL("..", import.meta.url)),
    importFrom: ["@autoflow/slack", "Slack"],
    options: (token, slack) => JSON.stringify({ id: "slack", token, slackApiUrl: slack.apiUrl }),
    body: `(async () => {
      const posted = await io.x.chat.postMessage("post", { channel: "C01GENERAL", text: "from a consumer" });
      const link = await io.x.chat.getPermalink("link", { channel: "C01GENERAL", message_ts: posted.ts });
      return { text: posted.message.text, linked: link.permalink.includes("C01GENERAL") };
    })()`,
    expected: { text: "from a consumer", linked: true },
  },
});

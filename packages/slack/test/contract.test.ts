import { randomUUID } from "node:crypto";
import { describeIntegrationContract } from "@autoflow/core/testing";
import { SlackEmulator } from "@autoflow/emulators";
import { afterAll, beforeAll } from "vitest";
import { Slack } from "../src/index";

// The core contract kit, run with every hand-written task against the emulator over real HTTP.
const emulator = new SlackEmulator();
// Minting needs no server: the kit reads the token when it registers its tests.
const token = emulator.mintToken();
beforeAll(() => emulator.start());
afterAll(() => emulator.stop());

/** A channel of its own for tasks that change membership or archive. */
function freshChannel(members: string[] = ["U0BOT"]): string {
  const id = `C${randomUUID().slice(0, 8).toUpperCase()}`;
  emulator.workspace.addChannel(id, `c-${id.toLowerCase()}`, "U0001", members);
  return id;
}

describeIntegrationContract<Slack>({
  className: "Slack",
  metadata: { name: "Slack", id: "slack" },
  create: (options) => new Slack({ ...options, slackApiUrl: emulator.apiUrl }),
  token: token,
  hostedAuth: { type: "oauth2", accessToken: token },
  tasks: [
    {
      name: "chat.postMessage",
      call: (s, key) => s.chat.postMessage(key, { channel: "C0001", text: "contract" }),
    },
    {
      name: "chat.update",
      call: (s, key) =>
        s.chat.update(key, { channel: "C0001", ts: emulator.seedMessage("C0001", "x").ts, text: "y" }),
    },
    {
      name: "chat.delete",
      call: (s, key) => s.chat.delete(key, { channel: "C0001", ts: emulator.seedMessage("C0001", "x").ts }),
    },
    {
      name: "chat.postEphemeral",
      call: (s, key) => s.chat.postEphemeral(key, { channel: "C0001", user: "U0002", text: "psst" }),
    },
    {
      name: "chat.scheduleMessage",
      call: (s, key) =>
        s.chat.scheduleMessage(key, {
          channel: "C0001",
          text: "later",
          post_at: Math.floor(Date.now() / 1000) + 600,
        }),
    },
    { name: "conversations.list", call: (s, key) => s.conversations.list(key) },
    { name: "conversations.history", call: (s, key) => s.conversations.history(key, { channel: "C0001" }) },
    {
      name: "conversations.replies",
      call: (s, key) =>
        s.conversations.replies(key, { channel: "C0001", ts: emulator.seedMessage("C0001", "t").ts }),
    },
    { name: "conversations.info", call: (s, key) => s.conversations.info(key, { channel: "C0001" }) },
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
          channel: "C0001",
          timestamp: emulator.seedMessage("C0001", "r").ts,
          name: "eyes",
        }),
    },
    {
      name: "reactions.remove",
      call: (s, key) => {
        const message = emulator.seedMessage("C0001", "r");
        message.reactions = [{ name: "eyes", users: ["U0BOT"], count: 1 }];
        return s.reactions.remove(key, { channel: "C0001", timestamp: message.ts, name: "eyes" });
      },
    },
    {
      name: "files.uploadV2",
      call: (s, key) =>
        s.files.uploadV2(key, { content: "hello", filename: "hello.txt", channel_id: "C0001" }),
    },
    { name: "auth.test", call: (s, key) => s.auth.test(key) },
  ],
  faults: {
    inject: (fault) => emulator.injectFault(fault),
    reset: () => emulator.clearFaults(),
    call: (s, key) => s.chat.postMessage(key, { channel: "C0001", text: "fault" }),
  },
});

import { fileURLToPath } from "node:url";
import { type ContractTask, describeProvider } from "@autoflow/core/testing";
import { DEFAULT_GMAIL_ADDRESS, GmailEmulator } from "@autoflow/emulators";
import { beforeEach } from "vitest";
import { createGmailLifecycle, GMAIL_PROVIDER_DEFINITION, Gmail } from "../src/index";
import { rawMessage } from "./helpers";

// The shared provider suite, with every hand-written task, against the emulator over real HTTP.
const emulator = new GmailEmulator();
beforeEach(() => emulator.reset());

const mailbox = () => emulator.state.mailbox(DEFAULT_GMAIL_ADDRESS);
const seeded = () =>
  emulator.deliver("From: grace@example.com\r\nTo: ada@example.com\r\nSubject: Hi\r\n\r\nHello");
const draft = () => {
  const message = mailbox().insert(rawMessage(), ["DRAFT"]);
  mailbox().drafts.set("r1", message.id);
  return "r1";
};
const label = () => mailbox().addLabel({ name: `L${Math.random()}` })?.id ?? "";

const tasks: ContractTask<Gmail>[] = [
  {
    name: "sendEmail",
    call: (g, key) => g.sendEmail(key, { to: "grace@example.com", subject: "Hi", text: "Hello" }),
  },
  {
    name: "users.messages.send",
    call: (g, key) => g.users.messages.send(key, { userId: "me", requestBody: { raw: rawMessage() } }),
  },
  {
    name: "users.messages.get",
    call: (g, key) => g.users.messages.get(key, { userId: "me", id: seeded().id }),
  },
  {
    name: "users.messages.list",
    call: (g, key) => g.users.messages.list(key, { userId: "me", q: "subject:Hi" }),
  },
  {
    name: "users.messages.modify",
    call: (g, key) =>
      g.users.messages.modify(key, {
        userId: "me",
        id: seeded().id,
        requestBody: { removeLabelIds: ["UNREAD"] },
      }),
  },
  {
    name: "users.messages.trash",
    call: (g, key) => g.users.messages.trash(key, { userId: "me", id: seeded().id }),
  },
  {
    name: "users.messages.untrash",
    call: (g, key) => g.users.messages.untrash(key, { userId: "me", id: seeded().id }),
  },
  {
    name: "users.messages.batchModify",
    call: (g, key) =>
      g.users.messages.batchModify(key, {
        userId: "me",
        requestBody: { ids: [seeded().id], addLabelIds: ["STARRED"] },
      }),
  },
  {
    name: "users.threads.get",
    call: (g, key) => g.users.threads.get(key, { userId: "me", id: seeded().threadId }),
  },
  { name: "users.threads.list", call: (g, key) => g.users.threads.list(key, { userId: "me" }) },
  {
    name: "users.threads.modify",
    call: (g, key) =>
      g.users.threads.modify(key, {
        userId: "me",
        id: seeded().threadId,
        requestBody: { addLabelIds: ["STARRED"] },
      }),
  },
  {
    name: "users.drafts.create",
    call: (g, key) =>
      g.users.drafts.create(key, { userId: "me", requestBody: { message: { raw: rawMessage() } } }),
  },
  { name: "users.drafts.get", call: (g, key) => g.users.drafts.get(key, { userId: "me", id: draft() }) },
  {
    name: "users.drafts.send",
    call: (g, key) => g.users.drafts.send(key, { userId: "me", requestBody: { id: draft() } }),
  },
  { name: "users.drafts.list", call: (g, key) => g.users.drafts.list(key, { userId: "me" }) },
  { name: "users.labels.list", call: (g, key) => g.users.labels.list(key, { userId: "me" }) },
  {
    name: "users.labels.create",
    call: (g, key) => g.users.labels.create(key, { userId: "me", requestBody: { name: "Receipts" } }),
  },
  { name: "users.labels.get", call: (g, key) => g.users.labels.get(key, { userId: "me", id: label() }) },
  {
    name: "users.history.list",
    call: (g, key) =>
      g.users.history.list(key, { userId: "me", startHistoryId: String(mailbox().historyId) }),
  },
  { name: "users.getProfile", call: (g, key) => g.users.getProfile(key, { userId: "me" }) },
  {
    name: "users.watch",
    call: (g, key) =>
      g.users.watch(key, {
        userId: "me",
        requestBody: { topicName: "projects/acme/topics/gmail", labelIds: ["INBOX"] },
      }),
  },
  { name: "users.stop", call: (g, key) => g.users.stop(key, { userId: "me" }) },
];

describeProvider({
  className: "Gmail",
  definition: GMAIL_PROVIDER_DEFINITION,
  emulator,
  create: (options, gmail) => new Gmail({ ...options, apiBaseUrl: gmail.apiUrl }),
  tasks,
  // A send, reconciled by its Message-ID: under a persistent fault the lookup fails too, so the outcome stays
  // unknown and the task is not repeated (the standard expectation).
  faultCall: (g, key) => g.sendEmail(key, { to: "grace@example.com", subject: "Fault", text: "x" }),
  passthrough: {
    method: "users.settings.getVacation",
    call: (g, key) => g.users.settings.getVacation(key, { userId: "me" }),
  },
  lifecycle: {
    create: (store, clock, gmail) =>
      createGmailLifecycle({
        store,
        clock,
        apiBaseUrl: gmail.apiUrl,
        oauthBaseUrl: gmail.webUrl,
        oauthClient: { ...gmail.oauthClient, redirectUri: "http://127.0.0.1:9/callback" },
        timeoutMs: 10_000,
      }),
    expectedMetadata: { emailAddress: DEFAULT_GMAIL_ADDRESS },
    refresh: {
      refreshRequestCount: (gmail) => gmail.requests.filter((r) => r.path === "/token").length,
      invalidateRefreshTokens: (gmail) => gmail.invalidateRefreshTokens(),
    },
  },
  consumer: {
    packageDir: fileURLToPath(new URL("..", import.meta.url)),
    importFrom: ["@autoflow/gmail", "Gmail"],
    options: (token, gmail) => JSON.stringify({ id: "gmail", token, apiBaseUrl: gmail.apiUrl }),
    body: `(async () => {
      const sent = await io.x.sendEmail("send", { to: "grace@example.com", subject: "Consumer", text: "Hi" });
      const profile = await io.x.users.getProfile("profile", { userId: "me" });
      return { sent: typeof sent.id, email: profile.emailAddress };
    })()`,
    expected: { sent: "string", email: "ada@example.com" },
  },
});

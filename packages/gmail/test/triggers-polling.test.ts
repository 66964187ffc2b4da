import { defineJob, JobRunner, MemoryTaskStore, MemoryWebhookInbox, TriggerDispatcher } from "@autoflow/core";
import { GmailEmulator } from "@autoflow/emulators";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { Gmail } from "../src/index";

// gmail.onNewMessage polls users.history.list through the real SDK against the emulator; the cursor (the newest
// history id seen, and the ledger) lives in the store.
const emulator = new GmailEmulator();
beforeAll(() => emulator.start());
beforeEach(async () => {
  await emulator.reset();
  emulator.searchIndexLagMs = 0;
});
afterAll(() => emulator.stop());

const deliver = (subject: string, label = "INBOX", from = "grace@example.com") => {
  const message = emulator.deliver(`From: ${from}\r\nTo: ada@example.com\r\nSubject: ${subject}\r\n\r\nHi`);
  if (label !== "INBOX") emulator.state.mailbox("ada@example.com").modify(message.id, [label]);
  return message;
};

function setup(labelIds?: string[], filter: { query?: string; searchIndexLagMs?: number } = {}) {
  const cursors = new MemoryWebhookInbox();
  const store = new MemoryTaskStore();
  const seen: string[] = [];
  const dispatcher = () => {
    // A new integration, trigger and dispatcher each time: what a restarted process builds.
    const gmail = new Gmail({ id: "gmail", token: emulator.mintToken(), apiBaseUrl: emulator.apiUrl });
    const job = defineJob({
      id: "on-mail",
      trigger: gmail.onNewMessage({ intervalMs: 1_000, ...(labelIds && { labelIds }), ...filter }),
      run: async (message) => {
        const subject = message.payload?.headers?.find((h) => h.name === "Subject")?.value;
        seen.push(subject ?? "?");
      },
    });
    return new TriggerDispatcher({ inbox: cursors, cursors, runner: new JobRunner({ store }), jobs: [job] });
  };
  return { seen, dispatcher };
}

describe("gmail.onNewMessage", () => {
  it("starts one run per message added after the first poll; a restart and a burst repeat and lose none", async () => {
    deliver("before");
    const { seen, dispatcher } = setup();
    expect(await dispatcher().pollOnce()).toBe(0);
    for (let i = 0; i < 5; i++) deliver(`burst ${i}`);
    expect(await dispatcher().pollOnce()).toBe(5);
    expect(await dispatcher().pollOnce()).toBe(0);
    deliver("after restart");
    expect(await dispatcher().pollOnce()).toBe(1);
    expect(seen).toEqual(["burst 0", "burst 1", "burst 2", "burst 3", "burst 4", "after restart"]);
    expect(emulator.requests.some((r) => r.path === "/gmail/v1/users/me/history")).toBe(true);
  });

  it("an expired historyId resyncs from messages.list: what already ran does not run again, what is new runs once", async () => {
    const { seen, dispatcher } = setup();
    expect(await dispatcher().pollOnce()).toBe(0);
    deliver("one");
    expect(await dispatcher().pollOnce()).toBe(1);
    deliver("two");
    emulator.expireHistory();
    expect(await dispatcher().pollOnce()).toBe(1);
    expect(seen).toEqual(["one", "two"]);
    deliver("three");
    expect(await dispatcher().pollOnce()).toBe(1);
    expect(seen).toEqual(["one", "two", "three"]);
  });

  it("skips a message deleted before it was read, alone, and filters by label", async () => {
    const { seen, dispatcher } = setup(["STARRED"]);
    expect(await dispatcher().pollOnce()).toBe(0);
    const gone = deliver("gone", "STARRED");
    emulator.state.mailbox("ada@example.com").messages.delete(gone.id);
    deliver("plain");
    deliver("starred", "STARRED");
    expect(await dispatcher().pollOnce()).toBe(1);
    expect(seen).toEqual(["starred"]);
  });
});

describe("gmail.onNewMessage({ query })", () => {
  const listed = () =>
    emulator.requests.filter((r) => r.path === "/gmail/v1/users/me/messages" && r.method === "GET");

  it("starts runs only for new messages Gmail's search finds, with one messages.list per poll", async () => {
    // searchIndexLagMs 0: the emulator's index does not lag here, so a miss is trusted at once.
    const { seen, dispatcher } = setup(undefined, {
      query: "from:billing@acme.test subject:invoice",
      searchIndexLagMs: 0,
    });
    expect(await dispatcher().pollOnce()).toBe(0);
    deliver("Invoice 1", "INBOX", "billing@acme.test");
    deliver("Lunch", "INBOX", "grace@example.com");
    deliver("Newsletter", "INBOX", "billing@acme.test");
    deliver("Invoice 2", "INBOX", "Billing <billing@acme.test>");
    const before = listed().length;
    expect(await dispatcher().pollOnce()).toBe(2);
    expect(seen).toEqual(["Invoice 1", "Invoice 2"]);
    expect(listed().length - before).toBe(1);
    expect(listed().at(-1)?.query.q).toMatch(
      /^\(from:billing@acme\.test subject:invoice\) after:\d+ before:\d+$/,
    );
    expect(await dispatcher().pollOnce()).toBe(0);
  });

  it("holds a new message the lagging search index does not find yet, and runs it once the index has it", async () => {
    emulator.searchIndexLagMs = 300;
    const { seen, dispatcher } = setup(undefined, { query: "subject:invoice", searchIndexLagMs: 30_000 });
    expect(await dispatcher().pollOnce()).toBe(0);
    deliver("Invoice 3");
    deliver("Invoice 4");
    expect(await dispatcher().pollOnce()).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 350));
    expect(await dispatcher().pollOnce()).toBe(2);
    expect(seen).toEqual(["Invoice 3", "Invoice 4"]);
  });

  it("trusts a miss once the message is older than the lag window: a non-match no longer holds later mail", async () => {
    const { seen, dispatcher } = setup(undefined, { query: "subject:invoice", searchIndexLagMs: 0 });
    expect(await dispatcher().pollOnce()).toBe(0);
    deliver("Lunch");
    deliver("Invoice 5");
    deliver("Dinner");
    expect(await dispatcher().pollOnce()).toBe(1);
    expect(seen).toEqual(["Invoice 5"]);
    // The messages passed over moved the cursor too: the next poll reads none of them again.
    const reads = () =>
      emulator.requests.filter((r) => r.path.startsWith("/gmail/v1/users/me/messages/")).length;
    const before = reads();
    expect(await dispatcher().pollOnce()).toBe(0);
    expect(reads()).toBe(before);
  });

  it("resyncs an expired historyId with the query as messages.list's q", async () => {
    const { seen, dispatcher } = setup(["INBOX"], { query: "subject:invoice", searchIndexLagMs: 0 });
    expect(await dispatcher().pollOnce()).toBe(0);
    deliver("Invoice 6");
    deliver("Lunch");
    emulator.expireHistory();
    expect(await dispatcher().pollOnce()).toBe(1);
    expect(seen).toEqual(["Invoice 6"]);
    expect(listed().at(-1)?.query.q).toBe("subject:invoice");
  });
});

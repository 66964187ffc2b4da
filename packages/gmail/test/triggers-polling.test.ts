import { defineJob, JobRunner, MemoryTaskStore, MemoryWebhookInbox, TriggerDispatcher } from "@autoflow/core";
import { GmailEmulator } from "@autoflow/emulators";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { Gmail } from "../src/index";

// gmail.onNewMessage polls users.history.list through the real SDK against the emulator; the cursor (the newest
// history id seen, and the ledger) lives in the store.
const emulator = new GmailEmulator();
beforeAll(() => emulator.start());
beforeEach(() => emulator.reset());
afterAll(() => emulator.stop());

const deliver = (subject: string, label = "INBOX") => {
  const message = emulator.deliver(
    `From: grace@example.com\r\nTo: ada@example.com\r\nSubject: ${subject}\r\n\r\nHi`,
  );
  if (label !== "INBOX") emulator.state.mailbox("ada@example.com").modify(message.id, [label]);
  return message;
};

function setup(labelIds?: string[]) {
  const cursors = new MemoryWebhookInbox();
  const store = new MemoryTaskStore();
  const seen: string[] = [];
  const dispatcher = () => {
    // A new integration, trigger and dispatcher each time: what a restarted process builds.
    const gmail = new Gmail({ id: "gmail", token: emulator.mintToken(), apiBaseUrl: emulator.apiUrl });
    const job = defineJob({
      id: "on-mail",
      trigger: gmail.onNewMessage({ intervalMs: 1_000, ...(labelIds && { labelIds }) }),
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

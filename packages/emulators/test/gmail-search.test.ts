import { gmail_v1 } from "@googleapis/gmail";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { GmailEmulator, ManualClock } from "../src/index";

// The Gmail emulator's search (`q` of messages.list and drafts.list) through the real `@googleapis/gmail` SDK: the
// subset of Gmail's query syntax the Gmail package's trigger and reconcilers use, and a search index that lags.
const clock = new ManualClock(Date.parse("2026-03-01T12:00:00Z"));
const emulator = new GmailEmulator({ clock });
let gmail: gmail_v1.Gmail;
beforeAll(async () => {
  await emulator.start();
});
/** The real SDK with a fresh token (the clock moves days in a test; a token lives an hour). */
const sdk = () =>
  new gmail_v1.Gmail({
    rootUrl: `${emulator.apiUrl}/`,
    retry: false,
    headers: { Authorization: `Bearer ${emulator.mintToken()}` },
  });
beforeEach(async () => {
  await emulator.reset();
  emulator.searchIndexLagMs = 0;
  gmail = sdk();
});
afterAll(() => emulator.stop());

const deliver = (from: string, subject: string, body = "Hi", extra = "") =>
  emulator.deliver(`From: ${from}\r\nTo: ada@example.com\r\nSubject: ${subject}\r\n${extra}\r\n${body}`);

async function search(q: string): Promise<string[]> {
  const { data } = await gmail.users.messages.list({ userId: "me", q });
  return (data.messages ?? []).map((message) => String(message.id));
}

describe("Gmail search in the emulator", () => {
  it("knows from:, to:, subject:, is:unread, label:, rfc822msgid:, plain words, OR, - and parentheses", async () => {
    const invoice = deliver(
      "Billing <billing@acme.test>",
      "Invoice 42",
      "Please pay",
      "Message-ID: <inv.42@acme.test>\r\n",
    );
    const hello = deliver("grace@example.com", "Hello", "Lunch tomorrow?");
    emulator.state.mailbox("ada@example.com").modify(hello.id, ["STARRED"], ["UNREAD"]);
    expect(await search("from:billing@acme.test")).toEqual([invoice.id]);
    expect(await search("to:ada@example.com")).toHaveLength(2);
    expect(await search('subject:"Invoice 42"')).toEqual([invoice.id]);
    expect(await search("is:unread")).toEqual([invoice.id]);
    expect(await search("is:read label:starred")).toEqual([hello.id]);
    expect(await search("rfc822msgid:<inv.42@acme.test>")).toEqual([invoice.id]);
    expect(await search("lunch")).toEqual([hello.id]);
    expect(await search("from:billing@acme.test OR from:grace@example.com")).toHaveLength(2);
    expect(await search("-from:grace@example.com")).toEqual([invoice.id]);
    expect(await search(`(from:grace@example.com OR subject:nothing) rfc822msgid:inv.42@acme.test`)).toEqual(
      [],
    );
  });

  it("knows newer_than: and after: on its clock", async () => {
    const old = deliver("a@example.com", "old");
    clock.advance(3 * 86_400_000);
    const fresh = deliver("a@example.com", "fresh");
    gmail = sdk();
    expect(await search("newer_than:2d")).toEqual([fresh.id]);
    expect(await search(`after:${Math.floor(old.internalDate / 1000) + 1}`)).toEqual([fresh.id]);
    expect(await search("older_than:2d")).toEqual([old.id]);
  });

  it("finds drafts with in:drafts, in drafts.list too", async () => {
    const raw = Buffer.from(
      "To: g@example.com\r\nSubject: Draft\r\nMessage-ID: <d.1@x.test>\r\n\r\nx",
    ).toString("base64url");
    const { data: draft } = await gmail.users.drafts.create({
      userId: "me",
      requestBody: { message: { raw } },
    });
    expect(await search("rfc822msgid:d.1@x.test")).toEqual([]);
    expect(await search("in:drafts rfc822msgid:d.1@x.test")).toEqual([draft.message?.id]);
    const { data } = await gmail.users.drafts.list({ userId: "me", q: "rfc822msgid:d.1@x.test" });
    expect(data.drafts?.map((d) => d.id)).toEqual([draft.id]);
  });

  it("lags its search index by searchIndexLagMs on its clock; history and get see the message at once", async () => {
    emulator.searchIndexLagMs = 5_000;
    const message = deliver("grace@example.com", "Lagging", "x", "Message-ID: <lag.1@x.test>\r\n");
    expect(await search("rfc822msgid:lag.1@x.test")).toEqual([]);
    expect((await gmail.users.messages.get({ userId: "me", id: message.id })).data.id).toBe(message.id);
    clock.advance(5_000);
    expect(await search("rfc822msgid:lag.1@x.test")).toEqual([message.id]);
  });
});

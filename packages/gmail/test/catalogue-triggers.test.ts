import { catalogueHarness } from "@autoflow/actions/testing";
import { pollingTriggerId } from "@autoflow/core";
import { GmailEmulator } from "@autoflow/emulators";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { gmailProvider } from "../src/provider";
import { checkGmailScope } from "../src/triggers/catalogue";

// gmail.newMessage as a stored workflow builds it: polling with the workflow's connection, scoped to its mailbox.
const gmail = new GmailEmulator();
let token: string;
const { registry, poller } = catalogueHarness(gmailProvider.triggers, () => ({
  providers: { gmail: { ...gmailProvider.clientOptions({ apiUrl: gmail.apiUrl }), timeoutMs: 5_000 } },
}));
const connection = (id: string) => ({
  id,
  auth: async () => ({ type: "oauth2" as const, accessToken: token }),
});

beforeAll(async () => {
  await gmail.start();
  token = gmail.mintToken();
});
afterAll(() => gmail.stop());

describe("gmail.newMessage", () => {
  it("is a polling entry whose cursor is per connection", () => {
    expect(registry.list().find((t) => t.key === "gmail.newMessage")).toMatchObject({
      kind: "polling",
      provider: "gmail",
    });
    const one = poller(
      { key: "gmail.newMessage", inputs: { emailAddress: "ada@example.com" } },
      connection("c1"),
    );
    expect(one.id).toBe(
      pollingTriggerId({
        provider: "gmail",
        key: "gmail.newMessage",
        inputs: { labelIds: [] },
        connectionId: "c1",
      }),
    );
  });

  it("lists new messages with the connection's token: nothing historic, then the new message", async () => {
    gmail.deliver("From: g@example.com\r\nTo: ada@example.com\r\nSubject: old\r\n\r\nx");
    const trigger = poller(
      { key: "gmail.newMessage", inputs: { emailAddress: "ada@example.com", labelIds: ["INBOX"] } },
      connection("c1"),
    );
    const baseline = await trigger.poll(undefined);
    expect(baseline.items).toEqual([]);
    const fresh = gmail.deliver("From: g@example.com\r\nTo: ada@example.com\r\nSubject: new\r\n\r\nx");
    const next = await trigger.poll(baseline.cursor);
    expect(next.items).toMatchObject([{ id: fresh.id, threadId: fresh.threadId }]);
  });

  it("takes a query: part of the cursor's identity, and what the search filters new messages by", async () => {
    const trigger = poller(
      { key: "gmail.newMessage", inputs: { emailAddress: "ada@example.com", query: "subject:invoice" } },
      connection("c2"),
    );
    expect(trigger.id).toBe(
      pollingTriggerId({
        provider: "gmail",
        key: "gmail.newMessage",
        inputs: { labelIds: [], query: "subject:invoice" },
        connectionId: "c2",
      }),
    );
    const baseline = await trigger.poll(undefined);
    gmail.deliver("From: g@example.com\r\nTo: ada@example.com\r\nSubject: Invoice 7\r\n\r\nx");
    const next = await trigger.poll(baseline.cursor);
    expect(next.items).toMatchObject([{ snippet: "x" }]);
    const listed = gmail.requests.filter((r) => r.path === "/gmail/v1/users/me/messages").at(-1);
    expect(listed?.query.q).toMatch(/^\(subject:invoice\) after:/);
  });

  it("is scoped to the connection's mailbox, compared case-insensitively", async () => {
    const conn = { id: "c1", auth: { type: "oauth2" }, metadata: { emailAddress: "Ada@Example.com" } };
    expect(await checkGmailScope({ emailAddress: "ada@example.com" }, conn as never)).toEqual({
      ok: true,
      account: "ada@example.com",
    });
    expect(await checkGmailScope({ emailAddress: "grace@example.com" }, conn as never)).toMatchObject({
      ok: false,
      field: "emailAddress",
    });
  });
});

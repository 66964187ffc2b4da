import type { TaskOutput } from "@autoflow/core";
import type { gmail_v1 } from "@googleapis/gmail";
import { describe, expectTypeOf, it } from "vitest";
import { Gmail, type SentEmail } from "../src/index";

// Type-level behaviour, checked by `vitest --typecheck`; nothing here runs.
const gmail = new Gmail({ id: "types", token: "ya29.types_only_000000000" });

describe("hand-written tasks", () => {
  it("take the SDK's own params and resolve to the task output of its schema", () => {
    expectTypeOf(gmail.users.messages.send)
      .parameter(1)
      .toEqualTypeOf<gmail_v1.Params$Resource$Users$Messages$Send>();
    expectTypeOf(gmail.users.messages.send).returns.resolves.toEqualTypeOf<
      TaskOutput<gmail_v1.Schema$Message>
    >();
    expectTypeOf(gmail.users.threads.get).returns.resolves.toHaveProperty("messages");
    expectTypeOf(gmail.users.history.list).returns.resolves.toHaveProperty("historyId");
    expectTypeOf(gmail.users.getProfile).returns.resolves.toHaveProperty("emailAddress");
    expectTypeOf(gmail.sendEmail).returns.resolves.toEqualTypeOf<TaskOutput<SentEmail>>();
  });

  it("types every other method as a passthrough task from the SDK's promise form", () => {
    expectTypeOf(gmail.users.settings.filters.list).returns.resolves.toHaveProperty("filter");
    expectTypeOf(gmail.users.messages.attachments.get).returns.resolves.toHaveProperty("data");
  });

  it("rejects misspelt methods, wrong params and a missing key", () => {
    const wrong = () => {
      // @ts-expect-error no such method on users.messages
      gmail.users.messages.sned("k", { userId: "me" });
      // @ts-expect-error raw is a string
      gmail.users.messages.send("k", { userId: "me", requestBody: { raw: 1 } });
      // @ts-expect-error sendEmail needs a subject
      gmail.sendEmail("k", { to: "ada@example.com" });
      // @ts-expect-error the task key comes first
      gmail.users.messages.get({ userId: "me", id: "1" });
    };
    expectTypeOf(wrong).toBeFunction();
  });
});

describe("onNewMessage", () => {
  it("takes labels and a Gmail search query, and starts runs with a message", () => {
    const trigger = gmail.onNewMessage({
      labelIds: ["INBOX"],
      query: "from:billing@acme.com",
      searchIndexLagMs: 5_000,
    });
    expectTypeOf(trigger.itemId).parameter(0).toEqualTypeOf<gmail_v1.Schema$Message>();
    // @ts-expect-error a query is one string of Gmail search syntax
    gmail.onNewMessage({ query: ["from:billing@acme.com"] });
  });
});

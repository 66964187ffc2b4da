import type { IntegrationTaskKey, SdkNamespaceName, SdkTaskMethod, TaskOutput } from "@autoflow/core";
import type {
  AdminUsersListArguments,
  AdminUsersListResponse,
  BookmarksAddArguments,
  BookmarksAddResponse,
  ChatPostMessageArguments,
  ChatPostMessageResponse,
  ConversationsHistoryResponse,
  FilesUploadV2Arguments,
  PinsAddResponse,
  WebClient,
} from "@slack/web-api";
import { describe, expectTypeOf, it } from "vitest";
import { Slack } from "../src/index";

// Checked by `tsc` (pnpm typecheck). The calls inside `() => [...]` are never invoked: they exist to be type-checked.
const slack = new Slack({ id: "types", token: "xoxb-types-only-000000" });

describe("types come from @slack/web-api", () => {
  it("hand-written tasks take the SDK's full arguments and return its response, JSON round-tripped", () => {
    expectTypeOf(slack.chat.postMessage).parameter(1).toEqualTypeOf<ChatPostMessageArguments>();
    expectTypeOf(slack.chat.postMessage).returns.resolves.toEqualTypeOf<
      TaskOutput<ChatPostMessageResponse>
    >();
    expectTypeOf(slack.conversations.history).returns.resolves.toEqualTypeOf<
      TaskOutput<ConversationsHistoryResponse>
    >();
    expectTypeOf(slack.files.uploadV2).parameter(1).toEqualTypeOf<FilesUploadV2Arguments>();
  });

  it("accepts blocks, thread_ts, metadata and the rest of ChatPostMessageArguments", () => {
    const calls = () => [
      slack.chat.postMessage("k", {
        channel: "C01GENERAL",
        text: "fallback",
        blocks: [{ type: "section", text: { type: "mrkdwn", text: "*hi*" } }],
        thread_ts: "1700000000.000100",
        reply_broadcast: true,
        unfurl_links: false,
        metadata: { event_type: "deploy", event_payload: { id: 1 } },
      }),
      slack.conversations.list("k"),
      slack.auth.test("k"),
    ];
    expectTypeOf(calls).returns.toBeArray();
  });

  it("rejects wrong params", () => {
    const calls = () => [
      // @ts-expect-error channel is required
      slack.chat.postMessage("k", { text: "no channel" }),
      // @ts-expect-error channel is a string
      slack.chat.postMessage("k", { channel: 42, text: "x" }),
      // @ts-expect-error thread_ts is a string
      slack.chat.postMessage("k", { channel: "C1", text: "x", thread_ts: 1.5 }),
      // @ts-expect-error the task key comes first
      slack.chat.postMessage({ channel: "C1", text: "x" }),
      // @ts-expect-error users.lookupByEmail needs an email
      slack.users.lookupByEmail("k", { user: "U1" }),
      // @ts-expect-error a misspelt key (thread_ts)
      slack.chat.postMessage("k", { channel: "C1", text: "x", thred_ts: "1.2" }),
      // @ts-expect-error a misspelt key in a passthrough method's arguments (link)
      slack.bookmarks.add("k", { channel_id: "C1", title: "t", type: "link", lnk: "https://x.test" }),
    ];
    expectTypeOf(calls).returns.toBeArray();
  });

  it("hand-written tasks have exactly the passthrough's type for the same method", () => {
    expectTypeOf(slack.chat.postMessage).toEqualTypeOf<SdkTaskMethod<WebClient["chat"]["postMessage"]>>();
    expectTypeOf(slack.users.list).toEqualTypeOf<SdkTaskMethod<WebClient["users"]["list"]>>();
    expectTypeOf(slack.auth.test).toEqualTypeOf<SdkTaskMethod<WebClient["auth"]["test"]>>();
  });

  it("the passthrough types every other method from the SDK, nested namespaces included", () => {
    expectTypeOf(slack.admin.users.list).toEqualTypeOf<
      (
        key: IntegrationTaskKey,
        options?: AdminUsersListArguments,
      ) => Promise<TaskOutput<AdminUsersListResponse>>
    >();
    expectTypeOf(slack.bookmarks.add).parameter(1).toEqualTypeOf<BookmarksAddArguments>();
    expectTypeOf(slack.bookmarks.add).returns.resolves.toEqualTypeOf<TaskOutput<BookmarksAddResponse>>();
    expectTypeOf(slack.chat.scheduledMessages.list).toBeFunction();
    const calls = () => [
      // @ts-expect-error no such method
      slack.chat.notAMethod("k", {}),
      // @ts-expect-error bookmarks.add needs channel_id, title and type
      slack.bookmarks.add("k", { title: "x" }),
    ];
    expectTypeOf(calls).returns.toBeArray();
  });

  it("every WebClient namespace is on Slack", () => {
    expectTypeOf<Exclude<SdkNamespaceName<WebClient>, keyof Slack>>().toBeNever();
  });

  it("runTask types the callback's client and result", () => {
    const pinned = () =>
      slack.runTask("pin", (client) => client.pins.add({ channel: "C1", timestamp: "1.2" }));
    expectTypeOf(pinned).returns.resolves.toEqualTypeOf<TaskOutput<PinsAddResponse>>();
  });
});

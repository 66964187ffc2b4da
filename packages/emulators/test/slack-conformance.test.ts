import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { type FetchFunction, LogLevel, WebClient } from "@slack/web-api";
import type { ErrorObject } from "ajv";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ManualClock, SlackEmulator } from "../src/index";
import { EventTopicValidator, loadDerivedSpec, OperationValidator } from "./openapi-conformance";

/**
 * Fields Slack sends that the 2020 description's closed objects (`additionalProperties: false`) leave out:
 * a message's `app_id` (the SDK's own response types carry it) and the cursor of paginated reads.
 */
const UNDESCRIBED_FIELDS = new Set(["app_id", "response_metadata"]);
const undescribedField = (e: ErrorObject) =>
  e.keyword === "additionalProperties" && UNDESCRIBED_FIELDS.has(e.params.additionalProperty as string);

// Slack's Web API and Events API descriptions, as derived by `pnpm --filter @autoflow/emulators specs:update`.
const web = new OperationValidator(loadDerivedSpec("slack", "web-api.json"), undescribedField);
const events = new EventTopicValidator(loadDerivedSpec("slack", "events-api.json"));

const clock = new ManualClock();
const emulator = new SlackEmulator({ clock });
let slack: WebClient;
/** A bot token without `channels:read`. */
let unscoped: WebClient;
let receiver: Server;
/** The bodies Slack POSTed to the app's request URL, in arrival order. */
const received: string[] = [];
/** Violations not yet reported by a test. */
let violations: string[] = [];
const exercised = new Set<string>();
/** Methods the SDK called that the 2020 description does not cover (the `files.uploadV2` steps). */
const undescribed = new Set<string>();

/** The described operation of a Web API method: the WebClient POSTs every method, the description often says GET. */
function operationOf(method: string): string | undefined {
  return web.operations.find((o) => o.endsWith(` /${method}`));
}

/**
 * The real transport with every Web API answer checked against its method's description: `ok: true` against
 * the `200` schema, `ok: false` (HTTP 200 or 429) against the `default` one, where Slack describes its errors.
 */
const checkedFetch: FetchFunction = async (url, init) => {
  const response = await fetch(url, init);
  const path = new URL(url).pathname;
  if (!path.startsWith("/api/")) return response; // the file upload URL is not part of the Web API
  const method = path.slice("/api/".length);
  const operation = operationOf(method);
  if (!operation) {
    undescribed.add(method);
    return response;
  }
  exercised.add(operation);
  const body = (await response.clone().json()) as { ok?: boolean };
  violations.push(...web.validateResponse(operation, body.ok === false ? "default" : response.status, body));
  return response;
};

function newClient(token?: string): WebClient {
  return new WebClient(token, {
    slackApiUrl: emulator.apiUrl,
    fetch: checkedFetch,
    retryConfig: { retries: 0 },
    logLevel: LogLevel.ERROR,
  });
}

/** Fails the test with every violation since the last check, one per line. */
function expectConformant(): void {
  const found = violations;
  violations = [];
  expect(found, found.join("\n")).toEqual([]);
}

async function expectSlackError(call: Promise<unknown>, error: string): Promise<void> {
  await expect(call).rejects.toMatchObject({ data: { ok: false, error } });
}

beforeAll(async () => {
  await emulator.start();
  slack = newClient(emulator.mintToken());
  unscoped = newClient(emulator.mintToken(["chat:write"]));
  receiver = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      received.push(body);
      const { challenge } = JSON.parse(body) as { challenge?: string };
      response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ challenge }));
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  const { port } = receiver.address() as AddressInfo;
  const subscription = await emulator.configureEvents({
    requestUrl: `http://127.0.0.1:${port}/slack/events`,
    signingSecret: "conformance-signing-secret",
  });
  expect(subscription.verified).toBe(true);
});

afterAll(async () => {
  await emulator.stop();
  await new Promise((resolve) => receiver.close(resolve));
});

describe("Slack emulator answers as Slack's Web API description says", () => {
  it("api and auth: test, revoke, and the errors for a forged and a revoked token", async () => {
    await slack.api.test();
    await expectSlackError(slack.api.test({ error: "my_error" }), "my_error");
    await slack.auth.test();
    await expectSlackError(newClient("xoxb-forged").auth.test(), "invalid_auth");
    const revoked = newClient(emulator.mintToken());
    await revoked.auth.revoke({ test: false });
    await expectSlackError(revoked.auth.test(), "token_revoked");
    await expectSlackError(revoked.auth.revoke(), "token_revoked");
    await expectSlackError(
      newClient().oauth.v2.access({
        client_id: emulator.clientId,
        client_secret: emulator.clientSecret,
        code: "not-a-code",
      }),
      "invalid_code",
    );
    expectConformant();
  });

  it("chat: post, thread, update, permalink, ephemeral, schedule, list and delete", async () => {
    const posted = await slack.chat.postMessage({ channel: "C01GENERAL", text: "conformance" });
    const ts = posted.ts as string;
    await slack.chat.postMessage({ channel: "C01GENERAL", text: "in thread", thread_ts: ts });
    await expectSlackError(slack.chat.postMessage({ channel: "C01RANDOM0", text: "no" }), "not_in_channel");
    await slack.chat.update({ channel: "C01GENERAL", ts, text: "conformance, edited" });
    const theirs = emulator.seedMessage("C01GENERAL", "a person's message", "U0002");
    await expectSlackError(
      slack.chat.update({ channel: "C01GENERAL", ts: theirs.ts, text: "mine now" }),
      "cant_update_message",
    );
    await slack.chat.getPermalink({ channel: "C01GENERAL", message_ts: ts });
    await expectSlackError(
      slack.chat.getPermalink({ channel: "C01GENERAL", message_ts: "1.000001" }),
      "message_not_found",
    );
    await slack.chat.postEphemeral({ channel: "C01GENERAL", user: "U0001", text: "only you" });
    await expectSlackError(
      slack.chat.postEphemeral({ channel: "C9999", user: "U0001", text: "nowhere" }),
      "channel_not_found",
    );
    const postAt = Math.floor(clock.now() / 1000) + 3_600;
    const scheduled = await slack.chat.scheduleMessage({
      channel: "C01GENERAL",
      text: "later",
      post_at: postAt,
    });
    await expectSlackError(
      slack.chat.scheduleMessage({ channel: "C01GENERAL", text: "earlier", post_at: postAt - 7_200 }),
      "time_in_past",
    );
    await slack.chat.scheduledMessages.list({ channel: "C01GENERAL" });
    await expectSlackError(slack.chat.scheduledMessages.list({ channel: "C9999" }), "invalid_channel");
    await slack.chat.deleteScheduledMessage({
      channel: "C01GENERAL",
      scheduled_message_id: scheduled.scheduled_message_id as string,
    });
    await expectSlackError(
      slack.chat.deleteScheduledMessage({ channel: "C01GENERAL", scheduled_message_id: "Q0000000000" }),
      "invalid_scheduled_message_id",
    );
    await slack.chat.delete({ channel: "C01GENERAL", ts });
    await expectSlackError(slack.chat.delete({ channel: "C01GENERAL", ts }), "message_not_found");
    expectConformant();
  });

  it("conversations: list, info, history, replies, members, create, invite, join, archive", async () => {
    const parent = await slack.chat.postMessage({ channel: "C01GENERAL", text: "a thread" });
    await slack.chat.postMessage({ channel: "C01GENERAL", text: "a reply", thread_ts: parent.ts as string });
    await slack.conversations.list({ types: "public_channel,private_channel" });
    await expectSlackError(unscoped.conversations.list(), "missing_scope");
    await slack.conversations.info({ channel: "C01GENERAL" });
    await expectSlackError(slack.conversations.info({ channel: "C9999" }), "channel_not_found");
    const history = await slack.conversations.history({ channel: "C01GENERAL" });
    expect(history.channel_actions_ts).toBeNull();
    await expectSlackError(slack.conversations.history({ channel: "C9999" }), "channel_not_found");
    await slack.conversations.replies({ channel: "C01GENERAL", ts: parent.ts as string });
    await expectSlackError(
      slack.conversations.replies({ channel: "C01GENERAL", ts: "1.000001" }),
      "thread_not_found",
    );
    await slack.conversations.members({ channel: "C01GENERAL" });
    await expectSlackError(slack.conversations.members({ channel: "C9999" }), "channel_not_found");
    const created = await slack.conversations.create({ name: "conformance" });
    const channel = created.channel?.id as string;
    await expectSlackError(slack.conversations.create({ name: "conformance" }), "name_taken");
    await slack.conversations.invite({ channel, users: "U0002" });
    await expectSlackError(slack.conversations.invite({ channel, users: "U0002" }), "already_in_channel");
    await slack.conversations.join({ channel: "C01RANDOM0" });
    await expectSlackError(slack.conversations.join({ channel: "C9999" }), "channel_not_found");
    await slack.conversations.archive({ channel });
    await expectSlackError(slack.conversations.archive({ channel: "C01GENERAL" }), "cant_archive_general");
    expectConformant();
  });

  it("files: uploaded with files.uploadV2, then info and delete", async () => {
    const uploaded = await slack.filesUploadV2({
      channel_id: "C01GENERAL",
      filename: "report.txt",
      content: "conformance",
    });
    const id = (uploaded.files[0]?.files?.[0]?.id ?? "") as string;
    await slack.files.info({ file: id });
    await slack.files.delete({ file: id });
    await expectSlackError(slack.files.info({ file: id }), "file_deleted");
    await expectSlackError(slack.files.delete({ file: id }), "file_deleted");
    await expectSlackError(slack.files.delete({ file: "F0000000000" }), "file_not_found");
    expectConformant();
  });

  it("reactions: add, get, remove", async () => {
    const { ts } = await slack.chat.postMessage({ channel: "C01GENERAL", text: "react to me" });
    const timestamp = ts as string;
    await slack.reactions.add({ channel: "C01GENERAL", timestamp, name: "tada" });
    await expectSlackError(
      slack.reactions.add({ channel: "C01GENERAL", timestamp, name: "tada" }),
      "already_reacted",
    );
    await slack.reactions.get({ channel: "C01GENERAL", timestamp });
    await expectSlackError(
      slack.reactions.get({ channel: "C01GENERAL", timestamp: "1.000001" }),
      "message_not_found",
    );
    await slack.reactions.remove({ channel: "C01GENERAL", timestamp, name: "tada" });
    await expectSlackError(
      slack.reactions.remove({ channel: "C01GENERAL", timestamp, name: "tada" }),
      "no_reaction",
    );
    expectConformant();
  });

  it("users: list, info, lookup by email", async () => {
    await slack.users.list({});
    await expectSlackError(slack.users.list({ cursor: "not-a-cursor" }), "invalid_cursor");
    await slack.users.info({ user: "U0001" });
    await expectSlackError(slack.users.info({ user: "U9999" }), "user_not_found");
    await slack.users.lookupByEmail({ email: "bob@acme.test" });
    await expectSlackError(slack.users.lookupByEmail({ email: "nobody@acme.test" }), "users_not_found");
    expectConformant();
  });

  it("every described method was called above; the SDK's other calls are the upload steps newer than 2020", () => {
    expect(web.operations.filter((o) => !exercised.has(o))).toEqual([]);
    expect([...undescribed].sort()).toEqual(["files.completeUploadExternal", "files.getUploadURLExternal"]);
  });

  it("what the allowance accepted: only the fields the description leaves out (every ID matches Slack's patterns)", () => {
    const kinds = new Set(
      [...web.tolerated].map(
        (line) => `undescribed field ${/\/(\w+) must NOT have additional properties$/.exec(line)?.[1]}`,
      ),
    );
    expect([...kinds].sort()).toEqual(["undescribed field app_id", "undescribed field response_metadata"]);
  });
});

describe("Slack emulator sends events as Slack's Events API description says", () => {
  it("message (public and private channel), app_mention and reaction_added envelopes match their topics", async () => {
    const said = emulator.userSays("C01GENERAL", "hello <@U0BOT>");
    emulator.userReacts("C01GENERAL", said.ts, "eyes", "U0002");
    const { channel } = await slack.conversations.create({ name: "conformance-private", is_private: true });
    await slack.conversations.invite({ channel: channel?.id as string, users: "U0001" });
    emulator.userSays(channel?.id as string, "a private word");
    await emulator.awaitEvents();

    const found: string[] = [];
    const sent = new Set<string>();
    for (const body of received) {
      const envelope = JSON.parse(body) as {
        type: string;
        event_id?: string;
        event?: { type: string; channel_type?: string };
      };
      if (envelope.type === "url_verification") continue; // described with the wrong schema: see specs-sources.mjs
      const topic = topicOf(envelope.event ?? { type: "" });
      sent.add(topic);
      found.push(...events.validate(topic, envelope).map((v) => `${v} (event ${envelope.event_id})`));
    }
    expect(found, found.join("\n")).toEqual([]);
    expect(events.topics.filter((t) => !sent.has(t))).toEqual([]);
  });
});

/** The description's topic of an inner event: `reaction_added` is `reaction.added`; messages by channel type. */
function topicOf(event: { type: string; channel_type?: string }): string {
  if (event.type === "message") return event.channel_type === "group" ? "message.groups" : "message.channels";
  return event.type.replace(/_/g, ".");
}

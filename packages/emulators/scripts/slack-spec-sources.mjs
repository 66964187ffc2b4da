// What `specs-update.mjs` derives for the Slack emulator (collected by `specs-sources.mjs`): the Web API
// description's methods the emulator serves, its whole Web API description, and the Events API topics it sends.
// Slack publishes no example event payloads beside its 2020 descriptions.

/**
 * The Slack Web API methods the Slack emulator serves (`src/slack/*-methods.ts`, `slack-emulator.ts`) that Slack's
 * 2020 description covers. Not described, so not here: `files.getUploadURLExternal`, `files.completeUploadExternal`
 * (newer than the description). Every other described method is answered by the spec fallback.
 */
const SLACK_WEB_METHODS = [
  "GET /api.test",
  "GET /auth.revoke",
  "GET /auth.test",
  "POST /chat.delete",
  "POST /chat.deleteScheduledMessage",
  "GET /chat.getPermalink",
  "POST /chat.postEphemeral",
  "POST /chat.postMessage",
  "POST /chat.scheduleMessage",
  "GET /chat.scheduledMessages.list",
  "POST /chat.update",
  "POST /conversations.archive",
  "POST /conversations.create",
  "GET /conversations.history",
  "GET /conversations.info",
  "POST /conversations.invite",
  "POST /conversations.join",
  "GET /conversations.list",
  "GET /conversations.members",
  "GET /conversations.replies",
  "POST /files.delete",
  "GET /files.info",
  "GET /oauth.v2.access",
  "POST /reactions.add",
  "GET /reactions.get",
  "POST /reactions.remove",
  "GET /users.info",
  "GET /users.list",
  "GET /users.lookupByEmail",
];

/**
 * The Events API topics the Slack emulator sends (`src/slack/slack-event-builder.ts`), by their AsyncAPI names:
 * a `message` event in a public channel is topic `message.channels`, in a private one `message.groups`. Left
 * out: the `message` topic (its payload is the `message_deleted` subtype's, which the emulator never sends)
 * and `url.verification` (described with the `event_callback` wrapper, while Slack sends only `token`,
 * `challenge` and `type`).
 */
const SLACK_EVENT_TOPICS = ["app.mention", "message.channels", "message.groups", "reaction.added"];

/**
 * Slack's subsets, written to `specs/slack/<output>`: the Web API (Swagger 2.0: a response's schema sits at
 * `responses.<status>.schema`, refs under `#/definitions`) and the Events API (AsyncAPI 1.2: each topic's
 * `subscribe.payload`, refs under `#/components/schemas`).
 */
export default [
  {
    output: "web-api.json",
    source: "slack/slack_web_openapi_v2.json",
    extract: "operations",
    select: SLACK_WEB_METHODS,
  },
  { output: "web-api-all.json", source: "slack/slack_web_openapi_v2.json", extract: "all-operations" },
  {
    output: "events-api.json",
    source: "slack/slack_events_api_async_v1.json",
    extract: "topics",
    select: SLACK_EVENT_TOPICS,
  },
];

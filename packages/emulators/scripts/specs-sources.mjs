// What `specs-update.mjs` derives, per provider: which pinned description file feeds which committed
// subset, and which operations and webhook events of it the emulator serves. A new provider is a new
// entry here (with an `extract` kind the script knows), not a new script.

/**
 * The REST operations the GitHub emulator serves (`src/github/routes/`), as `METHOD /openapi/path`.
 * The emulator's `:number` is GitHub's `{issue_number}` or `{pull_number}`. The OAuth web flow
 * (`/login/oauth/*`) is not part of the REST description.
 */
const GITHUB_OPERATIONS = [
  // repo-routes.ts
  "GET /user",
  "GET /users/{username}",
  "GET /user/repos",
  "GET /repos/{owner}/{repo}",
  "POST /repos/{owner}/{repo}/hooks",
  "GET /repos/{owner}/{repo}/hooks",
  "GET /repos/{owner}/{repo}/hooks/{hook_id}",
  "DELETE /repos/{owner}/{repo}/hooks/{hook_id}",
  "GET /repos/{owner}/{repo}/actions/workflows",
  // issue-routes.ts
  "POST /repos/{owner}/{repo}/issues",
  "GET /repos/{owner}/{repo}/issues",
  "GET /issues",
  "GET /repos/{owner}/{repo}/issues/{issue_number}",
  "PATCH /repos/{owner}/{repo}/issues/{issue_number}",
  "POST /repos/{owner}/{repo}/issues/{issue_number}/comments",
  "GET /repos/{owner}/{repo}/issues/{issue_number}/comments",
  "POST /repos/{owner}/{repo}/issues/{issue_number}/labels",
  "POST /repos/{owner}/{repo}/issues/{issue_number}/reactions",
  "GET /repos/{owner}/{repo}/issues/{issue_number}/reactions",
  // pull-routes.ts
  "POST /repos/{owner}/{repo}/pulls",
  "GET /repos/{owner}/{repo}/pulls",
  "GET /repos/{owner}/{repo}/pulls/{pull_number}",
  "PUT /repos/{owner}/{repo}/pulls/{pull_number}/merge",
  // git-routes.ts
  "GET /repos/{owner}/{repo}/git/ref/{ref}",
  "POST /repos/{owner}/{repo}/git/refs",
  "PATCH /repos/{owner}/{repo}/git/refs/{ref}",
  // star-routes.ts
  "PUT /user/starred/{owner}/{repo}",
  "DELETE /user/starred/{owner}/{repo}",
  "GET /user/starred/{owner}/{repo}",
  "GET /repos/{owner}/{repo}/stargazers",
  // oauth-routes.ts
  "POST /applications/{client_id}/token",
  "DELETE /applications/{client_id}/token",
];

/** The webhook deliveries the GitHub emulator sends (`src/github/webhook-payloads.ts`), as `<event>-<action>` keys. */
const GITHUB_WEBHOOKS = [
  "issues-opened",
  "issues-edited",
  "issues-closed",
  "issues-reopened",
  "issue-comment-created",
  "pull-request-opened",
  "pull-request-closed",
  "push",
  "ping",
  "star-created",
  "star-deleted",
];

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
/**
 * The events whose published example payloads (`@octokit/webhooks-examples`) the GitHub package's tests push
 * through core's intake and the triggers (`packages/github/test/real-webhook-examples.test.ts`): the events the
 * emulator sends and the triggers serve.
 */
const GITHUB_EXAMPLE_EVENTS = ["issues", "issue_comment", "pull_request", "push", "star", "ping"];

const SLACK_EVENT_TOPICS = ["app.mention", "message.channels", "message.groups", "reaction.added"];

/**
 * Per provider, the subsets to write to `specs/<provider>/<output>`.
 * `extract`: `operations` (OpenAPI 3 or Swagger 2 `paths`, `select` = `METHOD /path`), `all-operations` (every
 * operation of `paths`, no `select`: the description the emulators' spec fallback answers from),
 * `webhooks` (OpenAPI 3.1 `webhooks`, `select` = webhook keys), `topics` (AsyncAPI 1.2 `topics`,
 * `select` = topic names) or `examples` (published example payloads, `select` = event names; see
 * `webhook-examples.mjs`). Slack publishes no example event payloads beside its 2020 descriptions.
 */
export const SPEC_SOURCES = {
  github: [
    {
      output: "rest.json",
      source: "github/api.github.com.json",
      extract: "operations",
      select: GITHUB_OPERATIONS,
    },
    { output: "rest-all.json", source: "github/api.github.com.json", extract: "all-operations" },
    {
      output: "webhooks.json",
      source: "github/webhooks.api.github.com.json",
      extract: "webhooks",
      select: GITHUB_WEBHOOKS,
    },
    {
      output: "webhook-examples.json",
      source: "github/webhooks-examples.api.github.com.json",
      extract: "examples",
      select: GITHUB_EXAMPLE_EVENTS,
    },
  ],
  // The Web API (Swagger 2.0: a response's schema sits at `responses.<status>.schema`, refs under `#/definitions`)
  // and the Events API (AsyncAPI 1.2: each topic's `subscribe.payload`, refs under `#/components/schemas`).
  slack: [
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
  ],
};

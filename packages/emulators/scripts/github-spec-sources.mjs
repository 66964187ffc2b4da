// What `specs-update.mjs` derives for the GitHub emulator (collected by `specs-sources.mjs`): the REST
// description's operations and webhooks the emulator serves, its whole REST description, and published
// example payloads.

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
 * The events whose published example payloads (`@octokit/webhooks-examples`) the GitHub package's tests push
 * through core's intake and the triggers (`packages/github/test/real-webhook-examples.test.ts`): the events the
 * emulator sends and the triggers serve.
 */
const GITHUB_EXAMPLE_EVENTS = ["issues", "issue_comment", "pull_request", "push", "star", "ping"];

/** GitHub's subsets, written to `specs/github/<output>`. */
export default [
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
];

// What `specs-update.mjs` derives for the Jira Cloud emulator (collected by `specs-sources.mjs`): the operations of
// Atlassian's published Jira Cloud platform description (OpenAPI 3.0.1) that the emulator serves with state, and the
// whole description for the spec fallback. Jira's webhook payloads are not part of the description.

/**
 * The Jira Cloud platform REST API v3 operations the Jira emulator serves with state (`src/jira/routes/*.ts`). The two
 * `/rest/api/3/search` operations are served to answer 410 Gone, as Jira has since CHANGE-2046. Not described, so not
 * here: the API v2 writes jira.js sends wiki markup to (`routes/v2-routes.ts`).
 */
const JIRA_OPERATIONS = [
  // user-routes.ts
  "GET /rest/api/3/myself",
  "GET /rest/api/3/user/search",
  // project-routes.ts
  "GET /rest/api/3/project/search",
  "GET /rest/api/3/project/{projectIdOrKey}",
  "GET /rest/api/3/issuetype",
  "GET /rest/api/3/field",
  // issue-routes.ts
  "POST /rest/api/3/issue",
  "GET /rest/api/3/issue/{issueIdOrKey}",
  "PUT /rest/api/3/issue/{issueIdOrKey}",
  "DELETE /rest/api/3/issue/{issueIdOrKey}",
  "PUT /rest/api/3/issue/{issueIdOrKey}/assignee",
  "GET /rest/api/3/issue/{issueIdOrKey}/transitions",
  "POST /rest/api/3/issue/{issueIdOrKey}/transitions",
  "GET /rest/api/3/issue/{issueIdOrKey}/comment",
  "POST /rest/api/3/issue/{issueIdOrKey}/comment",
  "GET /rest/api/3/issue/{issueIdOrKey}/comment/{id}",
  // issue-extra-routes.ts
  "GET /rest/api/3/issue/{issueIdOrKey}/properties/{propertyKey}",
  "PUT /rest/api/3/issue/{issueIdOrKey}/properties/{propertyKey}",
  "DELETE /rest/api/3/issue/{issueIdOrKey}/properties/{propertyKey}",
  "POST /rest/api/3/issueLink",
  "GET /rest/api/3/issueLink/{linkId}",
  "DELETE /rest/api/3/issueLink/{linkId}",
  // search-routes.ts
  "GET /rest/api/3/search/jql",
  "POST /rest/api/3/search/jql",
  "POST /rest/api/3/search/approximate-count",
  "GET /rest/api/3/search",
  "POST /rest/api/3/search",
  // webhook-routes.ts
  "POST /rest/api/3/webhook",
  "GET /rest/api/3/webhook",
  "DELETE /rest/api/3/webhook",
  "PUT /rest/api/3/webhook/refresh",
];

/** Jira's subsets, written to `specs/jira/<output>`. */
export default [
  {
    output: "platform.json",
    source: "jira/swagger-v3.v3.json",
    extract: "operations",
    select: JIRA_OPERATIONS,
  },
  { output: "platform-all.json", source: "jira/swagger-v3.v3.json", extract: "all-operations" },
];

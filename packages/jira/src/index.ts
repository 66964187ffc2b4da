/**
 * @module
 * Jira Cloud for AutoFlow jobs: the `Jira` integration (every jira.js 6 `createCloudClient` method as a durable, typed
 * task; task classes for `issues`, `issueComments`, `issueSearch` (the enhanced `/search/jql` only), `issueProperties`,
 * `issueLinks`, `projects`, `myself`, `userSearch`, `issueFields` and `webhooks`; creates reconciled through an issue
 * or comment property holding the task's marker; plain text written as Atlassian Document Format), Jira's error table
 * (`toJiraError`) and its provider definition.
 */

export type { JiraClientOptions } from "./client";
export { ATLASSIAN_API_URL, createJiraClient, createJiraTransport } from "./client";
export type { JiraIntegrationOptions } from "./definition";
export { JIRA_BACKOFF, JIRA_PROVIDER_DEFINITION } from "./definition";
export {
  JIRA_RATE_LIMIT_FLOOR_MS,
  JIRA_RATE_LIMIT_MESSAGE,
  jiraErrorMessage,
  jiraRateLimitWaitMs,
  toJiraError,
} from "./errors";
export type { DescriptionParams, TextCommentParams } from "./jira";
export { Jira } from "./jira";
export type { JiraAuthMethod, JiraConnectionMetadata } from "./lifecycle";
export { ATLASSIAN_AUTH_URL, createJiraLifecycle, JIRA_DEFAULT_SCOPES } from "./lifecycle";
export * from "./tasks/index";
export * from "./triggers/index";

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
export type { AdfDocument, AdfNode, JiraText } from "./tasks/adf";
export { adfText, isAdfDocument, toAdf } from "./tasks/adf";
export { IssueComments } from "./tasks/issue-comments";
export { IssueFields } from "./tasks/issue-fields";
export { IssueLinks } from "./tasks/issue-links";
export { IssueProperties } from "./tasks/issue-properties";
export { DEFAULT_SEARCH_FIELDS, IssueSearch } from "./tasks/issue-search";
export { Issues } from "./tasks/issues";
export { JIRA_SEARCH_SETTLE_MS, MARKER_PROPERTY, markerJql } from "./tasks/marker";
export { Myself } from "./tasks/myself";
export { Projects } from "./tasks/projects";
export type { SyncedTicket, SyncTicketParams } from "./tasks/tickets";
export { syncedIssueJql, Tickets } from "./tasks/tickets";
export type { TransitionedIssue, TransitionToParams } from "./tasks/transition-to";
export { UserSearch } from "./tasks/user-search";
export { Webhooks } from "./tasks/webhooks";
export type { JiraPolledIssue, JiraPollingOptions, JiraPollingToken } from "./triggers/issue-polling";
export { jiraIssuePollingTrigger } from "./triggers/issue-polling";
export { jiraSiteHost, jiraTenantOf } from "./triggers/jira-tenancy";
export type {
  JiraCommentEvent,
  JiraEventBase,
  JiraEventFilter,
  JiraIssueEvent,
  JiraTriggerEvent,
} from "./triggers/jira-triggers";
export { jiraEventTrigger } from "./triggers/jira-triggers";
export type { JiraWebhookSubscription } from "./triggers/webhook-registration";
export {
  DYNAMIC_WEBHOOK_LIFETIME_MS,
  jiraRegistrationKey,
  jiraWebhookRegistration,
  tokenUrl,
  unregisterJiraRegistration,
} from "./triggers/webhook-registration";
export type { JiraWebhookVerifierOptions } from "./triggers/webhook-verifier";
export { createJiraWebhookVerifier } from "./triggers/webhook-verifier";

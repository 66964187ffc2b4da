// The Jira triggers' public exports (webhook, polling, registration), re-exported by src/index.ts.
export type { JiraPolledIssue, JiraPollingOptions, JiraPollingToken } from "./issue-polling";
export { jiraIssuePollingTrigger } from "./issue-polling";
export { jiraSiteHost, jiraTenantOf } from "./jira-tenancy";
export type {
  JiraCommentEvent,
  JiraEventBase,
  JiraEventFilter,
  JiraIssueEvent,
  JiraTriggerEvent,
} from "./jira-triggers";
export { jiraEventTrigger } from "./jira-triggers";
export type { JiraWebhookSubscription } from "./webhook-registration";
export {
  DYNAMIC_WEBHOOK_LIFETIME_MS,
  jiraRegistrationKey,
  jiraWebhookRegistration,
  tokenUrl,
  unregisterJiraRegistration,
} from "./webhook-registration";
export type { JiraWebhookVerifierOptions } from "./webhook-verifier";
export { createJiraWebhookVerifier } from "./webhook-verifier";

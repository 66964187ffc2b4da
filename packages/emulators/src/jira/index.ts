/**
 * @module
 * The Jira Cloud emulator's public API. Tokens: `JiraEmulator.mintToken()` is an OAuth 2.0 (3LO) access token of the
 * emulator's app (`oauthClient`), accepted through the gateway (`gatewayUrl`, `<url>/ex/jira/{cloudId}`);
 * `mintTokens()` adds its rotating refresh token; `mintApiToken()` is `{ email, apiToken, siteUrl }` for Basic auth on
 * the site (`siteUrl`), as an API-token client's `host`. Admin webhooks: `addAdminWebhook`; deliveries: `deliveries`.
 */
export type { JiraCall, JiraCaller, JiraNeed } from "./jira-api";
export { JIRA_SCOPE_FOR } from "./jira-api";
export { jiraCli } from "./jira-cli";
export { jiraDescriptor } from "./jira-descriptor";
export type { JiraApiToken, JiraEmulatorOptions } from "./jira-emulator";
export { JIRA_SCOPES, JiraEmulator } from "./jira-emulator";
export type { JiraSubject } from "./jira-oauth";
export type { SeedUser as JiraUser } from "./jira-seed";
export {
  DEFAULT_JIRA_USER,
  SEED_PROJECTS as JIRA_SEED_PROJECTS,
  SEED_TRANSITIONS as JIRA_TRANSITIONS,
} from "./jira-seed";
export type { StoredComment as JiraStoredComment, StoredIssue as JiraStoredIssue } from "./jira-state";
export { JiraState } from "./jira-state";
export { JIRA_SIGNATURE, JIRA_WEBHOOK_RETRIES, jiraSignature } from "./jira-webhook-signature";
export type {
  AdminWebhook as JiraAdminWebhook,
  ChangelogItem as JiraChangelogItem,
  DynamicWebhook as JiraDynamicWebhook,
  JiraDelivery,
  JiraDeliveryMeta,
  JiraWebhookEvent,
} from "./jira-webhooks";
export { DYNAMIC_WEBHOOK_LIFETIME_MS } from "./jira-webhooks";
export { jiraTime } from "./jira-wire";
export type { JqlClause, JqlQuery, JqlSort } from "./jql";
export { JqlError, parseJql } from "./jql";
export { jiraServiceHarness } from "./service-harness";

/**
 * @module
 * Jira's provider manifest (`@autoflow/jira/provider`): what the service, the registries and the bench need to know
 * about Jira, for the one provider list (`@autoflow/providers`) to iterate over. Also the registry actions
 * `jira.createIssue`, `jira.addComment`, `jira.transitionIssue` and `jira.syncTicket` (spec 002) and the workflow triggers
 * `jira.issueCreated`, `jira.issueUpdated`, `jira.commentCreated` and `jira.issueUpdatedPolling`.
 */

import type { ProviderPackage } from "@autoflow/actions";
import { baseUrlOption, defineProviderManifest } from "@autoflow/core";
import { jiraActions } from "./actions/index";
import {
  createJiraLifecycle,
  createJiraWebhookVerifier,
  JIRA_PROVIDER_DEFINITION,
  Jira,
  unregisterJiraRegistration,
} from "./index";
import { jiraTriggers } from "./triggers/catalogue";

/** The jira.js client's options for the service's endpoints (the emulator): the API gateway from `apiUrl`. */
const clientOptions = baseUrlOption("apiBaseUrl", { trailingSlash: false });

/** Jira, as the provider list holds it. */
export const jiraProvider: ProviderPackage = defineProviderManifest({
  definition: JIRA_PROVIDER_DEFINITION,
  integration: Jira,
  lifecycle: createJiraLifecycle,
  // The API gateway (`https://api.atlassian.com`): OAuth calls go to `<apiBaseUrl>/ex/jira/<cloudId>/rest/api/3/...`,
  // and `accessible-resources` lives there; API-token calls go to the connection's own `siteUrl`.
  clientOptions,
  // Atlassian's OAuth endpoints live on their own host (`https://auth.atlassian.com`): the service's web URL.
  lifecycleEndpoints: ({ webUrl }) => (webUrl ? { oauthBaseUrl: webUrl } : {}),
  // An API-token connection names its own site (`siteUrl`), which the user types: the service sends every request
  // of Jira's clients through its egress-checked fetch (which `createJiraTransport` sends with).
  userAimedHosts: true,
  webhooks: {
    // Admin webhooks signed with the provider-wide secret; dynamic webhooks by their connection URL's token.
    createVerifier: (secrets) => createJiraWebhookVerifier({ secrets }),
    unregister: ({ key, externalId, auth, apiUrl }) =>
      unregisterJiraRegistration({ key, externalId, auth, client: clientOptions({ apiUrl }) }),
  },
  actions: jiraActions,
  triggers: jiraTriggers,
});

export { jiraAddComment, jiraCreateIssue, jiraSyncTicket, jiraTransitionIssue } from "./actions/index";
export {
  checkJiraScope,
  jiraCommentCreated,
  jiraIssueCreated,
  jiraIssueUpdated,
  jiraIssueUpdatedPolling,
} from "./triggers/catalogue";

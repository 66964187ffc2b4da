/**
 * @module
 * Jira's provider manifest (`@autoflow/jira/provider`): what the service, the registries and the bench need to know
 * about Jira, for the one provider list (`@autoflow/providers`) to iterate over. Also the registry actions
 * `jira.createIssue`, `jira.addComment` and `jira.transitionIssue` (spec 002).
 */

import type { ProviderPackage } from "@autoflow/actions";
import { baseUrlOption, defineProviderManifest } from "@autoflow/core";
import { jiraActions } from "./actions/index";
import { createJiraLifecycle, JIRA_PROVIDER_DEFINITION, Jira } from "./index";

/** Jira, as the provider list holds it. */
export const jiraProvider: ProviderPackage = defineProviderManifest({
  definition: JIRA_PROVIDER_DEFINITION,
  integration: Jira,
  lifecycle: createJiraLifecycle,
  // The API gateway (`https://api.atlassian.com`): OAuth calls go to `<apiBaseUrl>/ex/jira/<cloudId>/rest/api/3/...`,
  // and `accessible-resources` lives there; API-token calls go to the connection's own `siteUrl`.
  clientOptions: baseUrlOption("apiBaseUrl", { trailingSlash: false }),
  // Atlassian's OAuth endpoints live on their own host (`https://auth.atlassian.com`): the service's web URL.
  lifecycleEndpoints: ({ webUrl }) => (webUrl ? { oauthBaseUrl: webUrl } : {}),
  actions: jiraActions,
  triggers: [],
});

export { jiraAddComment, jiraCreateIssue, jiraTransitionIssue } from "./actions/index";

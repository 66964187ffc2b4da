/**
 * @module
 * GitHub's provider manifest (`@autoflow/github/provider`) for the one provider list, with its registry
 * actions and workflow trigger catalogue entries (webhooks and pollers).
 */

import type { ProviderPackage } from "@autoflow/actions";
import { baseUrlOption, defineProviderManifest } from "@autoflow/core";
import { githubActions } from "./actions/index";
import {
  createGithubLifecycle,
  createGithubWebhookVerifier,
  GITHUB_PROVIDER_DEFINITION,
  Github,
  unregisterGithubRegistration,
} from "./index";
import { githubTriggers } from "./triggers/catalogue";

/** The Octokit options for the service's endpoints (GHES, the emulator): it joins `/routes` onto `baseUrl`. */
const clientOptions = baseUrlOption("baseUrl", { trailingSlash: false });

/** GitHub, as the provider list holds it. */
export const githubProvider: ProviderPackage = defineProviderManifest({
  definition: GITHUB_PROVIDER_DEFINITION,
  integration: Github,
  lifecycle: createGithubLifecycle,
  clientOptions,
  lifecycleEndpoints: ({ webUrl }) => (webUrl ? { webBaseUrl: webUrl } : {}),
  webhooks: {
    createVerifier: (secrets) => createGithubWebhookVerifier({ secrets }),
    // GitHub caps a payload at 25 MB and drops larger ones unsent: anything up to that may reach the intake.
    // @see https://docs.github.com/webhooks/webhook-events-and-payloads#payload-cap
    maxBodyBytes: 25 * 1024 * 1024,
    unregister: ({ key, externalId, auth, apiUrl }) =>
      unregisterGithubRegistration({ key, externalId, auth, ...clientOptions({ apiUrl }) }),
  },
  actions: githubActions,
  triggers: githubTriggers,
});

export { githubCreateComment, githubCreateIssue } from "./actions/index";
export { githubIssueOpened, githubPullRequest, githubPush } from "./triggers/catalogue";
export { githubIssueUpdated, githubNewStar } from "./triggers/polling-catalogue";

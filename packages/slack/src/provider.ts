/**
 * @module
 * Slack's provider manifest (`@autoflow/slack/provider`) for the one provider list, with its registry
 * actions and workflow trigger catalogue entries.
 */

import type { ProviderPackage } from "@autoflow/actions";
import { baseUrlOption, defineProviderManifest } from "@autoflow/core";
import { slackActions } from "./actions/index";
import { createSlackLifecycle, createSlackWebhookVerifier, SLACK_PROVIDER_DEFINITION, Slack } from "./index";
import { slackTriggers } from "./triggers/catalogue";

/** Slack, as the provider list holds it. */
export const slackProvider: ProviderPackage = defineProviderManifest({
  definition: SLACK_PROVIDER_DEFINITION,
  integration: Slack,
  lifecycle: createSlackLifecycle,
  // The WebClient joins method names onto its base URL, after a slash.
  clientOptions: baseUrlOption("slackApiUrl", { trailingSlash: true }),
  // The install page lives on the web host, not the API's.
  lifecycleEndpoints: ({ webUrl }) => (webUrl ? { authorizeUrl: `${webUrl}/oauth/v2/authorize` } : {}),
  webhooks: {
    createVerifier: (signingSecrets) => createSlackWebhookVerifier({ signingSecrets }),
  },
  actions: slackActions,
  triggers: slackTriggers,
  // Slack calls its webhook secrets "signing secrets": AUTOFLOW_SLACK_SIGNING_SECRETS.
  configAliases: { SIGNING_SECRETS: "WEBHOOK_SECRETS" },
});

export { slackAddReaction, slackSendMessage } from "./actions/index";
export { slackAppMention, slackMessage, slackReactionAdded } from "./triggers/catalogue";

/**
 * @module
 * Slack's provider manifest (`@autoflow/slack/provider`): what the service, the registries and the bench need
 * to know about Slack, for the one provider list (`@autoflow/providers`) to iterate over. Also the registry
 * actions (`slack.sendMessage`, `slack.addReaction`) and the workflow trigger catalogue entries
 * (`slack.message`, `slack.reactionAdded`, `slack.appMention`).
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

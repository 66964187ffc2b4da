/**
 * @module
 * Gmail's provider manifest (`@autoflow/gmail/provider`): what the service, the registries and the bench need to
 * know about Gmail, for the one provider list (`@autoflow/providers`) to iterate over. Also the registry action
 * `gmail.sendEmail` (spec 002) and the workflow trigger `gmail.newMessage`.
 */

import type { ProviderPackage } from "@autoflow/actions";
import { baseUrlOption, defineProviderManifest } from "@autoflow/core";
import { gmailActions } from "./actions/index";
import { createGmailLifecycle, GMAIL_PROVIDER_DEFINITION, Gmail } from "./index";
import { gmailTriggers } from "./triggers/catalogue";

/** Gmail, as the provider list holds it. */
export const gmailProvider: ProviderPackage = defineProviderManifest({
  definition: GMAIL_PROVIDER_DEFINITION,
  integration: Gmail,
  lifecycle: createGmailLifecycle,
  // The SDK joins `gmail/v1/...` onto its root URL.
  clientOptions: baseUrlOption("apiBaseUrl", { trailingSlash: false }),
  // Google's OAuth endpoints live on their own hosts: the service's web URL (the emulator serves both).
  lifecycleEndpoints: ({ webUrl }) => (webUrl ? { oauthBaseUrl: webUrl } : {}),
  actions: gmailActions,
  triggers: gmailTriggers,
});

export { gmailSendEmail } from "./actions/index";
export { checkGmailScope, gmailNewMessage } from "./triggers/catalogue";

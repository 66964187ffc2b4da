import type { ProviderPackage } from "@autoflow/actions";
import { githubProvider } from "@autoflow/github/provider";
import { gmailProvider } from "@autoflow/gmail/provider";
import { jiraProvider } from "@autoflow/jira/provider";
import { slackProvider } from "@autoflow/slack/provider";
import { stripeProvider } from "@autoflow/stripe/provider";

/**
 * Every provider AutoFlow ships, one line each: the service serves them, the registries list their actions and
 * triggers, the bench measures them. Adding a provider is its package, its emulator and one line here.
 */
export const PROVIDERS = [
  slackProvider,
  githubProvider,
  stripeProvider,
  gmailProvider,
  jiraProvider,
] as const satisfies readonly ProviderPackage[];

/** The listed provider with this id (`/api/integrations/:id`, an action key's first segment), if any. */
export function providerById(id: string): ProviderPackage | undefined {
  return PROVIDERS.find((provider) => provider.id === id);
}

import type { ActionProviders, ProviderPackage } from "@autoflow/actions";
import type {
  Clock,
  ConnectionStore,
  ConnectorLifecycle,
  OAuthClientConfig,
  ProviderEndpoints,
} from "@autoflow/core";
import { PROVIDERS } from "@autoflow/providers";
import type { ProviderConfig } from "./config";
import type { ProviderLifecycles } from "./http/app";
import { egressClientOptions, type ServiceEgress, STRICT_EGRESS } from "./provider-egress";

/** The listed providers' slugs, for `loadServerConfig(env, PROVIDER_IDS)`. */
export const PROVIDER_IDS: readonly string[] = PROVIDERS.map((provider) => provider.id);

/** The OAuth client, when both client id and secret are configured; without one only API keys work. */
function oauthClientOf(config: ProviderConfig): OAuthClientConfig | undefined {
  if (!config.clientId || !config.clientSecret) return undefined;
  return { clientId: config.clientId, clientSecret: config.clientSecret, redirectUri: config.redirectUri };
}

/** Where a provider is reached, from its `AUTOFLOW_<ID>_API_URL` / `_WEB_URL` (the emulators in tests). */
export function endpointsOf(config: ProviderConfig | undefined): ProviderEndpoints {
  return {
    ...(config?.apiUrl && { apiUrl: config.apiUrl }),
    ...(config?.webUrl && { webUrl: config.webUrl }),
  };
}

/**
 * One lifecycle per listed provider over `store`, each built by its manifest from its configuration; every
 * provider must have one. `providers` defaults to the provider list. A provider whose connections name their own
 * host sends under `egress` (default: nothing inside).
 */
export function createProviderLifecycles(
  store: ConnectionStore,
  configs: Readonly<Record<string, ProviderConfig>>,
  options: { clock?: Clock; providers?: readonly ProviderPackage[]; egress?: ServiceEgress } = {},
): ProviderLifecycles {
  const lifecycles: Record<string, ConnectorLifecycle<string, object>> = {};
  for (const provider of options.providers ?? PROVIDERS) {
    const config = configs[provider.id];
    if (!config) throw new Error(`No configuration for provider "${provider.id}"`);
    const oauthClient = oauthClientOf(config);
    lifecycles[provider.id] = provider.createLifecycle({
      store,
      ...endpointsOf(config),
      ...(oauthClient && { oauthClient }),
      ...(options.clock && { clock: options.clock }),
      ...egressClientOptions(provider, config, options.egress ?? STRICT_EGRESS),
    });
  }
  return lifecycles;
}

/**
 * The workflow actions' provider options from the configuration (each manifest's `clientOptions`), so each
 * action calls the API its lifecycle does, with `overrides` merged over them per provider (a test's short
 * timeouts). A provider whose connections name their own host sends under `egress` (default: nothing inside), as
 * its lifecycle does.
 */
export function createActionProviders(
  configs: Readonly<Record<string, ProviderConfig>>,
  overrides: ActionProviders = {},
  egress: ServiceEgress = STRICT_EGRESS,
): ActionProviders {
  const providers: ActionProviders = {};
  for (const provider of PROVIDERS) {
    const config = configs[provider.id];
    if (config)
      providers[provider.id] = {
        ...provider.clientOptions(endpointsOf(config)),
        ...egressClientOptions(provider, config, egress),
      };
  }
  for (const [key, value] of Object.entries(overrides)) providers[key] = { ...providers[key], ...value };
  return providers;
}

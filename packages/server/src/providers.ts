import type { ActionProviders } from "@autoflow/actions";
import type { Clock, ConnectionStore, ConnectorLifecycle, OAuthClientConfig } from "@autoflow/core";
import { createGithubLifecycle } from "@autoflow/github";
import { createSlackLifecycle } from "@autoflow/slack";
import type { ProviderConfig } from "./config";
import type { ProviderLifecycles } from "./http/app";

/** What a provider factory gets: the shared store and the provider's own configuration. */
export interface ProviderContext {
  store: ConnectionStore;
  config: ProviderConfig;
  clock?: Clock;
}

/** A provider the service serves: its slug and how to build its lifecycle. */
export interface RegisteredProvider {
  /** The URL slug and the `AUTOFLOW_<ID>_*` variable prefix. */
  id: string;
  create(context: ProviderContext): ConnectorLifecycle<string, object>;
  /** How the provider's workflow actions reach the same API as the lifecycle. */
  actions?(config: ProviderConfig): ActionProviders;
}

/** The OAuth client, when both client id and secret are configured; without one only API keys work. */
function oauthClientOf(config: ProviderConfig): OAuthClientConfig | undefined {
  if (!config.clientId || !config.clientSecret) return undefined;
  return { clientId: config.clientId, clientSecret: config.clientSecret, redirectUri: config.redirectUri };
}

const withSlash = (url: string) => (url.endsWith("/") ? url : `${url}/`);
const withoutSlash = (url: string) => url.replace(/\/+$/, "");

/**
 * Every provider the service serves. Adding a provider is one entry here (and one emulator harness in
 * `test/provider-harnesses.ts`, which the HTTP contract tests require for every entry).
 */
export const PROVIDERS: readonly RegisteredProvider[] = [
  {
    id: "slack",
    create: ({ store, config, clock }) => {
      const oauthClient = oauthClientOf(config);
      return createSlackLifecycle({
        store,
        ...(oauthClient && { oauthClient }),
        ...(clock && { clock }),
        // The WebClient joins method names onto the base URL, so it needs the trailing slash.
        ...(config.apiUrl && { slackApiUrl: withSlash(config.apiUrl) }),
        ...(config.webUrl && { authorizeUrl: `${withoutSlash(config.webUrl)}/oauth/v2/authorize` }),
      });
    },
    actions: (config) => ({ slack: { ...(config.apiUrl && { slackApiUrl: withSlash(config.apiUrl) }) } }),
  },
  {
    id: "github",
    create: ({ store, config, clock }) => {
      const oauthClient = oauthClientOf(config);
      return createGithubLifecycle({
        store,
        ...(oauthClient && { oauthClient }),
        ...(clock && { clock }),
        ...(config.apiUrl && { baseUrl: withoutSlash(config.apiUrl) }),
        ...(config.webUrl && { webBaseUrl: withoutSlash(config.webUrl) }),
      });
    },
    actions: (config) => ({ github: { ...(config.apiUrl && { baseUrl: withoutSlash(config.apiUrl) }) } }),
  },
];

/** The registered providers' slugs, for `loadServerConfig(env, PROVIDER_IDS)`. */
export const PROVIDER_IDS: readonly string[] = PROVIDERS.map((provider) => provider.id);

/** One lifecycle per registered provider over `store`; every registered provider must have a configuration. */
export function createProviderLifecycles(
  store: ConnectionStore,
  configs: Readonly<Record<string, ProviderConfig>>,
  options: { clock?: Clock } = {},
): ProviderLifecycles {
  const lifecycles: Record<string, ConnectorLifecycle<string, object>> = {};
  for (const provider of PROVIDERS) {
    const config = configs[provider.id];
    if (!config) throw new Error(`No configuration for provider "${provider.id}"`);
    lifecycles[provider.id] = provider.create({
      store,
      config,
      ...(options.clock && { clock: options.clock }),
    });
  }
  return lifecycles;
}

/**
 * The workflow actions' provider options from the configuration, so each action calls the API its lifecycle
 * does, with `overrides` merged over them per provider (a test's short timeouts).
 */
export function createActionProviders(
  configs: Readonly<Record<string, ProviderConfig>>,
  overrides: ActionProviders = {},
): ActionProviders {
  const providers: Record<string, object | undefined> = {};
  for (const provider of PROVIDERS) {
    const config = configs[provider.id];
    if (config && provider.actions) Object.assign(providers, provider.actions(config));
  }
  for (const [key, value] of Object.entries(overrides)) providers[key] = { ...providers[key], ...value };
  return providers as ActionProviders;
}

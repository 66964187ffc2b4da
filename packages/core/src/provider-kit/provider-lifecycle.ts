import type { ConnectorLifecycle, ConnectorLifecycleOptions } from "../lifecycle/connector-lifecycle";
import { defineProviderLifecycle } from "../lifecycle/define-provider-lifecycle";
import { createOAuth2, type OAuth2Options } from "../lifecycle/oauth2";
import type {
  ApiKeyField,
  OAuthClientConfig,
  ProviderAdapter,
  ProviderCredential,
} from "../lifecycle/provider-adapter";
import { type Clock, systemClock } from "../runtime/clock";
import { createDeadlineFetch, type ProviderClientOptions } from "./deadline-fetch";
import type { ProviderDefinition, ProviderOptions } from "./provider-definition";

/** A provider's SDK client options (`baseUrl`, `timeoutMs`, ...): its class's options without `id` and `token`. */
export type ProviderClientOptionsOf<TOptions extends ProviderOptions> = Omit<TOptions, "id" | "token">;

/** What a provider's lifecycle parts are given: the SDK client's options, the provider's extras and the clock. */
export type ProviderAdapterOptions<
  TOptions extends ProviderOptions,
  TExtra extends object,
> = ProviderClientOptionsOf<TOptions> & TExtra & { clock?: Clock };

/** The options of a provider's `createXLifecycle`: the store and OAuth client, the SDK client's options, its extras. */
export type ProviderLifecycleOptions<
  TOptions extends ProviderOptions,
  TExtra extends object = {},
> = ConnectorLifecycleOptions & ProviderAdapterOptions<TOptions, TExtra>;

/** A provider's `createXLifecycle`. */
export type ProviderLifecycleFactory<
  TOptions extends ProviderOptions,
  TAuthMethod extends string,
  TMetadata extends object,
  TExtra extends object = {},
> = (options: ProviderLifecycleOptions<TOptions, TExtra>) => ConnectorLifecycle<TAuthMethod, TMetadata>;

/** What `describe` answers: the public connection's metadata, and what a connection test shows. */
export interface ProviderDescription<TMetadata extends object> {
  metadata: TMetadata;
  test: Record<string, string | undefined>;
}

/**
 * What a provider writes for its connection lifecycle (spec 003): its auth method names, its OAuth
 * endpoints, and how to read and revoke a token with its SDK. The kit builds the adapter from the provider
 * definition: the SDK client (`createClient`), the error table (`toError`, dated by the lifecycle's clock),
 * and the OAuth flow's clock, deadline and fetch from the options.
 */
export interface ProviderLifecycleParts<
  TClient,
  TOptions extends ProviderOptions,
  TAuthMethod extends string,
  TMetadata extends object,
  TExtra extends object,
> {
  /** The auth method recorded for OAuth connections (`"oauth2"`); absent when the provider has no OAuth. */
  oauthAuthMethod?: TAuthMethod;
  /** The auth method recorded for pasted tokens (`"bot_token"`, `"personal_token"`, `"api_key"`). */
  apiKeyAuthMethod?: TAuthMethod;
  /** The spec-002 shape of a pasted-token connection. Default `bearer_token`. */
  apiKeyAuthType?: "api_key" | "bearer_token";
  /** What a pasted-token connection takes besides the token (a site URL, the account's email). Default none. */
  apiKeyFields?: readonly ApiKeyField[];
  /**
   * The provider's OAuth endpoints and where it departs from RFC 6749, for these options (a self-hosted
   * host, an emulator). The kit adds the provider id, the clock and the options' `timeoutMs` and `fetch`.
   */
  oauth?(
    options: ProviderAdapterOptions<TOptions, TExtra>,
  ): Omit<OAuth2Options, "provider" | "clock" | "timeoutMs" | "fetch">;
  /**
   * One cheap authenticated call with the credential's SDK client (`auth.test`, `GET /user`) that reads the
   * account metadata for the public connection; its errors go through the provider's error table.
   */
  describe(client: TClient, credential: ProviderCredential): Promise<ProviderDescription<TMetadata>>;
  /**
   * For providers whose client needs more than the token (a customer's site, the cloud an OAuth token reaches):
   * reads it for a new connection before `describe`, with the OAuth flow's deadline fetch. The answer is
   * merged into the credential's `additionalFields`, which every client of the connection is built with.
   */
  connectionFields?(
    credential: ProviderCredential,
    context: { fetch: typeof globalThis.fetch; options: ProviderAdapterOptions<TOptions, TExtra> },
  ): Promise<Record<string, string>>;
  /** Revokes the credential at the provider, where it allows that; `client` is the credential's SDK client. */
  revoke?(
    client: TClient,
    credential: ProviderCredential,
    context: { oauthClient?: OAuthClientConfig; options: ProviderAdapterOptions<TOptions, TExtra> },
  ): Promise<void>;
}

/**
 * A provider's `createXLifecycle` from its definition and its lifecycle parts: the function takes the
 * lifecycle's options (`store`, `oauthClient`, `clock`, `stateTtlSeconds`, `healthCacheSeconds`,
 * `refreshMarginSeconds`) next to the SDK client's options and the provider's extras (an OAuth host); its
 * adapter builds the SDK client from the definition for each credential and translates errors with its table.
 */
export function providerLifecycle<
  TClient,
  TOptions extends ProviderOptions,
  TAuthMethod extends string,
  TMetadata extends object,
  TExtra extends object = {},
>(
  definition: ProviderDefinition<TClient, TOptions>,
  parts: ProviderLifecycleParts<TClient, TOptions, TAuthMethod, TMetadata, TExtra>,
): ProviderLifecycleFactory<TOptions, TAuthMethod, TMetadata, TExtra> {
  // The adapter's options keep the clock: it dates `expiresAt` and the errors' `retryAt`.
  return defineProviderLifecycle(
    (options: ProviderAdapterOptions<TOptions, TExtra>): ProviderAdapter<TAuthMethod, TMetadata> => {
      const { clock = systemClock, ...clientOptions } = options;
      // The lifecycle's client serves no integration instance: it has the provider's id for one.
      const client = (credential: ProviderCredential) =>
        definition.createClient(
          credential.accessToken,
          { ...clientOptions, id: definition.id } as unknown as TOptions,
          credential.additionalFields ?? {},
        );
      const { timeoutMs, fetch } = clientOptions as ProviderClientOptions;
      const { revoke, connectionFields } = parts;
      return {
        provider: definition.id,
        ...(parts.oauthAuthMethod !== undefined && { oauthAuthMethod: parts.oauthAuthMethod }),
        ...(parts.apiKeyAuthMethod !== undefined && { apiKeyAuthMethod: parts.apiKeyAuthMethod }),
        ...(parts.apiKeyAuthType !== undefined && { apiKeyAuthType: parts.apiKeyAuthType }),
        ...(parts.apiKeyFields !== undefined && { apiKeyFields: parts.apiKeyFields }),
        ...(parts.oauth && {
          oauth: createOAuth2({
            provider: definition.id,
            clock,
            ...(timeoutMs !== undefined && { timeoutMs }),
            ...(fetch !== undefined && { fetch }),
            ...parts.oauth(options),
          }),
        }),
        ...(connectionFields && {
          connectionFields: (credential) =>
            connectionFields(credential, {
              fetch: createDeadlineFetch(clientOptions as ProviderClientOptions),
              options,
            }),
        }),
        describe: (credential) => parts.describe(client(credential), credential),
        ...(revoke && {
          revoke: (credential, oauthClient) =>
            revoke(client(credential), credential, {
              ...(oauthClient && { oauthClient }),
              options,
            }),
        }),
        toIntegrationError: (error) => definition.toError(error, clock.now()),
      };
    },
  );
}

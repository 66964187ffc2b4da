import type { IntegrationError } from "../errors";

/** A credential as the lifecycle stores it (encrypted at rest by the connection service). */
export interface ProviderCredential {
  accessToken: string;
  refreshToken?: string;
  /** ISO-8601; absent when the token does not expire. */
  expiresAt?: string;
  scopes?: string[];
  /**
   * What the provider's client needs besides the token, kept with it (not secret, but not public either):
   * a site-bound API token's account `email` and `siteUrl`, the `cloudId` an OAuth token is for. Given to `connectApiKey`
   * or found by the adapter's `connectionFields`; a refresh keeps them.
   */
  additionalFields?: Record<string, string>;
}

/** The OAuth client the lifecycle acts as. */
export interface OAuthClientConfig {
  clientId: string;
  clientSecret: string;
  redirectUri: string;
  /** Overrides the adapter's default scopes. */
  scopes?: string[];
}

/** How a provider does OAuth: URLs and the token exchange. `createOAuth2` builds one from the provider's endpoints. */
export interface ProviderOAuth {
  /** Whether the provider supports PKCE (S256); the lifecycle then sends a challenge and keeps the verifier. */
  pkce: boolean;
  defaultScopes: string[];
  authorizeUrl(params: {
    client: OAuthClientConfig;
    state: string;
    scopes: string[];
    codeChallenge?: string;
  }): string;
  exchangeCode(params: {
    client: OAuthClientConfig;
    code: string;
    codeVerifier?: string;
  }): Promise<ProviderCredential>;
  /** Providers whose tokens expire implement refresh; an `invalid_grant` must surface as an `auth` IntegrationError. */
  refresh?(params: { client: OAuthClientConfig; refreshToken: string }): Promise<ProviderCredential>;
}

/** A field an API-key connection may take besides the key. */
export type ApiKeyField = "email" | "siteUrl";

/**
 * What a provider package supplies to the shared lifecycle (spec 003): how to authorize, how to
 * read the account behind a token, how to revoke it, and how to classify its errors. Keep it small:
 * nine providers implement one each.
 */
export interface ProviderAdapter<TAuthMethod extends string, TMetadata extends object> {
  /** The integration's slug, e.g. "acme". */
  readonly provider: string;
  /** The auth method recorded for OAuth connections, e.g. "oauth2". Absent when the provider has no OAuth. */
  readonly oauthAuthMethod?: TAuthMethod;
  /** The auth method recorded for API keys / personal tokens, e.g. "api_key" or "personal_token". */
  readonly apiKeyAuthMethod?: TAuthMethod;
  /** The spec-002 shape of an API-key connection: `api_key` (a secret API key) or `bearer_token` (the default: bot and personal tokens). */
  readonly apiKeyAuthType?: "api_key" | "bearer_token";
  /**
   * What an API-key connection takes besides the key (`connectApiKey`'s `email`, `siteUrl`), so a form asks for
   * exactly these (the dashboard's). Default none.
   */
  readonly apiKeyFields?: readonly ApiKeyField[];
  readonly oauth?: ProviderOAuth;
  /**
   * Reads what the provider's client needs besides the token for a new connection (the site an OAuth token
   * reaches, its cloud id), before `describe`; the answer is merged into the credential's `additionalFields`.
   */
  connectionFields?(credential: ProviderCredential): Promise<Record<string, string>>;
  /**
   * Verifies a credential with a cheap authenticated call (`auth.test`, `GET /user`) and reads the
   * account metadata for the public connection. Throws an IntegrationError when the call fails.
   */
  describe(
    credential: ProviderCredential,
  ): Promise<{ metadata: TMetadata; test: Record<string, string | undefined> }>;
  /** Revokes the credential at the provider, where it allows that. */
  revoke?(credential: ProviderCredential, client?: OAuthClientConfig): Promise<void>;
  /** The provider package's own SDK-error translation. */
  toIntegrationError(error: unknown): IntegrationError;
}

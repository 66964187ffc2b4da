/** A connection as any API response shows it: never the token itself, only `tokenMasked` (spec 003). */
export type Tier1ConnectionPublic<TAuthMethod extends string, TMetadata> = {
  id: string;
  userId: string;
  authMethod: TAuthMethod;
  tokenMasked: string;
  createdAt: string;
  revokedAt?: string;
  /** Additive: the stored credential cannot be read (vault key changed, row altered); connect again. */
  needsReauth?: true;
} & TMetadata;

/** What starting an OAuth flow returns (spec 003). */
export type Tier1OAuthStartResult = {
  authUrl: string;
  state: string;
  expiresInSeconds: number;
  /** PKCE connectors only. */
  codeVerifier?: string;
};

/** The lifecycle every Tier 1 connector implements (spec 003). */
/**
 * `connectApiKey`'s parameters (spec 003), with two additive optional fields for providers whose token is
 * only half the credential: an API token sent with its account's `email` (Basic auth) to the
 * customer's own `siteUrl`. Providers that need neither ignore them.
 */
export interface ApiKeyConnectParams {
  userId: string;
  apiKey?: string;
  accessToken?: string;
  /** The account's email, for providers whose API token is sent with it (Basic auth). */
  email?: string;
  /** The site the token is for (the customer's own host), for providers with one API host per customer. */
  siteUrl?: string;
}

export interface Tier1ConnectorLifecycle<CredentialPublic, Health> {
  beginOAuth(userId: string): Tier1OAuthStartResult;
  completeOAuth(params: { code: string; state: string }): Promise<CredentialPublic>;
  connectApiKey(params: ApiKeyConnectParams): Promise<CredentialPublic>;
  listConnections(userId: string): Promise<CredentialPublic[]> | CredentialPublic[];
  testConnection(userId: string): Promise<Record<string, string | undefined>>;
  health(userId: string): Promise<Health>;
  disconnect(userId: string, credentialId: string): Promise<boolean> | boolean;
}

import type {
  ApiKeyConnectParams,
  Tier1ConnectionPublic,
  Tier1ConnectorLifecycle,
  Tier1OAuthStartResult,
} from "../connection";
import { IntegrationError } from "../errors";
import type { ConnectionAuth } from "../integration";
import { maskToken } from "../mask-token";
import { nodeCrypto } from "../node-crypto";
import type { NormalizedAuth } from "../normalized-auth";
import type { Clock } from "../runtime/clock";
import { systemClock } from "../runtime/clock";
import { ConnectionHealth, type HealthOf } from "./connection-health";
import type { ConnectionStore, StoredConnection } from "./connection-store";
import { ConnectionLifecycleError } from "./lifecycle-errors";
import { OAuthFlow } from "./oauth-flow";
import type { OAuthClientConfig, ProviderAdapter, ProviderCredential } from "./provider-adapter";
import { asIntegrationError, callProvider } from "./provider-call";
import { TokenRefresher } from "./token-refresh";

export interface ConnectorLifecycleOptions {
  store: ConnectionStore;
  /** Required for `beginOAuth`/`completeOAuth`. */
  oauthClient?: OAuthClientConfig;
  /** How long an OAuth state stays valid. Default 600 s. */
  stateTtlSeconds?: number;
  /** How long a health result is served from cache. Default 30 s. */
  healthCacheSeconds?: number;
  /** Tokens expiring within this many seconds are refreshed before use. Default 300 s. */
  refreshMarginSeconds?: number;
  clock?: Clock;
}

type PublicOf<A extends string, M extends object> = Tier1ConnectionPublic<A, M>;

/**
 * The spec-003 lifecycle, once for every provider: OAuth with single-use expiring state and PKCE
 * (`oauth-flow.ts`), API keys, listing, testing, cached health (`connection-health.ts`), token refresh
 * (`token-refresh.ts`) and revocation. The provider supplies an adapter.
 */
export class ConnectorLifecycle<TAuthMethod extends string, TMetadata extends object>
  implements Tier1ConnectorLifecycle<PublicOf<TAuthMethod, TMetadata>, HealthOf<TAuthMethod, TMetadata>>
{
  readonly adapter: ProviderAdapter<TAuthMethod, TMetadata>;
  private readonly options: ConnectorLifecycleOptions;
  private readonly clock: Clock;
  private readonly oauthFlow: OAuthFlow;
  private readonly refresher: TokenRefresher;
  private readonly healthCheck: ConnectionHealth<TAuthMethod, TMetadata>;

  constructor(adapter: ProviderAdapter<TAuthMethod, TMetadata>, options: ConnectorLifecycleOptions) {
    this.adapter = adapter;
    this.options = options;
    this.clock = options.clock ?? systemClock;
    const { store, oauthClient, stateTtlSeconds, refreshMarginSeconds, healthCacheSeconds } = options;
    const shared = { adapter, store, clock: this.clock, ...(oauthClient && { oauthClient }) };
    this.oauthFlow = new OAuthFlow({
      ...shared,
      ...(stateTtlSeconds !== undefined && { stateTtlSeconds }),
    });
    this.refresher = new TokenRefresher({
      ...shared,
      ...(refreshMarginSeconds !== undefined && { refreshMarginSeconds }),
      onRefreshFailed: (connection) => this.healthCheck.invalidate(connection.userId),
    });
    this.healthCheck = new ConnectionHealth({
      adapter,
      clock: this.clock,
      ...(healthCacheSeconds !== undefined && { healthCacheSeconds }),
      freshCredential: (connection) => this.freshCredential(connection),
    });
  }

  get provider(): string {
    return this.adapter.provider;
  }

  beginOAuth(userId: string): Tier1OAuthStartResult {
    return this.oauthFlow.begin(userId);
  }

  /** Whether `beginOAuth` works: the provider has OAuth and the service has its client configured. */
  get oauthConfigured(): boolean {
    return Boolean(this.adapter.oauth && this.options.oauthClient);
  }

  /** `beginOAuth`, resolved once the state is stored: a callback served by another process then finds it. */
  beginOAuthStored(userId: string): Promise<Tier1OAuthStartResult> {
    return this.oauthFlow.beginStored(userId);
  }

  /** Completes the flow. Pass `userId` (the HTTP layer does) to refuse a state started by another user. */
  async completeOAuth(params: {
    code: string;
    state: string;
    userId?: string;
  }): Promise<PublicOf<TAuthMethod, TMetadata>> {
    return (await this.completeOAuthOnce(params)).connection;
  }

  /**
   * Completes the flow, idempotent by provider account: when the user already has an OAuth connection of the
   * account the new tokens are for (its metadata the same but for `scopes`, which a new consent may change), that
   * connection takes the new tokens and metadata and keeps its id, so what is bound to it (workflows, webhooks)
   * goes on working and a repaired (`needsReauth`) connection is repaired in place; answered with
   * `created: false`. The replaced tokens are not revoked at the provider: some providers hand the same
   * token to a second consent, and revoking it would revoke the new connection.
   */
  async completeOAuthOnce(params: {
    code: string;
    state: string;
    userId?: string;
  }): Promise<{ connection: PublicOf<TAuthMethod, TMetadata>; created: boolean }> {
    const { userId, credential: granted } = await this.oauthFlow.complete(params);
    // complete() refuses providers without an OAuth auth method, so it is set here.
    const method = this.adapter.oauthAuthMethod as TAuthMethod;
    const credential = await this.withConnectionFields(granted);
    const { metadata } = await callProvider(this.adapter, () => this.adapter.describe(credential));
    const existing = (await this.listStored(userId)).find(
      (c) => c.authMethod === method && sameJson(withoutScopes(c.metadata), withoutScopes(metadata)),
    );
    if (!existing)
      return { connection: await this.save(userId, method, credential, metadata), created: true };
    const replace = () =>
      this.save(userId, method, credential, metadata, { id: existing.id, createdAt: existing.createdAt });
    const { store } = this.options;
    const connection = store.withConnectionLock
      ? await store.withConnectionLock(existing.id, replace)
      : await replace();
    return { connection, created: false };
  }

  /** Connects an API key or token; the same token again answers the connection it made (see `connectApiKeyOnce`). */
  async connectApiKey(params: ApiKeyConnectParams): Promise<PublicOf<TAuthMethod, TMetadata>> {
    return (await this.connectApiKeyOnce(params)).connection;
  }

  /**
   * Connects an API key or token, idempotent by provider account and token: the provider is asked which account
   * the token is (so a revoked token is still refused), and when the user already has a live connection of that
   * account with that token, it is answered with `created: false` instead of a second one.
   */
  async connectApiKeyOnce(
    params: ApiKeyConnectParams,
  ): Promise<{ connection: PublicOf<TAuthMethod, TMetadata>; created: boolean }> {
    const method = this.adapter.apiKeyAuthMethod;
    if (!method)
      throw new ConnectionLifecycleError("api_key_not_supported", `${this.provider} does not take API keys`);
    const token = params.apiKey ?? params.accessToken;
    if (!token) throw new ConnectionLifecycleError("missing_credential", "Pass apiKey or accessToken");
    const given = {
      ...(params.email !== undefined && { email: params.email }),
      ...(params.siteUrl !== undefined && { siteUrl: params.siteUrl }),
    };
    const credential = await this.withConnectionFields({
      accessToken: token,
      ...(Object.keys(given).length > 0 && { additionalFields: given }),
    });
    const { metadata } = await callProvider(this.adapter, () => this.adapter.describe(credential));
    const existing = (await this.listStored(params.userId)).find(
      (c) =>
        !c.needsReauth &&
        c.authMethod === method &&
        c.credential.accessToken === token &&
        sameJson(c.credential.additionalFields ?? {}, credential.additionalFields ?? {}) &&
        sameJson(c.metadata, metadata),
    );
    if (existing) return { connection: this.toPublic(existing), created: false };
    return { connection: await this.save(params.userId, method, credential, metadata), created: true };
  }

  async listConnections(userId: string): Promise<PublicOf<TAuthMethod, TMetadata>[]> {
    return (await this.listStored(userId)).map((c) => this.toPublic(c));
  }

  /**
   * Calls the provider with the user's newest connection, or with `connectionId` when given (it must
   * be the user's); throws the classified error when the call fails.
   */
  async testConnection(userId: string, connectionId?: string): Promise<Record<string, string | undefined>> {
    const connection = await this.activeConnection(userId, connectionId);
    const credential = await this.freshCredential(connection);
    const { test } = await callProvider(this.adapter, () => this.adapter.describe(credential));
    return { ok: "true", connectionId: connection.id, ...test };
  }

  /** The health of the user's newest connection, served from cache for `healthCacheSeconds`. */
  health(userId: string): Promise<HealthOf<TAuthMethod, TMetadata>> {
    return this.healthCheck.check(userId, () => this.listStored(userId));
  }

  async disconnect(userId: string, credentialId: string): Promise<boolean> {
    const connection = await this.options.store.getConnection(credentialId);
    if (
      !connection ||
      connection.userId !== userId ||
      connection.provider !== this.provider ||
      connection.revokedAt
    ) {
      return false;
    }
    try {
      // An unreadable credential cannot be revoked at the provider; it is retired here all the same.
      if (!connection.needsReauth)
        await this.adapter.revoke?.(connection.credential, this.options.oauthClient);
    } catch (thrown) {
      // An already invalid token is as good as revoked; anything else must not leave a live token behind silently.
      const error = asIntegrationError(this.adapter, thrown);
      if (error.type !== "auth") throw error;
    }
    await this.options.store.saveConnection({
      ...connection,
      revokedAt: new Date(this.clock.now()).toISOString(),
    });
    this.healthCheck.invalidate(userId);
    return true;
  }

  /**
   * The auth a HOSTED integration's `cloneForRun` gets: the user's newest connection (or
   * `connectionId`), refreshed when about to expire, or with `forceRefresh` when the provider refused
   * a token we thought valid (a 401). A connection without a refresh token is returned as it is.
   */
  async authFor(
    userId: string,
    options: { forceRefresh?: boolean; connectionId?: string } = {},
  ): Promise<ConnectionAuth> {
    const connection = await this.activeConnection(userId, options.connectionId);
    const credential = await this.freshCredential(connection, { force: options.forceRefresh === true });
    return {
      type: connection.authMethod === this.adapter.oauthAuthMethod ? "oauth2" : "apiKey",
      accessToken: credential.accessToken,
      ...(credential.scopes && { scopes: credential.scopes }),
      ...(credential.additionalFields && { additionalFields: credential.additionalFields }),
      connectionId: connection.id,
    };
  }

  /**
   * The spec-002 normalized auth object of the user's newest connection (fresh), as the worker hands it to
   * actions; `forceRefresh` refreshes it even when it is not near expiry (the provider refused it).
   */
  async normalizedAuthFor(
    userId: string,
    connectionId?: string,
    options: { forceRefresh?: boolean } = {},
  ): Promise<NormalizedAuth> {
    const connection = await this.activeConnection(userId, connectionId);
    const credential = await this.freshCredential(connection, { force: options.forceRefresh === true });
    const provider = this.provider;
    const fields = {
      ...(credential.additionalFields && { additional_fields: credential.additionalFields }),
      connection_id: connection.id,
    };
    if (connection.authMethod === this.adapter.oauthAuthMethod) {
      return {
        provider,
        type: "oauth2",
        access_token: credential.accessToken,
        ...(credential.refreshToken && { refresh_token: credential.refreshToken }),
        ...(credential.expiresAt && { expires_at: credential.expiresAt }),
        ...fields,
      };
    }
    return (this.adapter.apiKeyAuthType ?? "bearer_token") === "api_key"
      ? { provider, type: "api_key", api_key: credential.accessToken, ...fields }
      : { provider, type: "bearer_token", token: credential.accessToken, ...fields };
  }

  /** The credential with what the adapter's `connectionFields` reads for it (the site and cloud it reaches). */
  private async withConnectionFields(credential: ProviderCredential): Promise<ProviderCredential> {
    const { connectionFields } = this.adapter;
    if (!connectionFields) return credential;
    const found = await callProvider(this.adapter, () => connectionFields.call(this.adapter, credential));
    return { ...credential, additionalFields: { ...credential.additionalFields, ...found } };
  }

  /**
   * The connection's credential, refreshed first when it expires within the margin, or with `force`
   * even when it does not. Refreshes are single-flight per connection in this process, and across
   * processes when the store can lock. An `auth` failure (`invalid_grant`) marks the connection
   * `tokenRefreshStatus: "failed"`.
   */
  freshCredential(
    connection: StoredConnection<TAuthMethod, TMetadata>,
    options: { force?: boolean } = {},
  ): Promise<ProviderCredential> {
    return this.refresher.fresh(connection as StoredConnection, options);
  }

  /** Stores a new connection, or replaces the one `replacing` names (same id and creation time, new credential). */
  private async save(
    userId: string,
    authMethod: TAuthMethod,
    credential: ProviderCredential,
    metadata: TMetadata,
    replacing?: { id: string; createdAt: string },
  ): Promise<PublicOf<TAuthMethod, TMetadata>> {
    const connection: StoredConnection<TAuthMethod, TMetadata> = {
      id: replacing?.id ?? nodeCrypto().randomUUID(),
      userId,
      provider: this.provider,
      authMethod,
      credential,
      metadata,
      createdAt: replacing?.createdAt ?? new Date(this.clock.now()).toISOString(),
      tokenRefreshStatus: credential.refreshToken ? "healthy" : "not_applicable",
    };
    await this.options.store.saveConnection(connection as StoredConnection);
    this.healthCheck.invalidate(userId);
    return this.toPublic(connection);
  }

  private toPublic(connection: StoredConnection<TAuthMethod, TMetadata>): PublicOf<TAuthMethod, TMetadata> {
    return {
      ...connection.metadata,
      id: connection.id,
      userId: connection.userId,
      authMethod: connection.authMethod,
      tokenMasked: connection.tokenMasked ?? maskToken(connection.credential.accessToken),
      createdAt: connection.createdAt,
      ...(connection.revokedAt && { revokedAt: connection.revokedAt }),
      ...(connection.needsReauth && { needsReauth: true }),
    } as PublicOf<TAuthMethod, TMetadata>;
  }

  private async listStored(userId: string): Promise<StoredConnection<TAuthMethod, TMetadata>[]> {
    const all = await this.options.store.listConnections(userId, this.provider);
    return all.filter((c) => !c.revokedAt) as StoredConnection<TAuthMethod, TMetadata>[];
  }

  private async activeConnection(
    userId: string,
    connectionId?: string,
  ): Promise<StoredConnection<TAuthMethod, TMetadata>> {
    const connections = await this.listStored(userId);
    const connection =
      connectionId === undefined
        ? connections.filter((c) => !c.needsReauth).at(-1)
        : connections.find((c) => c.id === connectionId);
    // Without an id, the newest readable one serves; when every live connection is unreadable, say so.
    const onlyUnreadable = connectionId === undefined && connections.some((c) => c.needsReauth);
    if (connection?.needsReauth || (!connection && onlyUnreadable)) {
      throw new IntegrationError({
        type: "auth",
        provider: this.provider,
        code: "needs_reauth",
        message: `The stored ${this.provider} credential cannot be read (the vault key changed or it was altered): connect the account again`,
      });
    }
    if (!connection)
      throw new ConnectionLifecycleError(
        "connection_not_found",
        `No ${this.provider} connection for this user`,
      );
    return connection;
  }
}

/** Two account descriptions are the same account: equal as JSON, whatever their keys' order. */
/** A connection's metadata without the granted scopes: what names the account, which a new consent keeps. */
function withoutScopes(metadata: unknown): unknown {
  if (metadata === null || typeof metadata !== "object") return metadata;
  const { scopes: _scopes, ...account } = metadata as Record<string, unknown>;
  return account;
}

function sameJson(a: unknown, b: unknown): boolean {
  return canonical(a) === canonical(b);
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "undefined";
}

import { createHash, randomBytes, randomUUID } from "node:crypto";
import type { Tier1ConnectionPublic, Tier1ConnectorLifecycle, Tier1OAuthStartResult } from "../connection";
import { IntegrationError } from "../errors";
import type { Tier1ConnectionHealth } from "../health";
import type { ConnectionAuth } from "../integration";
import { maskToken } from "../mask-token";
import type { NormalizedAuth } from "../normalized-auth";
import type { Clock } from "../runtime/clock";
import { systemClock } from "../runtime/clock";
import type { ConnectionStore, StoredConnection } from "./connection-store";
import { ConnectionLifecycleError } from "./lifecycle-errors";
import type { OAuthClientConfig, ProviderAdapter, ProviderCredential } from "./provider-adapter";

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
type HealthOf<A extends string, M extends object> = Tier1ConnectionHealth<A, Partial<M>>;

/**
 * The spec-003 lifecycle, once for every provider: OAuth with single-use expiring state and PKCE,
 * API keys, listing, testing, cached health and revocation. The provider supplies an adapter.
 */
export class ConnectorLifecycle<TAuthMethod extends string, TMetadata extends object>
  implements Tier1ConnectorLifecycle<PublicOf<TAuthMethod, TMetadata>, HealthOf<TAuthMethod, TMetadata>>
{
  readonly adapter: ProviderAdapter<TAuthMethod, TMetadata>;
  private readonly options: ConnectorLifecycleOptions;
  private readonly clock: Clock;
  private readonly pendingStates = new Set<Promise<void>>();
  private readonly healthCache = new Map<
    string,
    { health: HealthOf<TAuthMethod, TMetadata>; freshUntil: number }
  >();
  private readonly refreshing = new Map<string, Promise<ProviderCredential>>();

  constructor(adapter: ProviderAdapter<TAuthMethod, TMetadata>, options: ConnectorLifecycleOptions) {
    this.adapter = adapter;
    this.options = options;
    this.clock = options.clock ?? systemClock;
  }

  get provider(): string {
    return this.adapter.provider;
  }

  beginOAuth(userId: string): Tier1OAuthStartResult {
    const { oauth } = this.adapter;
    const client = this.options.oauthClient;
    if (!oauth || !client) {
      throw new ConnectionLifecycleError(
        "oauth_not_supported",
        `${this.provider} has no OAuth client configured`,
      );
    }
    const expiresInSeconds = this.options.stateTtlSeconds ?? 600;
    const state = `${this.provider}_${randomBytes(24).toString("base64url")}`;
    const codeVerifier = oauth.pkce ? randomBytes(32).toString("base64url") : undefined;
    const codeChallenge = codeVerifier && createHash("sha256").update(codeVerifier).digest("base64url");
    const saving = this.options.store.saveOAuthState({
      state,
      userId,
      provider: this.provider,
      expiresAt: new Date(this.clock.now() + expiresInSeconds * 1000).toISOString(),
      ...(codeVerifier && { codeVerifier }),
    });
    // beginOAuth is synchronous by contract; completeOAuth waits for the write.
    this.pendingStates.add(saving);
    saving.finally(() => this.pendingStates.delete(saving)).catch(() => {});
    const authUrl = oauth.authorizeUrl({
      client,
      state,
      scopes: client.scopes ?? oauth.defaultScopes,
      ...(codeChallenge && { codeChallenge }),
    });
    return { authUrl, state, expiresInSeconds, ...(codeVerifier && { codeVerifier }) };
  }

  /** Completes the flow. Pass `userId` (the HTTP layer does) to refuse a state started by another user. */
  async completeOAuth(params: {
    code: string;
    state: string;
    userId?: string;
  }): Promise<PublicOf<TAuthMethod, TMetadata>> {
    const { oauth, oauthAuthMethod } = this.adapter;
    const client = this.options.oauthClient;
    if (!oauth || !client || !oauthAuthMethod) {
      throw new ConnectionLifecycleError(
        "oauth_not_supported",
        `${this.provider} has no OAuth client configured`,
      );
    }
    await Promise.all([...this.pendingStates]);
    const now = new Date(this.clock.now()).toISOString();
    const record = await this.options.store.consumeOAuthState(params.state, now, params.userId);
    if (!record) throw new ConnectionLifecycleError("unknown_state", "Unknown OAuth state");
    if (record.usedAt)
      throw new ConnectionLifecycleError("state_reused", "This OAuth state was already used");
    if (record.expiresAt <= now)
      throw new ConnectionLifecycleError("state_expired", "This OAuth state has expired");
    if (record.provider !== this.provider) {
      throw new ConnectionLifecycleError(
        "state_provider_mismatch",
        "This OAuth state belongs to another provider",
      );
    }
    if (params.userId !== undefined && record.userId !== params.userId) {
      throw new ConnectionLifecycleError("state_user_mismatch", "This OAuth state belongs to another user");
    }
    const credential = await this.call(() =>
      oauth.exchangeCode({
        client,
        code: params.code,
        ...(record.codeVerifier && { codeVerifier: record.codeVerifier }),
      }),
    );
    return this.store(record.userId, oauthAuthMethod, credential);
  }

  async connectApiKey(params: {
    userId: string;
    apiKey?: string;
    accessToken?: string;
  }): Promise<PublicOf<TAuthMethod, TMetadata>> {
    const method = this.adapter.apiKeyAuthMethod;
    if (!method)
      throw new ConnectionLifecycleError("api_key_not_supported", `${this.provider} does not take API keys`);
    const token = params.apiKey ?? params.accessToken;
    if (!token) throw new ConnectionLifecycleError("missing_credential", "Pass apiKey or accessToken");
    return this.store(params.userId, method, { accessToken: token });
  }

  async listConnections(userId: string): Promise<PublicOf<TAuthMethod, TMetadata>[]> {
    const all = await this.options.store.listConnections(userId, this.provider);
    return all
      .filter((c) => !c.revokedAt)
      .map((c) => this.toPublic(c as StoredConnection<TAuthMethod, TMetadata>));
  }

  /**
   * Calls the provider with the user's newest connection, or with `connectionId` when given (it must
   * be the user's); throws the classified error when the call fails.
   */
  async testConnection(userId: string, connectionId?: string): Promise<Record<string, string | undefined>> {
    const connection = await this.activeConnection(userId, connectionId);
    const credential = await this.freshCredential(connection);
    const { test } = await this.call(() => this.adapter.describe(credential));
    return { ok: "true", connectionId: connection.id, ...test };
  }

  async health(userId: string): Promise<HealthOf<TAuthMethod, TMetadata>> {
    const cached = this.healthCache.get(userId);
    if (cached && cached.freshUntil > this.clock.now()) return cached.health;
    const checkedAt = new Date(this.clock.now()).toISOString();
    const connections = await this.listStored(userId);
    const connection = connections.at(-1);
    if (!connection) {
      return this.cache(userId, {
        status: "down",
        checkedAt,
        details: {
          auth: false,
          apiReachable: false,
          rateLimited: false,
          errorType: "auth",
          message: "No connection",
        },
      } as HealthOf<TAuthMethod, TMetadata>);
    }
    const base = {
      checkedAt,
      authMethod: connection.authMethod,
      tokenRefreshStatus:
        connection.tokenRefreshStatus ?? (connection.credential.refreshToken ? "healthy" : "not_applicable"),
      ...connection.metadata,
    };
    if (connection.tokenRefreshStatus === "failed") {
      return this.cache(userId, {
        ...base,
        status: "down",
        details: {
          auth: false,
          apiReachable: true,
          rateLimited: false,
          errorType: "auth",
          message: "The token could not be refreshed: reconnect this account",
        },
      } as HealthOf<TAuthMethod, TMetadata>);
    }
    try {
      await this.adapter.describe(await this.freshCredential(connection));
      return this.cache(userId, {
        ...base,
        status: "ok",
        details: { auth: true, apiReachable: true, rateLimited: false },
      } as HealthOf<TAuthMethod, TMetadata>);
    } catch (thrown) {
      const error = this.adapter.toIntegrationError(thrown);
      const health = {
        ...base,
        status: error.type === "auth" || error.type === "network" ? "down" : "degraded",
        details: {
          auth: error.type !== "auth",
          apiReachable: error.type !== "network",
          rateLimited: error.type === "rate-limit",
          errorType: error.type,
          message: error.message,
        },
      } as HealthOf<TAuthMethod, TMetadata>;
      // A rate-limited provider is not asked again before it said we may.
      const until = error.type === "rate-limit" && error.retryAt ? error.retryAt.getTime() : undefined;
      return this.cache(userId, health, until);
    }
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
      await this.adapter.revoke?.(connection.credential, this.options.oauthClient);
    } catch (thrown) {
      // An already invalid token is as good as revoked; anything else must not leave a live token behind silently.
      if (this.adapter.toIntegrationError(thrown).type !== "auth")
        throw this.adapter.toIntegrationError(thrown);
    }
    await this.options.store.saveConnection({
      ...connection,
      revokedAt: new Date(this.clock.now()).toISOString(),
    });
    this.healthCache.delete(userId);
    return true;
  }

  /** The auth a HOSTED integration's `cloneForRun` gets for this user's newest connection. */
  async authFor(userId: string): Promise<ConnectionAuth> {
    const connection = await this.activeConnection(userId);
    const credential = await this.freshCredential(connection);
    return {
      type: connection.authMethod === this.adapter.oauthAuthMethod ? "oauth2" : "apiKey",
      accessToken: credential.accessToken,
      ...(credential.scopes && { scopes: credential.scopes }),
    };
  }

  /** The spec-002 normalized auth object of the user's newest connection (fresh), as the worker hands it to actions. */
  async normalizedAuthFor(userId: string, connectionId?: string): Promise<NormalizedAuth> {
    const connection = await this.activeConnection(userId, connectionId);
    const credential = await this.freshCredential(connection);
    const provider = this.provider;
    if (connection.authMethod === this.adapter.oauthAuthMethod) {
      return {
        provider,
        type: "oauth2",
        access_token: credential.accessToken,
        ...(credential.refreshToken && { refresh_token: credential.refreshToken }),
        ...(credential.expiresAt && { expires_at: credential.expiresAt }),
      };
    }
    return (this.adapter.apiKeyAuthType ?? "bearer_token") === "api_key"
      ? { provider, type: "api_key", api_key: credential.accessToken }
      : { provider, type: "bearer_token", token: credential.accessToken };
  }

  /**
   * The connection's credential, refreshed first when it expires within the margin. Refreshes are
   * single-flight per connection in this process, and across processes when the store can lock.
   * An `auth` failure (`invalid_grant`) marks the connection `tokenRefreshStatus: "failed"`.
   */
  async freshCredential(connection: StoredConnection<TAuthMethod, TMetadata>): Promise<ProviderCredential> {
    if (!this.needsRefresh(connection.credential)) return connection.credential;
    const inFlight = this.refreshing.get(connection.id);
    if (inFlight) return inFlight;
    const { store } = this.options;
    const refresh = () => this.refresh(connection.id);
    const work = (
      store.withConnectionLock ? store.withConnectionLock(connection.id, refresh) : refresh()
    ).finally(() => this.refreshing.delete(connection.id));
    this.refreshing.set(connection.id, work);
    return work;
  }

  private needsRefresh(credential: ProviderCredential): boolean {
    if (!credential.expiresAt || !credential.refreshToken) return false;
    const margin = (this.options.refreshMarginSeconds ?? 300) * 1000;
    return Date.parse(credential.expiresAt) - this.clock.now() <= margin;
  }

  private async refresh(connectionId: string): Promise<ProviderCredential> {
    // Another process may have refreshed while this one waited for the lock: re-read first.
    const latest = (await this.options.store.getConnection(connectionId)) as
      | StoredConnection<TAuthMethod, TMetadata>
      | undefined;
    if (!latest) throw new ConnectionLifecycleError("connection_not_found", "The connection was removed");
    if (!this.needsRefresh(latest.credential)) return latest.credential;
    const { oauth } = this.adapter;
    const client = this.options.oauthClient;
    const refreshToken = latest.credential.refreshToken;
    if (!oauth?.refresh || !client || !refreshToken) return latest.credential;
    try {
      const fresh = await oauth.refresh({ client, refreshToken });
      const credential = { ...fresh, refreshToken: fresh.refreshToken ?? refreshToken };
      await this.options.store.saveConnection({
        ...latest,
        credential,
        tokenRefreshStatus: "healthy",
      } as StoredConnection);
      return credential;
    } catch (thrown) {
      const error = IntegrationError.isInstance(thrown) ? thrown : this.adapter.toIntegrationError(thrown);
      if (error.type === "auth") {
        await this.options.store.saveConnection({
          ...latest,
          tokenRefreshStatus: "failed",
        } as StoredConnection);
        this.healthCache.delete(latest.userId);
      }
      throw error;
    }
  }

  private async store(
    userId: string,
    authMethod: TAuthMethod,
    credential: ProviderCredential,
  ): Promise<PublicOf<TAuthMethod, TMetadata>> {
    const { metadata } = await this.call(() => this.adapter.describe(credential));
    const connection: StoredConnection<TAuthMethod, TMetadata> = {
      id: randomUUID(),
      userId,
      provider: this.provider,
      authMethod,
      credential,
      metadata,
      createdAt: new Date(this.clock.now()).toISOString(),
      tokenRefreshStatus: credential.refreshToken ? "healthy" : "not_applicable",
    };
    await this.options.store.saveConnection(connection as StoredConnection);
    this.healthCache.delete(userId);
    return this.toPublic(connection);
  }

  private toPublic(connection: StoredConnection<TAuthMethod, TMetadata>): PublicOf<TAuthMethod, TMetadata> {
    return {
      ...connection.metadata,
      id: connection.id,
      userId: connection.userId,
      authMethod: connection.authMethod,
      tokenMasked: maskToken(connection.credential.accessToken),
      createdAt: connection.createdAt,
      ...(connection.revokedAt && { revokedAt: connection.revokedAt }),
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
      connectionId === undefined ? connections.at(-1) : connections.find((c) => c.id === connectionId);
    if (!connection)
      throw new ConnectionLifecycleError(
        "connection_not_found",
        `No ${this.provider} connection for this user`,
      );
    return connection;
  }

  /** Provider calls fail with the taxonomy's IntegrationError, never a raw SDK error. */
  private async call<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      throw IntegrationError.isInstance(error) ? error : this.adapter.toIntegrationError(error);
    }
  }

  private cache(
    userId: string,
    health: HealthOf<TAuthMethod, TMetadata>,
    freshUntil = this.clock.now() + (this.options.healthCacheSeconds ?? 30) * 1000,
  ): HealthOf<TAuthMethod, TMetadata> {
    this.healthCache.set(userId, { health, freshUntil });
    return health;
  }
}

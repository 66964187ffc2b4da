import type { Clock } from "../runtime/clock";
import type { ConnectionStore, StoredConnection } from "./connection-store";
import { ConnectionLifecycleError } from "./lifecycle-errors";
import type { OAuthClientConfig, ProviderAdapter, ProviderCredential } from "./provider-adapter";
import { asIntegrationError } from "./provider-call";

/** What the refresher needs from the lifecycle it belongs to. */
export interface TokenRefreshOptions {
  adapter: ProviderAdapter<string, object>;
  store: ConnectionStore;
  oauthClient?: OAuthClientConfig;
  clock: Clock;
  /** Tokens expiring within this many seconds are refreshed before use. Default 300 s. */
  refreshMarginSeconds?: number;
  /** Called after a refresh was refused (`auth`) and the connection marked `failed`. */
  onRefreshFailed?: (connection: StoredConnection) => void;
}

/**
 * Keeps a connection's access token fresh. A refresh is single-flight per connection in this process,
 * and across processes when the store can lock; the new access token and the refresh token that came
 * with it (providers that rotate refresh tokens invalidate the old one) are saved in one write, so no
 * reader ever sees a new access token beside a spent refresh token.
 */
export class TokenRefresher {
  private readonly options: TokenRefreshOptions;
  private readonly refreshing = new Map<string, Promise<ProviderCredential>>();

  constructor(options: TokenRefreshOptions) {
    this.options = options;
  }

  /**
   * The connection's credential, refreshed first when it expires within the margin, or with `force`
   * (the provider refused a token we thought valid) unless the stored token already differs from the
   * one the caller holds, which means another caller refreshed it since. An `auth` failure
   * (`invalid_grant`) marks the connection `tokenRefreshStatus: "failed"`.
   */
  fresh(connection: StoredConnection, options: { force?: boolean } = {}): Promise<ProviderCredential> {
    const force = options.force === true;
    if (!force && !this.needsRefresh(connection.credential)) return Promise.resolve(connection.credential);
    const inFlight = this.refreshing.get(connection.id);
    if (inFlight) return inFlight;
    const { store } = this.options;
    const rejected = force ? connection.credential.accessToken : undefined;
    const refresh = () => this.refresh(connection.id, rejected);
    const work = (
      store.withConnectionLock ? store.withConnectionLock(connection.id, refresh) : refresh()
    ).finally(() => this.refreshing.delete(connection.id));
    this.refreshing.set(connection.id, work);
    return work;
  }

  needsRefresh(credential: ProviderCredential): boolean {
    if (!credential.expiresAt || !credential.refreshToken) return false;
    const margin = (this.options.refreshMarginSeconds ?? 300) * 1000;
    return Date.parse(credential.expiresAt) - this.options.clock.now() <= margin;
  }

  /** `rejected`: the access token a forced refresh replaces. */
  private async refresh(connectionId: string, rejected: string | undefined): Promise<ProviderCredential> {
    const { adapter, store, oauthClient: client } = this.options;
    // Another caller or process may have refreshed while this one waited for the lock: re-read first.
    const latest = await store.getConnection(connectionId);
    if (!latest) throw new ConnectionLifecycleError("connection_not_found", "The connection was removed");
    const due = latest.credential.accessToken === rejected || this.needsRefresh(latest.credential);
    const { oauth } = adapter;
    const refreshToken = latest.credential.refreshToken;
    if (!due || !oauth?.refresh || !client || !refreshToken) return latest.credential;
    try {
      const fresh = await oauth.refresh({ client, refreshToken });
      const credential: ProviderCredential = {
        ...fresh,
        // Kept when the answer omits them: the refresh token is still valid unless it was rotated.
        refreshToken: fresh.refreshToken ?? refreshToken,
        ...(!fresh.scopes && latest.credential.scopes && { scopes: latest.credential.scopes }),
        // The site and account the token reaches do not change with a refresh.
        ...(latest.credential.additionalFields && { additionalFields: latest.credential.additionalFields }),
      };
      await store.saveConnection({ ...latest, credential, tokenRefreshStatus: "healthy" });
      return credential;
    } catch (thrown) {
      const error = asIntegrationError(adapter, thrown);
      if (error.type === "auth") {
        await store.saveConnection({ ...latest, tokenRefreshStatus: "failed" });
        this.options.onRefreshFailed?.(latest);
      }
      throw error;
    }
  }
}

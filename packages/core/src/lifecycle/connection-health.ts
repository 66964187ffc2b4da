import type { Tier1ConnectionHealth } from "../health";
import type { Clock } from "../runtime/clock";
import type { StoredConnection } from "./connection-store";
import type { ProviderAdapter, ProviderCredential } from "./provider-adapter";
import { asIntegrationError } from "./provider-call";

/** The health a lifecycle reports: the spec-003 envelope plus the provider's metadata. */
export type HealthOf<A extends string, M extends object> = Tier1ConnectionHealth<A, Partial<M>>;

/** What the health check needs from the lifecycle it belongs to. */
export interface ConnectionHealthOptions<TAuthMethod extends string, TMetadata extends object> {
  adapter: ProviderAdapter<TAuthMethod, TMetadata>;
  clock: Clock;
  /** How long a result is served from cache. Default 30 s. */
  healthCacheSeconds?: number;
  /** The connection's credential, refreshed when it is about to expire. */
  freshCredential(connection: StoredConnection<TAuthMethod, TMetadata>): Promise<ProviderCredential>;
}

/**
 * A user's connection health, checked with the adapter's cheap authenticated call and cached per user,
 * so a dashboard polling it does not spend the provider's rate limit. A rate-limited provider is not
 * asked again before the time it named.
 */
export class ConnectionHealth<TAuthMethod extends string, TMetadata extends object> {
  private readonly options: ConnectionHealthOptions<TAuthMethod, TMetadata>;
  private readonly cache = new Map<
    string,
    { health: HealthOf<TAuthMethod, TMetadata>; freshUntil: number }
  >();

  constructor(options: ConnectionHealthOptions<TAuthMethod, TMetadata>) {
    this.options = options;
  }

  /**
   * The cached health of `userId`, or a new check of the newest readable connection `active` lists (the user's
   * live connections, oldest first). Connections whose credential cannot be read (`needsReauth`) are never
   * called: with another connection that works the answer is `degraded`, with none it is `down`, both with
   * `errorType: "auth"`.
   */
  async check(
    userId: string,
    active: () => Promise<StoredConnection<TAuthMethod, TMetadata>[]>,
  ): Promise<HealthOf<TAuthMethod, TMetadata>> {
    const { clock } = this.options;
    const cached = this.cache.get(userId);
    if (cached && cached.freshUntil > clock.now()) return cached.health;
    const checkedAt = new Date(clock.now()).toISOString();
    const connections = await active();
    const unreadable = connections.filter((c) => c.needsReauth).length;
    const connection = connections.filter((c) => !c.needsReauth).at(-1);
    if (!connection) {
      return this.remember(userId, {
        status: "down",
        checkedAt,
        ...(unreadable > 0 && { authMethod: connections.at(-1)?.authMethod }),
        details: {
          auth: false,
          apiReachable: false,
          rateLimited: false,
          errorType: "auth",
          message: unreadable > 0 ? needsReauthMessage(unreadable) : "No connection",
        },
      } as HealthOf<TAuthMethod, TMetadata>);
    }
    const { health, freshUntil } = await this.checkConnection(connection, checkedAt);
    if (unreadable === 0 || health.status !== "ok") return this.remember(userId, health, freshUntil);
    return this.remember(userId, {
      ...health,
      status: "degraded",
      details: { ...health.details, errorType: "auth", message: needsReauthMessage(unreadable) },
    });
  }

  /** One call to the provider with `connection`, classified into the health envelope. */
  private async checkConnection(
    connection: StoredConnection<TAuthMethod, TMetadata>,
    checkedAt: string,
  ): Promise<{ health: HealthOf<TAuthMethod, TMetadata>; freshUntil?: number }> {
    const { adapter } = this.options;
    const base = {
      checkedAt,
      authMethod: connection.authMethod,
      tokenRefreshStatus:
        connection.tokenRefreshStatus ?? (connection.credential.refreshToken ? "healthy" : "not_applicable"),
      ...connection.metadata,
    };
    if (connection.tokenRefreshStatus === "failed") {
      return {
        health: {
          ...base,
          status: "down",
          details: {
            auth: false,
            apiReachable: true,
            rateLimited: false,
            errorType: "auth",
            message: "The token could not be refreshed: reconnect this account",
          },
        } as HealthOf<TAuthMethod, TMetadata>,
      };
    }
    try {
      await adapter.describe(await this.options.freshCredential(connection));
      return {
        health: {
          ...base,
          status: "ok",
          details: { auth: true, apiReachable: true, rateLimited: false },
        } as HealthOf<TAuthMethod, TMetadata>,
      };
    } catch (thrown) {
      const error = asIntegrationError(adapter, thrown);
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
      const until = error.type === "rate-limit" && error.retryAt ? error.retryAt.getTime() : undefined;
      return { health, ...(until !== undefined && { freshUntil: until }) };
    }
  }

  /** Forgets the cached result, after the user's connections changed. */
  invalidate(userId: string): void {
    this.cache.delete(userId);
  }

  private remember(
    userId: string,
    health: HealthOf<TAuthMethod, TMetadata>,
    freshUntil = this.options.clock.now() + (this.options.healthCacheSeconds ?? 30) * 1000,
  ): HealthOf<TAuthMethod, TMetadata> {
    this.cache.set(userId, { health, freshUntil });
    return health;
  }
}

/** What health says about connections whose credential cannot be read; names no id, only what to do. */
function needsReauthMessage(count: number): string {
  const which = count === 1 ? "1 connection" : `${count} connections`;
  return `${which} cannot be read (the vault key changed or the stored credential was altered): reconnect to use ${count === 1 ? "it" : "them"}`;
}

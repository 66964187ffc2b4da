import type { ProviderCredential } from "./provider-adapter";

/** A connection as stored: the credential is secret and never leaves the service in a response. */
export interface StoredConnection<
  TAuthMethod extends string = string,
  TMetadata extends object = Record<string, unknown>,
> {
  id: string;
  userId: string;
  provider: string;
  authMethod: TAuthMethod;
  credential: ProviderCredential;
  metadata: TMetadata;
  createdAt: string;
  revokedAt?: string;
  tokenRefreshStatus?: "not_applicable" | "healthy" | "failed";
  /**
   * The access token's `maskToken` form as stored beside the ciphertext; set by stores only on a connection
   * whose credential could not be read (`needsReauth`), where it is the only token detail left to show.
   */
  tokenMasked?: string;
  /**
   * The stored credential cannot be decrypted (the vault key changed or the row was altered): `credential` is
   * an empty placeholder, the connection is listed but never used, and the user has to connect again.
   */
  needsReauth?: true;
}

/** A started OAuth flow: single use, bound to one user and provider, expires. */
export interface OAuthStateRecord {
  state: string;
  userId: string;
  provider: string;
  codeVerifier?: string;
  /** ISO-8601. */
  expiresAt: string;
  /** ISO-8601, set when the state was consumed. */
  usedAt?: string;
}

/**
 * Storage for connections and OAuth states. In memory here; the connection service provides the
 * encrypted SQLite and PostgreSQL implementations.
 */
export interface ConnectionStore {
  saveConnection(connection: StoredConnection): Promise<void>;
  getConnection(id: string): Promise<StoredConnection | undefined>;
  /** The user's connections to one provider, oldest first, revoked ones included. */
  listConnections(userId: string, provider: string): Promise<StoredConnection[]>;
  saveOAuthState(record: OAuthStateRecord): Promise<void>;
  /**
   * Marks the state used and returns it as it was before (so a second consumer sees `usedAt`), or
   * `undefined` when unknown. Atomic: two concurrent callers cannot both see it unused. A state that
   * does not match is returned but NOT consumed, so a forged or misrouted attempt cannot burn the
   * rightful user's flow: one expired at `now`, one another user started (with `expectedUserId`), one
   * for another provider (with `expectedProvider`).
   */
  consumeOAuthState(
    state: string,
    now: string,
    expectedUserId?: string,
    expectedProvider?: string,
  ): Promise<OAuthStateRecord | undefined>;
  /**
   * Runs `fn` while holding a lock on the connection that other processes respect (PostgreSQL: an
   * advisory lock), so a token is refreshed once even when several workers need it at the same time.
   * Optional: without it, refreshes are single-flight within one process only.
   */
  withConnectionLock?<T>(connectionId: string, fn: () => Promise<T>): Promise<T>;
}

/** The in-memory ConnectionStore: for tests and single-process use. */
export class MemoryConnectionStore implements ConnectionStore {
  private readonly connections = new Map<string, StoredConnection>();
  private readonly states = new Map<string, OAuthStateRecord>();

  async saveConnection(connection: StoredConnection): Promise<void> {
    this.connections.set(connection.id, structuredClone(connection));
  }

  async getConnection(id: string): Promise<StoredConnection | undefined> {
    const found = this.connections.get(id);
    return found && structuredClone(found);
  }

  async listConnections(userId: string, provider: string): Promise<StoredConnection[]> {
    return [...this.connections.values()]
      .filter((c) => c.userId === userId && c.provider === provider)
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt))
      .map((c) => structuredClone(c));
  }

  async saveOAuthState(record: OAuthStateRecord): Promise<void> {
    this.states.set(record.state, structuredClone(record));
  }

  async consumeOAuthState(
    state: string,
    now: string,
    expectedUserId?: string,
    expectedProvider?: string,
  ): Promise<OAuthStateRecord | undefined> {
    const found = this.states.get(state);
    if (!found) return undefined;
    const before = structuredClone(found);
    const matches =
      found.expiresAt > now &&
      (expectedUserId === undefined || found.userId === expectedUserId) &&
      (expectedProvider === undefined || found.provider === expectedProvider);
    if (matches) found.usedAt ??= now;
    return before;
  }
}

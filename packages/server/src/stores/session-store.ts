import { createHash } from "node:crypto";

/** A dashboard browser session as the store records it. */
export interface BrowserSessionRecord {
  /** The random session id the signed cookie carries (`sid`); the store keeps only its hash. */
  id: string;
  userId: string;
  createdAt: Date;
  /** When the session ends by itself, revoked or not. */
  expiresAt: Date;
}

/**
 * The server-side half of the dashboard's browser sessions, shared by every process of the service: which
 * sessions are still active (sign-out revokes one everywhere) and which sign-in tokens were already spent (a
 * sign-in link works exactly once, whichever process it reaches). Only SHA-256 hashes of session ids and
 * sign-in tokens are stored: a copy of the database signs no one in. Times are passed in, never read from the
 * wall clock, so callers and tests decide what "now" is.
 */
export interface SessionStore {
  /**
   * Records `token` as spent until `expiresAt` (when the token itself stops being accepted). True for the first
   * caller only, atomically across processes and connections; false when it was already spent.
   */
  spendSignInToken(token: string, expiresAt: Date): Promise<boolean>;
  createSession(session: BrowserSessionRecord): Promise<void>;
  /** True when the session exists, was not revoked and has not expired at `at`. */
  isSessionActive(id: string, at: Date): Promise<boolean>;
  /** Ends the session for every process; revoking an unknown or revoked session does nothing. */
  revokeSession(id: string, at: Date): Promise<void>;
  /** Deletes the spent tokens and sessions that expired by `at` (neither can be used again); answers how many. */
  pruneExpired(at: Date): Promise<number>;
  close(): Promise<void>;
}

/** What the store keeps for a session id or sign-in token: its SHA-256, hex. */
export function secretHash(secret: string): string {
  return createHash("sha256").update(secret).digest("hex");
}

/** A new session's row, in the table's column order (`id_hash, user_id, created_at, expires_at`): the id kept hashed. */
export function sessionRowValues(session: BrowserSessionRecord): [string, string, string, string] {
  return [
    secretHash(session.id),
    session.userId,
    session.createdAt.toISOString(),
    session.expiresAt.toISOString(),
  ];
}

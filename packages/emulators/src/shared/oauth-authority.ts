import { createHash, randomBytes } from "node:crypto";

/** Who a token belongs to and what it may do; providers keep their own account data in `subject`. */
export interface TokenInfo<TSubject = Record<string, unknown>> {
  accessToken: string;
  refreshToken?: string;
  scopes: string[];
  subject: TSubject;
  /** Epoch ms; absent for tokens that do not expire. */
  expiresAt?: number;
  clientId?: string;
}

export type OAuthFailure = {
  error: "invalid_grant" | "invalid_client" | "invalid_request";
  description: string;
};

type PendingCode<TSubject> = {
  clientId: string;
  redirectUri: string;
  scopes: string[];
  subject: TSubject;
  codeChallenge?: string;
  expiresAt: number;
};

export interface OAuthAuthorityOptions {
  /** Prefix of minted access tokens, e.g. "xoxb-" or "gho_". */
  accessTokenPrefix: string;
  refreshTokenPrefix?: string;
  /** Access token lifetime; tokens do not expire when omitted (many providers' OAuth apps without token rotation). */
  accessTokenTtlSeconds?: number;
  now?: () => number;
}

/**
 * The OAuth 2.0 server side every emulator shares: authorization codes (single use, 10 minutes,
 * PKCE S256), token exchange, refresh with rotation, revocation, and token lookup for API routes.
 * Provider emulators wrap it in their own wire format.
 */
export class OAuthAuthority<TSubject = Record<string, unknown>> {
  private readonly clients = new Map<string, { secret: string }>();
  private readonly codes = new Map<string, PendingCode<TSubject>>();
  private readonly tokens = new Map<string, TokenInfo<TSubject>>();
  private readonly refreshTokens = new Map<string, string>();
  private readonly options: OAuthAuthorityOptions;
  private readonly now: () => number;

  constructor(options: OAuthAuthorityOptions) {
    this.options = options;
    this.now = options.now ?? Date.now;
  }

  registerClient(clientId: string, clientSecret: string): void {
    this.clients.set(clientId, { secret: clientSecret });
  }

  /** What the authorize page does once the user consents: returns the code for the redirect. */
  authorize(request: {
    clientId: string;
    redirectUri: string;
    scopes: string[];
    subject: TSubject;
    codeChallenge?: string | undefined;
    codeChallengeMethod?: string | undefined;
  }): { code: string } | OAuthFailure {
    if (!this.clients.has(request.clientId))
      return { error: "invalid_client", description: "unknown client_id" };
    if (request.codeChallenge && (request.codeChallengeMethod ?? "plain") !== "S256") {
      return { error: "invalid_request", description: "only S256 code challenges are supported" };
    }
    const code = randomToken("code_");
    this.codes.set(code, {
      clientId: request.clientId,
      redirectUri: request.redirectUri,
      scopes: request.scopes,
      subject: request.subject,
      expiresAt: this.now() + 10 * 60_000,
      ...(request.codeChallenge && { codeChallenge: request.codeChallenge }),
    });
    return { code };
  }

  /** The token endpoint's `authorization_code` grant. A code works once. */
  exchangeCode(request: {
    code: string;
    clientId: string;
    clientSecret?: string | undefined;
    redirectUri?: string | undefined;
    codeVerifier?: string | undefined;
  }): TokenInfo<TSubject> | OAuthFailure {
    const client = this.clients.get(request.clientId);
    if (!client || (request.clientSecret !== undefined && request.clientSecret !== client.secret)) {
      return { error: "invalid_client", description: "bad client credentials" };
    }
    if (request.clientSecret === undefined && !request.codeVerifier) {
      return { error: "invalid_client", description: "client_secret or code_verifier required" };
    }
    const pending = this.codes.get(request.code);
    this.codes.delete(request.code);
    if (!pending || pending.expiresAt < this.now() || pending.clientId !== request.clientId) {
      return { error: "invalid_grant", description: "code is invalid, used or expired" };
    }
    if (request.redirectUri !== undefined && request.redirectUri !== pending.redirectUri) {
      return { error: "invalid_grant", description: "redirect_uri mismatch" };
    }
    if (pending.codeChallenge) {
      const expected =
        request.codeVerifier && createHash("sha256").update(request.codeVerifier).digest("base64url");
      if (expected !== pending.codeChallenge)
        return { error: "invalid_grant", description: "PKCE verification failed" };
    }
    return this.issue({ scopes: pending.scopes, subject: pending.subject, clientId: pending.clientId });
  }

  /** The token endpoint's `refresh_token` grant; the old refresh token stops working (rotation). */
  refresh(request: {
    refreshToken: string;
    clientId: string;
    clientSecret?: string | undefined;
  }): TokenInfo<TSubject> | OAuthFailure {
    const client = this.clients.get(request.clientId);
    if (!client || (request.clientSecret !== undefined && request.clientSecret !== client.secret)) {
      return { error: "invalid_client", description: "bad client credentials" };
    }
    const accessToken = this.refreshTokens.get(request.refreshToken);
    const previous = accessToken ? this.tokens.get(accessToken) : undefined;
    if (!previous || !accessToken)
      return { error: "invalid_grant", description: "refresh token is invalid or revoked" };
    this.refreshTokens.delete(request.refreshToken);
    this.tokens.delete(accessToken);
    return this.issue({ scopes: previous.scopes, subject: previous.subject, clientId: request.clientId });
  }

  /** Mints a token directly, as if a user had installed the app: for tests and the demo. */
  issue(grant: {
    scopes: string[];
    subject: TSubject;
    clientId?: string;
    accessToken?: string;
  }): TokenInfo<TSubject> {
    const ttl = this.options.accessTokenTtlSeconds;
    const info: TokenInfo<TSubject> = {
      accessToken: grant.accessToken ?? randomToken(this.options.accessTokenPrefix),
      scopes: grant.scopes,
      subject: grant.subject,
      ...(ttl !== undefined && { expiresAt: this.now() + ttl * 1000 }),
      ...(grant.clientId !== undefined && { clientId: grant.clientId }),
    };
    if (this.options.refreshTokenPrefix) {
      info.refreshToken = randomToken(this.options.refreshTokenPrefix);
      this.refreshTokens.set(info.refreshToken, info.accessToken);
    }
    this.tokens.set(info.accessToken, info);
    return info;
  }

  /** The live token, or `undefined` when unknown, revoked or expired. */
  lookup(accessToken: string | undefined): TokenInfo<TSubject> | undefined {
    if (!accessToken) return undefined;
    const info = this.tokens.get(accessToken);
    if (!info || (info.expiresAt !== undefined && info.expiresAt <= this.now())) return undefined;
    return info;
  }

  /** Revokes an access token (and its refresh token). */
  revoke(accessToken: string): boolean {
    const info = this.tokens.get(accessToken);
    if (!info) return false;
    this.tokens.delete(accessToken);
    if (info.refreshToken) this.refreshTokens.delete(info.refreshToken);
    return true;
  }

  /** Every refresh token of a subject stops working, as when a user removes the app (the refresh answers invalid_grant). */
  revokeRefreshTokens(predicate: (info: TokenInfo<TSubject>) => boolean): void {
    for (const [refresh, access] of this.refreshTokens) {
      const info = this.tokens.get(access);
      if (info && predicate(info)) this.refreshTokens.delete(refresh);
    }
  }
}

export function isOAuthFailure(value: unknown): value is OAuthFailure {
  return typeof value === "object" && value !== null && "error" in value && "description" in value;
}

/** Alphanumeric after the prefix, as the providers' real tokens are (a `-` or `_` would defeat token-shape scrubbing). */
function randomToken(prefix: string): string {
  return `${prefix}${randomBytes(20).toString("hex")}`;
}

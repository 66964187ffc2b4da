import { hkdfSync, randomBytes, timingSafeEqual } from "node:crypto";
import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { decodeJwt, jwtVerify, SignJWT } from "jose";
import type { SessionStore } from "../stores/session-store";
import { UnauthenticatedError, type UserVerifier } from "./user-auth";

/** The dashboard's session cookie: HttpOnly, SameSite=Lax, Secure when the service is reached over https. */
export const SESSION_COOKIE = "autoflow_session";
/** The header every state-changing request made with the session cookie carries (`GET /api/session` gives it). */
export const CSRF_HEADER = "x-csrf-token";
/** How long a browser session lasts: a working day. */
export const SESSION_SECONDS = 12 * 60 * 60;
/** The longest-lived token a sign-in link may carry: a link is short-lived, as it passes through a URL. */
export const MAX_SIGN_IN_TOKEN_SECONDS = 15 * 60;

const SESSION_PURPOSE = "dashboard-session";
const SIGN_IN_PURPOSE = "sign-in";

/** A signed-in browser: its user and the CSRF token its state-changing requests must echo. */
export interface BrowserSession {
  userId: string;
  csrfToken: string;
  /** The session's id in the session store (what sign-out revokes); never sent to the page. */
  sessionId: string;
}

/** Why a cookie-authenticated state-changing request was refused: a 403, never a detail about the session. */
export class CsrfRefusedError extends Error {
  override readonly name = "CsrfRefusedError";
}

export interface BrowserSessionsOptions {
  /** Verifies the token a sign-in link carries (the API's own user verifier: same issuer, audience, keys). */
  verifyUser: UserVerifier;
  /** Where sessions and spent sign-in tokens are kept, shared by every process of the service. */
  store: SessionStore;
  /**
   * The secret session cookies are signed with (a key is derived from it). Default: a random key per process,
   * so sessions end when the service restarts and are not shared between service processes.
   */
  secret?: string;
  /** Origins besides the request's own that may send state-changing requests (the configured public URL). */
  trustedOrigins?: readonly string[];
  /**
   * Mark the cookie Secure whatever the request's scheme: a service behind a TLS-terminating proxy (an https
   * `AUTOFLOW_PUBLIC_URL`) sees plain http. Default: Secure when the request came over https.
   */
  secureCookies?: boolean;
  /** The clock sessions are issued and checked on (tests). */
  now?: () => Date;
}

/** The browser sessions of the dashboard: sign-in link exchange, the session cookie, CSRF and Origin checks. */
export interface BrowserSessions {
  /**
   * Exchanges a sign-in link's token for a session cookie on `c`'s response. The token must be one the API
   * accepts and either made for signing in (`createSignInToken`) or at most 15 minutes long-lived; each is used
   * once. Throws `UnauthenticatedError` otherwise.
   */
  signIn(c: Context, token: string): Promise<BrowserSession>;
  /**
   * The session the request's cookie carries, or `undefined` (no cookie; a forged or expired one; one signed
   * out or unknown to the session store).
   */
  read(c: Context): Promise<BrowserSession | undefined>;
  /** Throws `CsrfRefusedError` unless a state-changing request echoes the session's CSRF token from a trusted origin. */
  checkCsrf(c: Context, session: BrowserSession): void;
  /** Revokes `session` (when there is one) for every process, and clears the cookie on `c`'s response. */
  signOut(c: Context, session: BrowserSession | undefined): Promise<void>;
}

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/**
 * Browser sessions as signed cookies (jose, HS256 with a key derived for this purpose only) that name a session
 * in the session store (`sid`): the signature is checked first, so a forged cookie never costs a query, then the
 * store says whether the session is still active, so sign-out ends it for every process. Sign-in tokens are
 * spent in the same store, once across processes. The CSRF token is in the signed session, read by the
 * page from `GET /api/session` (same origin only: the API sends no CORS headers), and checked with the request's
 * `Origin` on every state-changing request: SameSite=Lax already keeps cross-site POSTs from carrying the cookie,
 * the two checks are the defence in depth the dashboard promises.
 */
export function createBrowserSessions(options: BrowserSessionsOptions): BrowserSessions {
  const ikm = options.secret ? Buffer.from(options.secret) : randomBytes(32);
  const key = new Uint8Array(hkdfSync("sha256", ikm, "autoflow", "dashboard session v1", 32));
  const now = options.now ?? (() => new Date());
  const { store } = options;

  const secureFor = (c: Context) =>
    options.secureCookies === true || new URL(c.req.url).protocol === "https:";

  return {
    async signIn(c, token) {
      const { userId } = await options.verifyUser(`Bearer ${token}`);
      // Verified above: reading its claims now is safe.
      const claims = decodeJwt(token);
      const lifetime = (claims.exp ?? 0) - (claims.iat ?? 0);
      if (claims.purpose !== SIGN_IN_PURPOSE && lifetime > MAX_SIGN_IN_TOKEN_SECONDS)
        throw new UnauthenticatedError("Not a sign-in token");
      const at = now();
      // Sign-ins are rare and the expired rows are indexed: a cheap moment to drop what can never be used again.
      await store.pruneExpired(at);
      // Spent until the token itself expires: a link in a browser history or a log signs no one in again.
      if (!(await store.spendSignInToken(token, new Date((claims.exp ?? 0) * 1000))))
        throw new UnauthenticatedError("This sign-in link was already used");

      const csrfToken = randomBytes(24).toString("base64url");
      // 256 random bits: the cookie's signature already makes it unforgeable; the store keeps only its hash.
      const sessionId = randomBytes(32).toString("base64url");
      const issuedAt = Math.floor(at.getTime() / 1000);
      const expiresAt = issuedAt + SESSION_SECONDS;
      await store.createSession({
        id: sessionId,
        userId,
        createdAt: new Date(issuedAt * 1000),
        expiresAt: new Date(expiresAt * 1000),
      });
      const cookie = await new SignJWT({ purpose: SESSION_PURPOSE, csrf: csrfToken, sid: sessionId })
        .setProtectedHeader({ alg: "HS256", typ: "JWT" })
        .setSubject(userId)
        .setIssuedAt(issuedAt)
        .setExpirationTime(expiresAt)
        .sign(key);
      setCookie(c, SESSION_COOKIE, cookie, {
        httpOnly: true,
        sameSite: "Lax",
        secure: secureFor(c),
        path: "/",
        maxAge: SESSION_SECONDS,
      });
      return { userId, csrfToken, sessionId };
    },

    async read(c) {
      const cookie = getCookie(c, SESSION_COOKIE);
      if (!cookie) return undefined;
      const at = now();
      let session: BrowserSession;
      try {
        const { payload } = await jwtVerify(cookie, key, {
          algorithms: ["HS256"],
          requiredClaims: ["exp", "iat", "sub"],
          currentDate: at,
        });
        const { purpose, csrf, sid, sub } = payload;
        if (purpose !== SESSION_PURPOSE || typeof csrf !== "string" || typeof sid !== "string" || !sub)
          return undefined;
        session = { userId: sub, csrfToken: csrf, sessionId: sid };
      } catch {
        return undefined;
      }
      // Only a cookie this service signed gets here: a store failure is a 500, never a silent sign-in.
      return (await store.isSessionActive(session.sessionId, at)) ? session : undefined;
    },

    checkCsrf(c, session) {
      const method = c.req.method;
      if (method === "GET" || method === "HEAD" || method === "OPTIONS") return;
      const origin = c.req.header("origin");
      const trusted = [new URL(c.req.url).origin, ...(options.trustedOrigins ?? [])];
      // Browsers send Origin on every cross-origin and every same-origin non-GET fetch; its absence is refused.
      if (!origin || !trusted.includes(origin))
        throw new CsrfRefusedError("Cross-origin request refused: the Origin header is missing or foreign");
      const token = c.req.header(CSRF_HEADER);
      if (!token || !sameText(token, session.csrfToken))
        throw new CsrfRefusedError(`Missing or wrong ${CSRF_HEADER} header (GET /api/session gives it)`);
    },

    async signOut(c, session) {
      if (session) await store.revokeSession(session.sessionId, now());
      deleteCookie(c, SESSION_COOKIE, { path: "/", secure: secureFor(c), httpOnly: true, sameSite: "Lax" });
    },
  };
}

/**
 * A short-lived, single-use token for a sign-in link (`/auth/sign-in?token=`), signed with the development
 * secret like `createDevToken`: `autoflow serve` prints one in development.
 */
export async function createSignInToken(
  secret: string,
  options: { userId?: string; expiresInSeconds?: number; issuer?: string; audience?: string } = {},
): Promise<string> {
  const expiresIn = Math.min(options.expiresInSeconds ?? 10 * 60, MAX_SIGN_IN_TOKEN_SECONDS);
  let jwt = new SignJWT({ purpose: SIGN_IN_PURPOSE })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setSubject(options.userId ?? "dev-user")
    .setJti(randomBytes(12).toString("base64url"))
    .setIssuedAt()
    .setExpirationTime(`${expiresIn}s`);
  if (options.issuer) jwt = jwt.setIssuer(options.issuer);
  if (options.audience) jwt = jwt.setAudience(options.audience);
  return jwt.sign(new TextEncoder().encode(secret));
}

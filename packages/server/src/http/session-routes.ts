import { Hono } from "hono";
import type { BrowserSessions } from "./browser-session";
import { requestUserId, type UserEnv } from "./request-user";
import { UnauthenticatedError, type UserVerifier } from "./user-auth";

/** What the session routes need. */
export interface SessionRoutesOptions {
  sessions: BrowserSessions;
  verifyUser: UserVerifier;
}

/** A path on this service to land on after signing in: never another origin (`//host`, `/\host`, a scheme). */
export function safeNextPath(next: string | undefined): string {
  if (!next?.startsWith("/") || next.startsWith("//") || next.includes("\\")) return "/";
  return next;
}

const SIGN_IN_FAILED = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Sign-in link not valid</title></head>
<body><main><h1>This sign-in link is not valid</h1>
<p>It has expired, was already used, or was not made for this service. Run <code>autoflow token --sign-in</code>
(or restart <code>autoflow serve</code> in development) for a new one.</p></main></body></html>`;

/**
 * The dashboard's sign-in: `GET /auth/sign-in?token=<sign-in token>[&next=/path]` sets the session cookie and
 * redirects (303) to `next`; `POST /auth/sign-out` revokes the session for every process and clears the cookie; `GET /api/session` answers `{ userId, csrfToken }`
 * for the page (401 without a session or token).
 */
export function createSessionRoutes(options: SessionRoutesOptions): Hono<UserEnv> {
  const routes = new Hono<UserEnv>();
  const { sessions } = options;

  routes.get("/auth/sign-in", async (c) => {
    // The token is in the URL: no page this answer leads to may send it on as a Referer, and nothing may cache it.
    c.header("referrer-policy", "no-referrer");
    c.header("cache-control", "no-store");
    const token = c.req.query("token");
    try {
      if (!token || token.length > 4096) throw new UnauthenticatedError("Missing sign-in token");
      await sessions.signIn(c, token);
    } catch (error) {
      if (!UnauthenticatedError.isInstance(error)) throw error;
      return c.html(SIGN_IN_FAILED, 401);
    }
    return c.redirect(safeNextPath(c.req.query("next")), 303);
  });

  routes.post("/auth/sign-out", async (c) => {
    const session = await sessions.read(c);
    if (session) sessions.checkCsrf(c, session);
    await sessions.signOut(c, session);
    return c.body(null, 204);
  });

  routes.get("/api/session", async (c) => {
    c.header("cache-control", "no-store");
    const session = await sessions.read(c);
    // The session id stays in the signed cookie: the page needs only who it is and the CSRF token.
    if (session && c.req.header("authorization") === undefined)
      return c.json({ userId: session.userId, csrfToken: session.csrfToken });
    // A bearer-token caller has no CSRF token to learn: it needs none.
    return c.json({ userId: await requestUserId(c, options.verifyUser) });
  });

  return routes;
}

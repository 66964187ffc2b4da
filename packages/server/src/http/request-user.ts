import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import type { UserVerifier } from "./user-auth";

/**
 * What every user route's context holds: `userId` once the guard ran, and `sessionUserId` when the app's
 * session middleware found a browser session (its CSRF and Origin already checked).
 */
export type UserEnv = { Variables: { userId: string; sessionUserId?: string } };

/**
 * Who is calling: the bearer token when one is sent (API clients and the CLI; a wrong one is a 401 even
 * with a session cookie), else the dashboard's browser session, else a 401.
 */
export async function requestUserId<E extends UserEnv>(
  c: Context<E>,
  verifyUser: UserVerifier,
): Promise<string> {
  const authorization = c.req.header("authorization");
  const sessionUserId: string | undefined = c.var.sessionUserId;
  if (authorization === undefined && sessionUserId !== undefined) return sessionUserId;
  return (await verifyUser(authorization)).userId;
}

/** The guard every user route shares: sets `userId` or answers 401. */
export function requireUser(verifyUser: UserVerifier) {
  return createMiddleware<UserEnv>(async (c, next) => {
    c.set("userId", await requestUserId(c, verifyUser));
    await next();
  });
}

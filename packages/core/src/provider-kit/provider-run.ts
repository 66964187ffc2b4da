import type { ConnectionAuth } from "../integration";
import type { IO } from "../io";

/** What a provider class holds once `cloneForRun` bound it to a run. */
export interface ProviderRun {
  io: IO;
  connectionKey: string;
  /** LOCAL: the integration's own token, used for every attempt. */
  token?: string;
  /** HOSTED: the connection's auth; its `current()` is asked before every attempt. */
  auth?: ConnectionAuth;
}

/** The token for the next attempt and the connection's fields the client is built with (`{}` when LOCAL). */
export interface AttemptAuth {
  token: string | undefined;
  fields: Readonly<Record<string, string>>;
  /** The connection's own fetch (`ConnectionAuth.fetch`), which the client is built with. */
  fetch?: typeof fetch;
}

const NO_FIELDS: Readonly<Record<string, string>> = Object.freeze({});

/** The auth for the next attempt: the LOCAL token, or the connection's current one (refreshed when needed). */
export async function authForAttempt(run: ProviderRun, forceRefresh = false): Promise<AttemptAuth> {
  if (run.token !== undefined) return { token: run.token, fields: NO_FIELDS };
  const auth = run.auth?.current
    ? await run.auth.current(forceRefresh ? { forceRefresh } : undefined)
    : run.auth;
  return {
    token: auth?.accessToken,
    fields: auth?.additionalFields ?? NO_FIELDS,
    ...(auth?.fetch && { fetch: auth.fetch }),
  };
}

/** The token for the next attempt: the LOCAL token, or the connection's current one (refreshed when needed). */
export async function tokenForAttempt(run: ProviderRun, forceRefresh = false): Promise<string | undefined> {
  return (await authForAttempt(run, forceRefresh)).token;
}

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

/** The token for the next attempt: the LOCAL token, or the connection's current one (refreshed when needed). */
export async function tokenForAttempt(run: ProviderRun, forceRefresh = false): Promise<string | undefined> {
  if (run.token !== undefined) return run.token;
  if (run.auth?.current)
    return (await run.auth.current(forceRefresh ? { forceRefresh } : undefined)).accessToken;
  return run.auth?.accessToken;
}

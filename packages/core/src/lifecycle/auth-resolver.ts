import type { AuthResolver } from "../runtime/runner";
import type { ConnectorLifecycle } from "./connector-lifecycle";

/**
 * The `resolveAuth` for a JobRunner whose HOSTED integrations are backed by the connection service:
 * each run asks the integration's provider lifecycle for the user's connection, refreshed when it is
 * about to expire (or at once with the runner's `forceRefresh`, after the provider answered 401), so
 * `cloneForRun` always gets a fresh token.
 */
export function lifecycleAuthResolver(
  lifecycles: Readonly<Record<string, ConnectorLifecycle<string, object>>>,
  userIdFor: string | ((request: { runId: string; jobId: string }) => string),
): AuthResolver {
  return async ({ integration, runId, jobId, forceRefresh }) => {
    const lifecycle = lifecycles[integration.metadata.id];
    if (!lifecycle) return undefined;
    const userId = typeof userIdFor === "string" ? userIdFor : userIdFor({ runId, jobId });
    return lifecycle.authFor(userId, { forceRefresh: forceRefresh === true });
  };
}

import type { ReconcileContext, ReconcileResult } from "@autoflow/core";
import type { gmail_v1 } from "@googleapis/gmail";

/**
 * How long Gmail's search index may lag the mailbox (a few seconds, measured; 30 s leaves room): a search right
 * after a write can miss what the write made.
 */
export const SEARCH_INDEX_LAG_MS = 30_000;

// The window a client was built with (`GmailClientOptions.searchIndexLagMs`): reconcilers get the attempt's client,
// not the integration's options, so the client carries it.
const windows = new WeakMap<gmail_v1.Gmail, number>();

/** Records the search-lag window of a client `createGmailClient` built. */
export function rememberSearchLag(client: gmail_v1.Gmail, ms: number | undefined): void {
  if (ms !== undefined) windows.set(client, Math.max(0, ms));
}

/** The search-lag window of a client: its options', else `SEARCH_INDEX_LAG_MS`. */
export function searchLagOf(client: gmail_v1.Gmail): number {
  return windows.get(client) ?? SEARCH_INDEX_LAG_MS;
}

/**
 * A reconciler's search made safe against the lagging index. "Not found" is only trusted once the search index
 * has had the lag window since the attempt started (`callStartedAt`, the task record's `attemptStartedAt`): found
 * completes at once; not found within the window answers `lookAgainAt` the window's end, so the runtime waits (on
 * the run's clock, durably) and asks again without repeating the write, and only a later look's "not found" lets
 * it repeat. A look that cannot tell (`unknown`) is answered as it is.
 */
export async function lookPastSearchLag<T>(
  client: gmail_v1.Gmail,
  { callStartedAt, now }: Pick<ReconcileContext, "callStartedAt" | "now">,
  look: () => Promise<ReconcileResult<T>>,
): Promise<ReconcileResult<T>> {
  const answer = await look();
  if (!("found" in answer) || answer.found) return answer;
  const trustedAt = callStartedAt.getTime() + searchLagOf(client);
  return now.getTime() < trustedAt ? { unknown: true, lookAgainAt: new Date(trustedAt) } : answer;
}

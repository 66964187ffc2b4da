import { type ReconcileContext, type ReconcileResult, systemClock } from "@autoflow/core";
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
 * at once completes; not found within the window waits out the rest of it and looks again, and only that later
 * look's "not found" lets the runtime repeat the write. A look that cannot tell (`unknown`) is answered as it is.
 *
 * Why wait here rather than answer "unknown": the runtime fails a task whose reconciler answers `{ unknown: true }`
 * (nothing can say "look again later" yet), which would leave a send that did happen for a person to check; and a
 * "not found" inside the window would repeat a send Gmail already made. The wait reads the process clock, as the
 * reconciler is given no run clock: in a worker they are the same clock.
 */
export async function lookPastSearchLag<T>(
  client: gmail_v1.Gmail,
  { callStartedAt, task }: Pick<ReconcileContext, "callStartedAt" | "task">,
  look: () => Promise<ReconcileResult<T>>,
): Promise<ReconcileResult<T>> {
  const first = await look();
  if (!("found" in first) || first.found) return first;
  const window = searchLagOf(client);
  const left = Math.min(window, callStartedAt.getTime() + window - systemClock.now());
  if (left <= 0) return first;
  await sleep(left, task.signal);
  return look();
}

/** Waits `ms`, or rejects when `signal` aborts (the run was cancelled). */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener("abort", onAbort, { once: true });
  });
}

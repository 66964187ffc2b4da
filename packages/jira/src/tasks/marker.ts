import { type IOTask, taskMarker } from "@autoflow/core";

/**
 * The entity property (on an issue or a comment) that holds a task's marker, so a create whose answer was lost can be
 * found afterwards: `{ "marker": "autoflow-task:<32 hex of the task's idempotency key>" }`. A plain key (no dots or
 * quotes), so JQL names it as it is: `issue.property[autoflow].marker`.
 */
export const MARKER_PROPERTY = "autoflow";

/** The property a create carries: its key and `{ marker }` from the task's idempotency key. */
export function markerProperty(task: Pick<IOTask, "idempotencyKey">): {
  key: string;
  value: { marker: string };
} {
  return { key: MARKER_PROPERTY, value: { marker: taskMarker(task) } };
}

/** `properties` with the task's marker added to the `autoflow` property (merged into one the caller sets). */
export function withMarkerProperty<P extends { key?: string; value?: unknown }>(
  properties: readonly P[] | undefined,
  task: Pick<IOTask, "idempotencyKey">,
): Array<P | { key: string; value: Record<string, unknown> }> {
  const own = (properties ?? []).find((property) => property.key === MARKER_PROPERTY);
  const value = typeof own?.value === "object" && own.value !== null ? own.value : {};
  return [
    ...(properties ?? []).filter((property) => property !== own),
    { key: MARKER_PROPERTY, value: { ...value, marker: taskMarker(task) } },
  ];
}

/** JQL that finds the issue carrying `marker` (JQL string literal, quotes escaped). */
export function markerJql(marker: string): string {
  return `issue.property[${MARKER_PROPERTY}].marker = ${JSON.stringify(marker)}`;
}

/**
 * How long Jira's search index may lag behind a create: a marker not found by JQL this long after the call started is
 * certainly absent; before that, the reconciler waits the rest of it and searches once more.
 */
export const JIRA_SEARCH_SETTLE_MS = 5_000;

// The window a client was built with (`JiraClientOptions.searchSettleMs`): reconcilers get the attempt's client, not
// the integration's options, so the client carries it.
const settleWindows = new WeakMap<object, number>();

/** Records the search-settle window of a client `createJiraClient` built. */
export function rememberSearchSettle(client: object, ms: number | undefined): void {
  if (ms !== undefined) settleWindows.set(client, Math.max(0, ms));
}

/** The search-settle window of a client: its options', else `JIRA_SEARCH_SETTLE_MS`. */
export function searchSettleOf(client: object): number {
  return settleWindows.get(client) ?? JIRA_SEARCH_SETTLE_MS;
}

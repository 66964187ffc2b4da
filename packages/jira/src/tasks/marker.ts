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

/** JQL that finds the issue carrying `marker` (JQL string literal, quotes escaped). */
export function markerJql(marker: string): string {
  return `issue.property[${MARKER_PROPERTY}].marker = ${JSON.stringify(marker)}`;
}

/**
 * How long Jira's search index may lag behind a create: a marker not found by JQL this long after the call started is
 * certainly absent; before that, the reconciler waits the rest of it and searches once more.
 */
export const JIRA_SEARCH_SETTLE_MS = 5_000;

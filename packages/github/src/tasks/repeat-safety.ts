import { markerComment, type ReconcileContext, type ReconcileResult } from "@autoflow/core";
import type { Octokit } from "octokit";
import { type GithubRouteResponse, githubRoutes } from "./routes";

/**
 * How far before the attempt's start a reconciler looks: the worker's clock and GitHub's may disagree by this
 * much (and GitHub's timestamps have whole seconds) without a created item being missed.
 */
const CLOCK_SKEW_MS = 120_000;

/** A search reads at most this many pages (100 items each) before it answers "cannot tell". */
const MAX_PAGES = 10;

/**
 * The body with the task's marker appended as a hidden HTML comment: GitHub renders Markdown, so people do not
 * see it, and the marker is a hash of the run and task ids, nothing secret.
 */
export function markedBody(body: string | null | undefined, marker: string): string {
  return body ? `${body}\n\n${markerComment(marker)}` : markerComment(marker);
}

/**
 * The item as the job wrote it: its body without the marker `markedBody` appended (an empty body reads `null`,
 * as GitHub answers one). The task log and the job then see what they sent, and a replay returns the same.
 */
export function withoutMarker<T extends { body?: string | null }>(item: T, marker: string): T {
  if (typeof item.body !== "string") return item;
  const hidden = markerComment(marker);
  const body = item.body.endsWith(`\n\n${hidden}`)
    ? item.body.slice(0, -(hidden.length + 2))
    : item.body === hidden
      ? null
      : item.body;
  return { ...item, body };
}

/** A reconciler's answer with the found item's body as the job wrote it (`withoutMarker`). */
export function unmarked<T extends { body?: string | null }>(
  result: ReconcileResult<T>,
  marker: string,
): ReconcileResult<T> {
  return "found" in result && result.found
    ? { found: true, output: withoutMarker(result.output, marker) }
    : result;
}

/** `since` for a search that starts at the attempt: its start, less the clock skew, in GitHub's ISO form. */
export function searchSince(callStartedAt: Date): string {
  return new Date(callStartedAt.getTime() - CLOCK_SKEW_MS).toISOString().replace(/\.\d{3}Z$/, "Z");
}

type Marked = { body?: string | null; created_at?: string };

/**
 * Walks a list route for the item whose body carries `marker`. A `newestFirst` list (sorted by creation,
 * descending) stops at the first page that reaches items created before the attempt (less the clock skew);
 * any other list is filtered by the route's own `since` and read to its end. Reading past the window or to the
 * end without a match is "certainly not there"; more than 1,000 items to read is "cannot tell".
 */
export async function findMarked<T extends Marked>(
  client: Octokit,
  route: string,
  params: Record<string, unknown>,
  { marker, callStartedAt }: Pick<ReconcileContext, "marker" | "callStartedAt">,
  { newestFirst }: { newestFirst: boolean },
): Promise<ReconcileResult<T>> {
  const since = searchSince(callStartedAt);
  const hidden = markerComment(marker);
  let pages = 0;
  for await (const page of githubRoutes(client).pages(route, { ...params, per_page: 100 }) as AsyncIterable<
    GithubRouteResponse & { data: T[] }
  >) {
    for (const item of page.data) if (item.body?.includes(hidden)) return { found: true, output: item };
    // Newest first: once a page reaches items created before the window, the rest are older still.
    const older = page.data.some((item) => item.created_at !== undefined && item.created_at < since);
    if (newestFirst && older) return { found: false };
    if (++pages >= MAX_PAGES) return { unknown: true };
  }
  return { found: false };
}

/** GitHub's 422 answer, when its message or one of its errors' says `pattern`. */
export function isValidationFailure(error: unknown, pattern: RegExp): boolean {
  const failure = error as {
    status?: number;
    message?: string;
    response?: { data?: { message?: string; errors?: { message?: string }[] } };
  } | null;
  if (failure?.status !== 422) return false;
  const data = failure.response?.data;
  const texts = [failure.message, data?.message, ...(data?.errors ?? []).map((e) => e.message)];
  return texts.some((text) => typeof text === "string" && pattern.test(text));
}

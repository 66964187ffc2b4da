import type { EmulatorResponse } from "../../shared/types";
import type { JiraCall, JiraRoute } from "../jira-api";
import { jiraError, searchRemoved } from "../jira-wire";
import { JqlError, type JqlQuery, parseJql } from "../jql";
import { matchesJql, sortByJql } from "../jql-match";

/** What a search page may hold at most, as Jira caps `maxResults`. */
const MAX_RESULTS = 5000;

/** The enhanced search's arguments, from the query (`GET`) or the JSON body (`POST`). */
interface SearchArguments {
  jql?: string;
  nextPageToken?: string;
  maxResults?: number;
  fields?: string[];
  properties?: string[];
}

function fromQuery(call: JiraCall): SearchArguments {
  const q = call.request.query;
  const list = (name: string) => q.getAll(name).flatMap((v) => v.split(","));
  const maxResults = q.get("maxResults");
  return {
    ...(q.get("jql") !== null && { jql: q.get("jql") as string }),
    ...(q.get("nextPageToken") !== null && { nextPageToken: q.get("nextPageToken") as string }),
    ...(maxResults !== null && { maxResults: Number(maxResults) }),
    ...(q.has("fields") && { fields: list("fields") }),
    ...(q.has("properties") && { properties: list("properties") }),
  };
}

function fromBody(call: JiraCall): SearchArguments {
  return call.body as SearchArguments;
}

/**
 * The query checked as Jira checks it: parsed, bounded (the enhanced search refuses a query without a
 * restriction), and naming only projects that exist.
 */
function checkedQuery(call: JiraCall, jql: string | undefined): JqlQuery | EmulatorResponse {
  let query: JqlQuery;
  try {
    query = parseJql(jql, call.now);
  } catch (error) {
    if (error instanceof JqlError) return jiraError(400, [error.message]);
    throw error;
  }
  if (query.clauses.length === 0) {
    return jiraError(400, [
      "Unbounded JQL queries are not allowed here. Please add a search restriction to your query.",
    ]);
  }
  for (const clause of query.clauses) {
    if (clause.kind === "project" && !call.state.project(clause.key)) {
      return jiraError(400, [`The value '${clause.key}' does not exist for the field 'project'.`]);
    }
  }
  return query;
}

function search(call: JiraCall, args: SearchArguments): EmulatorResponse | Record<string, unknown> {
  const query = checkedQuery(call, args.jql);
  if (!("clauses" in query)) return query;
  let offset = 0;
  if (args.nextPageToken !== undefined) {
    const decoded = decodePageToken(args.nextPageToken);
    if (decoded === undefined) return jiraError(400, ["The provided next page token is invalid or expired."]);
    offset = decoded;
  }
  const maxResults = Math.min(Math.max(1, args.maxResults ?? 50), MAX_RESULTS);
  const matching = sortByJql(
    query,
    call.state.searchable().filter((issue) => matchesJql(query, issue)),
  );
  const page = matching.slice(offset, offset + maxResults);
  const isLast = offset + page.length >= matching.length;
  // Search answers from its index: each issue as the index last saw it, which may lag the issue itself.
  const fields = args.fields ?? ["id"];
  return {
    issues: page.map((issue) => call.render.issue(issue, fields, args.properties ?? [])),
    ...(!isLast && { nextPageToken: encodePageToken(offset + page.length) }),
    isLast,
  };
}

/** A page token the emulator can read back: the offset, opaque to the caller as Jira's are. */
function encodePageToken(offset: number): string {
  return Buffer.from(JSON.stringify({ o: offset, v: 1 })).toString("base64url");
}

function decodePageToken(token: string): number | undefined {
  try {
    const parsed = JSON.parse(Buffer.from(token, "base64url").toString("utf8")) as { o?: unknown };
    return typeof parsed.o === "number" && parsed.o >= 0 ? parsed.o : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The enhanced JQL search (`/search/jql`, paged by `nextPageToken`, no `total`), the approximate count, and the
 * removed `/search` (410 Gone since CHANGE-2046).
 */
export function registerSearchRoutes(route: JiraRoute): void {
  route("GET", "/rest/api/3/search/jql", "read", (call) => search(call, fromQuery(call)));
  route("POST", "/rest/api/3/search/jql", "read", (call) => search(call, fromBody(call)));

  route("POST", "/rest/api/3/search/approximate-count", "read", (call) => {
    const query = checkedQuery(call, call.body.jql as string | undefined);
    if (!("clauses" in query)) return query;
    return { count: call.state.searchable().filter((issue) => matchesJql(query, issue)).length };
  });

  route("GET", "/rest/api/3/search", "read", () => searchRemoved());
  route("POST", "/rest/api/3/search", "read", () => searchRemoved());
}

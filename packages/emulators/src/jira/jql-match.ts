import type { StoredIssue } from "./jira-state";
import { type JqlClause, type JqlQuery, type JqlSort, parseJql } from "./jql";

/** Whether `issue` meets every clause of `query`. */
export function matchesJql(query: JqlQuery, issue: StoredIssue): boolean {
  return query.clauses.every((clause) => matchesClause(clause, issue));
}

function matchesClause(clause: JqlClause, issue: StoredIssue): boolean {
  switch (clause.kind) {
    case "project":
      return issue.projectKey.toUpperCase() === clause.key.toUpperCase();
    case "key":
      return issue.key === clause.key || issue.id === clause.key;
    case "time": {
      const at = issue[clause.field];
      switch (clause.op) {
        case "=":
          return at === clause.epochMs;
        case ">":
          return at > clause.epochMs;
        case ">=":
          return at >= clause.epochMs;
        case "<":
          return at < clause.epochMs;
        case "<=":
          return at <= clause.epochMs;
      }
      return false;
    }
    case "property": {
      let value: unknown = issue.properties[clause.property];
      for (const part of clause.path) {
        value = value && typeof value === "object" ? (value as Record<string, unknown>)[part] : undefined;
      }
      // Jira indexes property values as text: a number or boolean matches its string form.
      return (
        value !== undefined && value !== null && typeof value !== "object" && String(value) === clause.value
      );
    }
  }
}

/** `issues` in the query's order; without ORDER BY, Jira's default (newest created first). */
export function sortByJql(query: JqlQuery, issues: StoredIssue[]): StoredIssue[] {
  const order: JqlSort[] =
    query.orderBy.length > 0 ? query.orderBy : [{ field: "created", direction: "DESC" }];
  // Ties fall back to the key, newest first as Jira does.
  const keys = [...order, { field: "key", direction: order[0]?.direction ?? "DESC" } as JqlSort];
  return [...issues].sort((a, b) => {
    for (const sort of keys) {
      const diff = sort.field === "key" ? compareKeys(a.key, b.key) : a[sort.field] - b[sort.field];
      if (diff !== 0) return sort.direction === "ASC" ? diff : -diff;
    }
    return 0;
  });
}

/** `OPS-2` before `OPS-10`: by project key, then by number. */
function compareKeys(a: string, b: string): number {
  const [pa = "", na = "0"] = a.split("-");
  const [pb = "", nb = "0"] = b.split("-");
  return pa === pb ? Number(na) - Number(nb) : pa.localeCompare(pb);
}

/** Whether `issue` meets a JQL filter (a dynamic or admin webhook's); an empty filter matches everything. */
export function issueMatchesFilter(jql: string | undefined, issue: StoredIssue): boolean {
  if (!jql?.trim()) return true;
  return matchesJql(parseJql(jql), issue);
}

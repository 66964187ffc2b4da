/**
 * The subset of JQL the Jira emulator understands: what `@autoflow/jira` and its triggers send.
 *
 *   project = OPS | project = "OPS"        key = OPS-1 | issuekey = OPS-1
 *   updated >= 1733500000000 | updated >= "2026-12-06 20:15" | updated >= -1d (also created; >, >=, <, <=, =)
 *   issue.property[autoflow].taskKey = "abc"
 *   clauses joined by AND; ORDER BY updated|created|key ASC|DESC, ...
 *
 * Anything else is a `JqlError` naming the clause, which the routes answer as Jira's 400.
 */

/** One condition of the query. */
export type JqlClause =
  | { kind: "project"; key: string }
  | { kind: "key"; key: string }
  | { kind: "time"; field: "updated" | "created"; op: ComparisonOp; epochMs: number }
  | { kind: "property"; property: string; path: string[]; value: string };

export type ComparisonOp = "=" | ">" | ">=" | "<" | "<=";

export interface JqlSort {
  field: "updated" | "created" | "key";
  direction: "ASC" | "DESC";
}

export interface JqlQuery {
  clauses: JqlClause[];
  orderBy: JqlSort[];
}

/** A query outside the supported subset, or not JQL at all: the message is Jira's `errorMessages` entry. */
export class JqlError extends Error {
  /** The field of the clause the subset lacks (`status`), when the query failed on one. */
  clause?: string;
}

type Token = {
  kind: "word" | "string" | "op" | "comma" | "paren" | "property";
  text: string;
  property?: [string, string[]];
};

const PROPERTY = /^issue\.property\[([^\]]+)\]((?:\.[A-Za-z0-9_-]+)*)/i;

/** The token kinds besides property references, tried in order: the first pattern that matches the rest wins. */
const LEXEMES: ReadonlyArray<{ kind: Token["kind"]; pattern: RegExp }> = [
  { kind: "string", pattern: /^"((?:[^"\\]|\\.)*)"|^'((?:[^'\\]|\\.)*)'/ },
  { kind: "op", pattern: /^(>=|<=|!=|=|>|<|~|!~)/ },
  { kind: "comma", pattern: /^,/ },
  // Lists and functions (`in (A, B)`, `currentUser()`) are outside the subset; tokenized to name the clause.
  { kind: "paren", pattern: /^[()]/ },
  { kind: "word", pattern: /^[^\s=!<>~,()"']+/ },
];

function tokenize(jql: string): Token[] {
  const tokens: Token[] = [];
  let rest = jql.trim();
  while (rest.length > 0) {
    const property = PROPERTY.exec(rest);
    if (property) {
      const path = (property[2] ?? "").split(".").filter(Boolean);
      tokens.push({ kind: "property", text: property[0], property: [unquote(property[1] ?? ""), path] });
      rest = rest.slice(property[0].length).trimStart();
      continue;
    }
    const lexeme = LEXEMES.map(({ kind, pattern }) => ({ kind, match: pattern.exec(rest) })).find(
      (l) => l.match,
    );
    if (!lexeme?.match) {
      const code = (rest.codePointAt(0) ?? 0).toString(16).padStart(4, "0");
      throw new JqlError(
        `Error in the JQL Query: The character '${rest[0]}' is a reserved JQL character. You must enclose it in a string or use the escape '\\u${code}' instead.`,
      );
    }
    const { kind, match } = lexeme;
    const text = kind === "string" ? (match[1] ?? match[2] ?? "").replace(/\\(.)/g, "$1") : match[0];
    tokens.push({ kind, text });
    rest = rest.slice(match[0].length).trimStart();
  }
  return tokens;
}

function unquote(text: string): string {
  return text.replace(/^["']|["']$/g, "");
}

/**
 * Parses `jql` (empty: every issue), or throws a `JqlError` naming what is not supported. `now` (the emulator's
 * clock) is what a relative date (`-1d`) counts from.
 */
export function parseJql(jql: string | undefined, now: number = Date.now()): JqlQuery {
  const tokens = tokenize(jql ?? "");
  const clauses: JqlClause[] = [];
  const orderBy: JqlSort[] = [];
  let i = 0;
  const isWord = (t: Token | undefined, word: string) => t?.kind === "word" && t.text.toUpperCase() === word;
  const clauseText = (from: number) => {
    let end = from;
    while (end < tokens.length && !isWord(tokens[end], "AND") && !isWord(tokens[end], "ORDER")) end++;
    return tokens
      .slice(from, end)
      .map((t) => (t.kind === "string" ? JSON.stringify(t.text) : t.text))
      .join(" ");
  };
  while (i < tokens.length && !isWord(tokens[i], "ORDER")) {
    const start = i;
    const [field, op, value] = [tokens[i], tokens[i + 1], tokens[i + 2]];
    const unsupported = () => {
      const error = new JqlError(
        `The Jira emulator does not support the JQL clause '${clauseText(start)}' (supported: project =, key =, updated and created comparisons, issue.property[...] =, AND, ORDER BY).`,
      );
      if (field) error.clause = field.text;
      return error;
    };
    if (!field || !op || op.kind !== "op" || !value || (value.kind !== "word" && value.kind !== "string")) {
      throw unsupported();
    }
    const name = field.kind === "word" ? field.text.toLowerCase() : "";
    if (field.kind === "property" && field.property && op.text === "=") {
      clauses.push({
        kind: "property",
        property: field.property[0],
        path: field.property[1],
        value: value.text,
      });
    } else if (name === "project" && op.text === "=") {
      clauses.push({ kind: "project", key: value.text });
    } else if ((name === "key" || name === "issuekey" || name === "issue") && op.text === "=") {
      clauses.push({ kind: "key", key: value.text.toUpperCase() });
    } else if (
      (name === "updated" || name === "created" || name === "updateddate" || name === "createddate") &&
      isComparison(op.text)
    ) {
      clauses.push({
        kind: "time",
        field: name.startsWith("updated") ? "updated" : "created",
        op: op.text,
        epochMs: parseJqlTime(value.text, field.text, now),
      });
    } else {
      throw unsupported();
    }
    i += 3;
    if (i < tokens.length && !isWord(tokens[i], "ORDER")) {
      if (!isWord(tokens[i], "AND")) {
        throw new JqlError(
          `The Jira emulator does not support '${tokens[i]?.text}' in JQL: only AND joins clauses (at '${clauseText(i)}').`,
        );
      }
      i++;
      if (i >= tokens.length)
        throw new JqlError("Error in the JQL Query: Expecting a field name but got the end of the query.");
    }
  }
  if (isWord(tokens[i], "ORDER")) {
    if (!isWord(tokens[i + 1], "BY"))
      throw new JqlError("Error in the JQL Query: Expecting 'BY' after 'ORDER'.");
    i += 2;
    while (i < tokens.length) {
      const field = tokens[i]?.text.toLowerCase();
      if (field !== "updated" && field !== "created" && field !== "key" && field !== "issuekey") {
        throw new JqlError(
          `The Jira emulator does not support ORDER BY '${tokens[i]?.text}' (supported: updated, created, key).`,
        );
      }
      i++;
      let direction: "ASC" | "DESC" = "ASC";
      const next = tokens[i]?.text.toUpperCase();
      if (next === "ASC" || next === "DESC") {
        direction = next;
        i++;
      }
      orderBy.push({ field: field === "issuekey" ? "key" : field, direction });
      if (tokens[i]?.kind === "comma") i++;
      else if (i < tokens.length)
        throw new JqlError(`Error in the JQL Query: Expecting ',' but got '${tokens[i]?.text}'.`);
    }
  }
  return { clauses, orderBy };
}

function isComparison(op: string): op is ComparisonOp {
  return op === "=" || op === ">" || op === ">=" || op === "<" || op === "<=";
}

const PERIOD_UNIT_MS: Readonly<Record<string, number>> = {
  w: 604_800_000,
  d: 86_400_000,
  h: 3_600_000,
  m: 60_000,
};

/**
 * A JQL date: epoch milliseconds, `yyyy-MM-dd HH:mm` / `yyyy/MM/dd HH:mm` / `yyyy-MM-dd` in the site's time zone (the
 * emulated site is in UTC), or a period from `now` (`-1d` a day ago, `"-4w 2d"`, `2h` two hours ahead), as Jira reads them.
 */
function parseJqlTime(text: string, field: string, now: number): number {
  if (/^\d+$/.test(text)) return Number(text);
  const period = /^([-+]?)((?:\s*\d+[wdhm])+)$/.exec(text.trim());
  if (period) {
    const [, sign = "", parts = ""] = period;
    const ms = [...parts.matchAll(/(\d+)([wdhm])/g)].reduce(
      (sum, [, n = "0", unit = "m"]) => sum + Number(n) * (PERIOD_UNIT_MS[unit] ?? 0),
      0,
    );
    return sign === "-" ? now - ms : now + ms;
  }
  const m = /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:\s+(\d{1,2}):(\d{2}))?$/.exec(text.trim());
  if (!m) {
    throw new JqlError(
      `Date value '${text}' for field '${field}' is invalid. Valid formats include: 'yyyy/MM/dd HH:mm', 'yyyy-MM-dd HH:mm', 'yyyy/MM/dd', 'yyyy-MM-dd', or a period format e.g. '-5d', '4w 2d'.`,
    );
  }
  const [, y, mo, d, h = "0", mi = "0"] = m;
  return Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi));
}

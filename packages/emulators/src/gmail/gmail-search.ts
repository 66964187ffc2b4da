import type { StoredLabel, StoredMessage } from "./gmail-state";

/** What a search reads besides the message: the mailbox's labels (by id) and the emulator's now (epoch ms). */
export interface SearchContext {
  labels: Map<string, StoredLabel>;
  now: number;
}

/** A parsed query: terms and groups, joined by AND (implicit) and OR, each possibly negated with `-`. */
type Node =
  | { kind: "term"; op: string; value: string; negated: boolean }
  | { kind: "and" | "or"; nodes: Node[]; negated: boolean };

/** `in:`/`label:` names Gmail accepts for system labels besides their ids. */
const LABEL_ALIASES: Record<string, string> = {
  drafts: "DRAFT",
  draft: "DRAFT",
  sent: "SENT",
  chats: "CHAT",
};

/** `newer_than:`/`older_than:` units (Gmail's d, m, y; h for tests that run within a day). */
const UNIT_MS: Record<string, number> = {
  h: 3_600_000,
  d: 86_400_000,
  m: 30 * 86_400_000,
  y: 365 * 86_400_000,
};

function header(message: StoredMessage, name: string): string {
  return message.payload.headers.find((h) => h.name.toLowerCase() === name)?.value ?? "";
}

/** Splits a query into words, quoted phrases and parentheses (`-` and `op:` stay on their word). */
function tokenize(q: string): string[] {
  return q.match(/\(|\)|(?:[^\s()"]+|"[^"]*")+/g) ?? [];
}

/** Parses tokens from `at` until a closing parenthesis or the end: an AND of terms, `OR` binding tighter. */
function parse(tokens: string[], at = { i: 0 }): Node {
  const and: Node[] = [];
  while (at.i < tokens.length && tokens[at.i] !== ")") {
    let node = parseOne(tokens, at);
    while (tokens[at.i] === "OR") {
      at.i++;
      const right = parseOne(tokens, at);
      node =
        node.kind === "or" && !node.negated
          ? { ...node, nodes: [...node.nodes, right] }
          : { kind: "or", nodes: [node, right], negated: false };
    }
    and.push(node);
  }
  return { kind: "and", nodes: and, negated: false };
}

/** One term, or a parenthesized group (`-` before either negates it). */
function parseOne(tokens: string[], at: { i: number }): Node {
  let token = tokens[at.i++] ?? "";
  let negated = false;
  if (token === "-" && tokens[at.i] === "(") {
    negated = true;
    token = tokens[at.i++] ?? "";
  } else if (token.startsWith("-") && token.length > 1) {
    negated = true;
    token = token.slice(1);
  }
  if (token === "(") {
    const group = parse(tokens, at);
    at.i++; // the closing parenthesis
    return { ...group, negated };
  }
  const colon = token.indexOf(":");
  const op = colon > 0 ? token.slice(0, colon).toLowerCase() : "";
  const value = (colon > 0 ? token.slice(colon + 1) : token).replace(/^"|"$/g, "");
  return { kind: "term", op, value, negated };
}

function dateOf(value: string): number {
  return /^\d+$/.test(value) ? Number(value) * 1000 : Date.parse(value.replace(/\//g, "-"));
}

function ageOf(value: string): number {
  const match = /^(\d+)([hdmy])$/i.exec(value);
  return match ? Number(match[1]) * (UNIT_MS[(match[2] ?? "d").toLowerCase()] ?? 0) : Number.NaN;
}

function matchesTerm(message: StoredMessage, op: string, value: string, context: SearchContext): boolean {
  const has = (text: string) => text.toLowerCase().includes(value.toLowerCase());
  switch (op) {
    case "rfc822msgid":
      return header(message, "message-id").replace(/^<|>$/g, "") === value.replace(/^<|>$/g, "");
    case "label":
    case "in": {
      const lower = value.toLowerCase();
      if (lower === "anywhere") return true;
      const wanted = LABEL_ALIASES[lower] ?? value.toUpperCase();
      return message.labelIds.some(
        (id) => id === wanted || context.labels.get(id)?.name.toLowerCase() === lower,
      );
    }
    case "is":
      return value.toLowerCase() === "read"
        ? !message.labelIds.includes("UNREAD")
        : message.labelIds.includes(value.toUpperCase());
    case "from":
      return has(header(message, "from"));
    case "to":
      return has(`${header(message, "to")} ${header(message, "cc")}`);
    case "subject":
      return has(header(message, "subject"));
    case "after":
      return message.internalDate >= dateOf(value);
    case "before":
      return message.internalDate < dateOf(value);
    case "newer_than":
      return message.internalDate > context.now - ageOf(value);
    case "older_than":
      return message.internalDate < context.now - ageOf(value);
    default:
      return has(`${header(message, "subject")} ${message.snippet}`);
  }
}

function evaluate(message: StoredMessage, node: Node, context: SearchContext): boolean {
  const result =
    node.kind === "term"
      ? matchesTerm(message, node.op, node.value, context)
      : node.kind === "and"
        ? node.nodes.every((child) => evaluate(message, child, context))
        : node.nodes.some((child) => evaluate(message, child, context));
  return node.negated ? !result : result;
}

/**
 * Whether a message matches a Gmail search query, for the subset the emulator knows: `rfc822msgid:`,
 * `label:`/`in:` (ids, names, `in:drafts`, `in:sent`, `in:anywhere`), `is:unread`/`is:read`/`is:starred`,
 * `from:`, `to:`, `subject:`, `after:`/`before:` (epoch seconds or yyyy/mm/dd), `newer_than:`/`older_than:`
 * (`2d`, `1m`, `1y`, and `3h`), plain words (in the subject or the snippet), `-` negation, `OR` and parentheses.
 */
export function matchesQuery(message: StoredMessage, q: string, context: SearchContext): boolean {
  return evaluate(message, parse(tokenize(q)), context);
}

/** Whether a query names the drafts (`in:drafts`, `label:draft`): Gmail's search leaves drafts out otherwise. */
export function searchesDrafts(q: string): boolean {
  return /(?:^|[\s(])(?:in|label):drafts?\b/i.test(q);
}

/** Whether a query names every folder (`in:anywhere`): Gmail's search leaves spam and trash out otherwise. */
export function searchesAnywhere(q: string): boolean {
  return /(?:^|[\s(])in:anywhere\b/i.test(q);
}

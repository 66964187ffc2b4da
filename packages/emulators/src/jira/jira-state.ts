import {
  SEED_FIELDS,
  SEED_ISSUE_TYPES,
  SEED_LINK_TYPES,
  SEED_PROJECTS,
  SEED_STATUSES,
  SEED_USERS,
  type SeedProject,
  type SeedUser,
} from "./jira-seed";

/** A comment as the emulator keeps it: the ADF body as posted. */
export interface StoredComment {
  id: string;
  authorAccountId: string;
  body: unknown;
  created: number;
  updated: number;
  /** Entity properties set with the comment (`properties` of the create body), by key. */
  properties: Map<string, unknown>;
}

/** An issue as the emulator keeps it; `fields` renders it (`jira-issue-json.ts`). */
export interface StoredIssue {
  id: string;
  key: string;
  projectKey: string;
  issueTypeId: string;
  summary: string;
  /** An Atlassian Document Format object, or null. */
  description: unknown;
  statusId: string;
  assigneeAccountId: string | null;
  reporterAccountId: string;
  labels: string[];
  /** `customfield_*` values as set. */
  custom: Record<string, unknown>;
  created: number;
  updated: number;
  comments: StoredComment[];
  properties: Record<string, unknown>;
}

export interface StoredLink {
  id: string;
  typeId: string;
  inwardIssueId: string;
  outwardIssueId: string;
}

/** What search sees of an issue from `visibleAt` on: a copy as it was then, or its deletion. */
interface IndexEntry {
  visibleAt: number;
  issue: StoredIssue | "deleted";
}

/**
 * A Jira site's data: users, projects, issues with comments and properties, links, and the search index. Reads by
 * key or id see every change at once; search sees a change only `searchVisibilityLagMs` after it was made, as
 * Jira's index catches up (the enhanced search is eventually consistent).
 */
export class JiraState {
  readonly users: SeedUser[] = [];
  readonly projects: SeedProject[] = [];
  readonly issues = new Map<string, StoredIssue>();
  readonly links = new Map<string, StoredLink>();
  private readonly index = new Map<string, IndexEntry[]>();
  private nextIssueId = 10000;
  private nextCommentId = 10000;
  private nextLinkId = 10000;
  private readonly counters = new Map<string, number>();

  constructor(
    private readonly now: () => number,
    /** How long a change takes to reach search, on the emulator clock. */
    public searchVisibilityLagMs = 0,
  ) {
    this.reset();
  }

  /** Back to the seeded site. */
  reset(): void {
    this.users.splice(0, this.users.length, ...SEED_USERS.map((u) => ({ ...u })));
    this.projects.splice(0, this.projects.length, ...SEED_PROJECTS.map((p) => ({ ...p })));
    this.issues.clear();
    this.links.clear();
    this.index.clear();
    this.counters.clear();
    this.nextIssueId = 10000;
    this.nextCommentId = 10000;
    this.nextLinkId = 10000;
  }

  user(accountId: string): SeedUser | undefined {
    return this.users.find((u) => u.accountId === accountId);
  }

  userByEmail(email: string): SeedUser | undefined {
    return this.users.find((u) => u.emailAddress.toLowerCase() === email.toLowerCase());
  }

  /** Adds a user, or answers the one with this address. */
  ensureUser(emailAddress: string, displayName?: string): SeedUser {
    const known = this.userByEmail(emailAddress);
    if (known) return known;
    const user: SeedUser = {
      accountId: `712020:${randomHex(8)}-${randomHex(4)}-${randomHex(4)}-${randomHex(4)}-${randomHex(12)}`,
      emailAddress,
      displayName: displayName ?? emailAddress.split("@")[0] ?? emailAddress,
    };
    this.users.push(user);
    return user;
  }

  project(idOrKey: string): SeedProject | undefined {
    return this.projects.find((p) => p.id === idOrKey || p.key.toUpperCase() === idOrKey.toUpperCase());
  }

  issueType(idOrName: string) {
    return SEED_ISSUE_TYPES.find((t) => t.id === idOrName || t.name.toLowerCase() === idOrName.toLowerCase());
  }

  status(id: string) {
    return SEED_STATUSES.find((s) => s.id === id);
  }

  field(id: string) {
    return SEED_FIELDS.find((f) => f.id === id);
  }

  linkType(idOrName: string) {
    return SEED_LINK_TYPES.find((t) => t.id === idOrName || t.name.toLowerCase() === idOrName.toLowerCase());
  }

  /** The issue with this key (case-insensitive) or numeric id, as it is now. */
  issue(idOrKey: string): StoredIssue | undefined {
    const byId = this.issues.get(idOrKey);
    if (byId) return byId;
    const key = idOrKey.toUpperCase();
    for (const issue of this.issues.values()) if (issue.key === key) return issue;
    return undefined;
  }

  createIssue(fields: {
    projectKey: string;
    issueTypeId: string;
    summary: string;
    description?: unknown;
    assigneeAccountId?: string | null;
    reporterAccountId: string;
    labels?: string[];
    custom?: Record<string, unknown>;
    properties?: Record<string, unknown>;
  }): StoredIssue {
    const number = (this.counters.get(fields.projectKey) ?? 0) + 1;
    this.counters.set(fields.projectKey, number);
    const at = this.now();
    const issue: StoredIssue = {
      id: String(this.nextIssueId++),
      key: `${fields.projectKey}-${number}`,
      projectKey: fields.projectKey,
      issueTypeId: fields.issueTypeId,
      summary: fields.summary,
      description: fields.description ?? null,
      statusId: "10000",
      assigneeAccountId: fields.assigneeAccountId ?? null,
      reporterAccountId: fields.reporterAccountId,
      labels: fields.labels ?? [],
      custom: fields.custom ?? {},
      created: at,
      updated: at,
      comments: [],
      properties: fields.properties ?? {},
    };
    this.issues.set(issue.id, issue);
    this.indexed(issue);
    return issue;
  }

  /** Applies `change` to the issue, stamps `updated` and queues the new version for search. */
  updateIssue(issue: StoredIssue, change: (issue: StoredIssue) => void): void {
    change(issue);
    issue.updated = Math.max(this.now(), issue.updated);
    this.indexed(issue);
  }

  /** A change search sees (a property set) that does not touch `updated`. */
  reindex(issue: StoredIssue): void {
    this.indexed(issue);
  }

  deleteIssue(issue: StoredIssue): void {
    this.issues.delete(issue.id);
    for (const [id, link] of this.links) {
      if (link.inwardIssueId === issue.id || link.outwardIssueId === issue.id) this.links.delete(id);
    }
    this.entries(issue.id).push({ visibleAt: this.now() + this.searchVisibilityLagMs, issue: "deleted" });
  }

  addComment(
    issue: StoredIssue,
    authorAccountId: string,
    body: unknown,
    properties: readonly { key: string; value: unknown }[] = [],
  ): StoredComment {
    const at = this.now();
    const comment: StoredComment = {
      id: String(this.nextCommentId++),
      authorAccountId,
      body,
      created: at,
      updated: at,
      properties: new Map(properties.map((property) => [property.key, property.value])),
    };
    this.updateIssue(issue, (i) => i.comments.push(comment));
    return comment;
  }

  addLink(typeId: string, inward: StoredIssue, outward: StoredIssue): StoredLink {
    const link: StoredLink = {
      id: String(this.nextLinkId++),
      typeId,
      inwardIssueId: inward.id,
      outwardIssueId: outward.id,
    };
    this.links.set(link.id, link);
    return link;
  }

  linksOf(issue: StoredIssue): StoredLink[] {
    return [...this.links.values()].filter(
      (l) => l.inwardIssueId === issue.id || l.outwardIssueId === issue.id,
    );
  }

  /** The issues search sees now: each as it was when its latest visible change reached the index. */
  searchable(): StoredIssue[] {
    const now = this.now();
    const out: StoredIssue[] = [];
    for (const entries of this.index.values()) {
      const visible = entries.filter((e) => e.visibleAt <= now).at(-1);
      if (visible && visible.issue !== "deleted") out.push(visible.issue);
    }
    return out;
  }

  private indexed(issue: StoredIssue): void {
    this.entries(issue.id).push({
      visibleAt: this.now() + this.searchVisibilityLagMs,
      issue: structuredClone(issue),
    });
  }

  private entries(id: string): IndexEntry[] {
    let entries = this.index.get(id);
    if (!entries) {
      entries = [];
      this.index.set(id, entries);
    }
    return entries;
  }
}

function randomHex(length: number): string {
  let out = "";
  while (out.length < length) out += Math.floor(Math.random() * 16).toString(16);
  return out;
}

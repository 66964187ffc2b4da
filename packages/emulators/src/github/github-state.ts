import { createHash } from "node:crypto";

/** A GitHub account: a user or an organization. */
export interface GithubAccount {
  login: string;
  id: number;
  type: "User" | "Organization";
  name: string;
  email: string | null;
  /** Organizations the user belongs to (repos of those count as the user's). */
  orgs: string[];
}

export interface GithubLabel {
  id: number;
  name: string;
  color: string;
  description: string | null;
}

export interface GithubMilestone {
  id: number;
  number: number;
  title: string;
  description: string | null;
  state: "open" | "closed";
  /** Login of the account that created it. */
  creator: string;
  dueOn: string | null;
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
}

export interface GithubComment {
  id: number;
  body: string;
  user: string;
  createdAt: string;
}

export interface GithubReaction {
  id: number;
  content: string;
  user: string;
  createdAt: string;
}

export interface GithubIssue {
  id: number;
  number: number;
  title: string;
  body: string | null;
  state: "open" | "closed";
  stateReason: string | null;
  user: string;
  labels: string[];
  assignees: string[];
  milestone: number | null;
  comments: GithubComment[];
  reactions: GithubReaction[];
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
  /** True for the issue half of a pull request (same number): on GitHub every pull request is an issue. */
  pull?: boolean;
}

/** An issue as opened (or a pull request's issue half): open, no labels, assignees, milestone, comments or reactions. */
export function openedIssue(
  opened: Pick<GithubIssue, "id" | "number" | "title" | "body" | "user" | "pull">,
  at: string,
): GithubIssue {
  return {
    ...opened,
    state: "open",
    stateReason: null,
    labels: [],
    assignees: [],
    milestone: null,
    comments: [],
    reactions: [],
    createdAt: at,
    updatedAt: at,
    closedAt: null,
  };
}

export interface GithubPull {
  id: number;
  number: number;
  title: string;
  body: string | null;
  state: "open" | "closed";
  draft: boolean;
  user: string;
  head: { owner: string; ref: string; sha: string };
  base: { ref: string; sha: string };
  merged: boolean;
  /** `null` until GitHub's background mergeability check ran (the first read after creation). */
  mergeable: boolean | null;
  mergedAt: string | null;
  mergeCommitSha: string | null;
  mergedBy: string | null;
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
}

export interface GithubHook {
  id: number;
  name: string;
  active: boolean;
  events: string[];
  config: Record<string, string | undefined>;
  createdAt: string;
}

/** One user's star on a repository. */
export interface GithubStar {
  login: string;
  starredAt: string;
}

export interface GithubWorkflow {
  id: number;
  name: string;
  path: string;
  state: "active" | "disabled_manually";
}

export interface GithubRepo {
  id: number;
  owner: string;
  name: string;
  private: boolean;
  description: string | null;
  defaultBranch: string;
  /** Full ref name (`refs/heads/main`) -> commit sha. */
  refs: Map<string, string>;
  /** Commit sha -> parent shas, so fast-forwards can be judged. */
  commits: Map<string, string[]>;
  /** Issues and the issue halves of pull requests, as GitHub's issue endpoints see them. */
  issues: GithubIssue[];
  pulls: GithubPull[];
  hooks: GithubHook[];
  /** Oldest first, as `GET /repos/{owner}/{repo}/stargazers` lists them. */
  stargazers: GithubStar[];
  labels: Map<string, GithubLabel>;
  milestones: GithubMilestone[];
  workflows: GithubWorkflow[];
  /** Issues and pull requests share one number sequence, as on GitHub. */
  nextNumber: number;
  createdAt: string;
}

/** A deterministic 40-hex commit sha for a seed string. */
export function shaOf(seed: string): string {
  return createHash("sha1").update(seed).digest("hex");
}

const LABEL_COLORS = ["d73a4a", "0075ca", "a2eeef", "7057ff", "008672", "e4e669", "cfd3d7"];

/** The emulator's data: accounts, repositories and everything in them. Plain state, no HTTP. */
export class GithubState {
  readonly accounts = new Map<string, GithubAccount>();
  readonly repos = new Map<string, GithubRepo>();
  /**
   * How long an edited issue stays out of `since` listings (`GET /repos/{owner}/{repo}/issues?since=`), as
   * GitHub's eventually consistent listings behave: a poller that sets its watermark to the newest item it saw
   * misses it unless it lists again with an overlap. New issues list at once. Default 0 (consistent).
   */
  sinceListingLagMs = 0;
  private nextId = 1000;

  constructor(private readonly now: () => number = Date.now) {
    this.seed();
  }

  /** Back to the seeded state, in place (routes and deliveries keep their reference): every change is forgotten. */
  reset(): void {
    this.accounts.clear();
    this.repos.clear();
    this.nextId = 1000;
    this.seed();
  }

  /** A fresh id for any object; GitHub ids are global integers. */
  id(): number {
    return this.nextId++;
  }

  timestamp(): string {
    // GitHub timestamps carry no milliseconds.
    return new Date(this.now()).toISOString().replace(/\.\d{3}Z$/, "Z");
  }

  /** Whether a `since` listing shows the issue now: a new one at once, an edited one `sinceListingLagMs` after the edit. */
  listedSince(issue: GithubIssue): boolean {
    return (
      issue.updatedAt === issue.createdAt ||
      Date.parse(issue.updatedAt) + this.sinceListingLagMs <= this.now()
    );
  }

  repo(owner: string, name: string): GithubRepo | undefined {
    return this.repos.get(`${owner}/${name}`.toLowerCase());
  }

  /** Repositories the user owns or reaches through an organization. */
  reposFor(login: string): GithubRepo[] {
    const account = this.accounts.get(login.toLowerCase());
    const owners = new Set([login.toLowerCase(), ...(account?.orgs ?? []).map((o) => o.toLowerCase())]);
    return [...this.repos.values()].filter((r) => owners.has(r.owner.toLowerCase()));
  }

  /** The label by name, created with a color on first use as GitHub does when labels are added. */
  label(repo: GithubRepo, name: string): GithubLabel {
    const key = name.toLowerCase();
    let label = repo.labels.get(key);
    if (!label) {
      label = {
        id: this.id(),
        name,
        color: LABEL_COLORS[repo.labels.size % LABEL_COLORS.length] ?? "ededed",
        description: null,
      };
      repo.labels.set(key, label);
    }
    return label;
  }

  /** Records a commit; returns its sha. */
  commit(repo: GithubRepo, seed: string, parents: string[]): string {
    const sha = shaOf(`${repo.owner}/${repo.name}:${seed}:${parents.join(",")}`);
    repo.commits.set(sha, parents);
    return sha;
  }

  /** Whether `ancestor` is `sha` or reachable from it through parents (a fast-forward from ancestor to sha). */
  isAncestor(repo: GithubRepo, ancestor: string, sha: string): boolean {
    const seen = new Set<string>();
    const stack = [sha];
    while (stack.length > 0) {
      const current = stack.pop() as string;
      if (current === ancestor) return true;
      if (seen.has(current)) continue;
      seen.add(current);
      stack.push(...(repo.commits.get(current) ?? []));
    }
    return false;
  }

  /** A new branch with one commit on top of the default branch (or `from`), e.g. to open a pull request from. */
  createBranch(repo: GithubRepo, branch: string, from: string = repo.defaultBranch): string {
    const base = repo.refs.get(`refs/heads/${from}`);
    if (!base) throw new Error(`no branch "${from}" in ${repo.owner}/${repo.name}`);
    if (repo.refs.has(`refs/heads/${branch}`)) throw new Error(`branch "${branch}" exists`);
    const sha = this.commit(repo, `work on ${branch}`, [base]);
    repo.refs.set(`refs/heads/${branch}`, sha);
    return sha;
  }

  addAccount(account: Omit<GithubAccount, "id" | "orgs"> & { orgs?: string[] }): GithubAccount {
    const created: GithubAccount = { ...account, id: this.id(), orgs: account.orgs ?? [] };
    this.accounts.set(account.login.toLowerCase(), created);
    return created;
  }

  addRepo(
    owner: string,
    name: string,
    options: { private?: boolean; description?: string } = {},
  ): GithubRepo {
    const repo: GithubRepo = {
      id: this.id(),
      owner,
      name,
      private: options.private ?? false,
      description: options.description ?? null,
      defaultBranch: "main",
      refs: new Map(),
      commits: new Map(),
      issues: [],
      pulls: [],
      hooks: [],
      stargazers: [],
      labels: new Map(),
      milestones: [],
      workflows: [],
      nextNumber: 1,
      createdAt: this.timestamp(),
    };
    const root = this.commit(repo, "initial commit", []);
    repo.refs.set("refs/heads/main", root);
    this.repos.set(`${owner}/${name}`.toLowerCase(), repo);
    return repo;
  }

  private seed(): void {
    this.addAccount({
      login: "octocat",
      type: "User",
      name: "The Octocat",
      email: "octocat@github.com",
      orgs: ["octo-org"],
    });
    this.addAccount({ login: "hubot", type: "User", name: "Hubot", email: null, orgs: ["octo-org"] });
    this.addAccount({ login: "octo-org", type: "Organization", name: "Octo Org", email: null });

    const hello = this.addRepo("octo-org", "hello", { description: "Hello from the GitHub emulator" });
    const main = hello.refs.get("refs/heads/main") as string;
    hello.refs.set("refs/heads/feature", this.commit(hello, "add a feature", [main]));
    for (const name of ["bug", "enhancement", "documentation"]) this.label(hello, name);
    const planned = this.timestamp();
    hello.milestones.push({
      id: this.id(),
      number: 1,
      title: "v1.0",
      description: "The first release",
      state: "open",
      creator: "octocat",
      dueOn: null,
      createdAt: planned,
      updatedAt: planned,
      closedAt: null,
    });
    hello.workflows.push({ id: this.id(), name: "CI", path: ".github/workflows/ci.yml", state: "active" });
    const opened = this.timestamp();
    hello.issues.push({
      id: this.id(),
      number: hello.nextNumber++,
      title: "Found a bug",
      body: "I'm having a problem with this.",
      state: "open",
      stateReason: null,
      user: "hubot",
      labels: ["bug"],
      assignees: ["octocat"],
      milestone: 1,
      comments: [],
      reactions: [],
      createdAt: opened,
      updatedAt: opened,
      closedAt: null,
    });

    this.addRepo("octocat", "Hello-World", { description: "My first repository on GitHub!" });
  }
}

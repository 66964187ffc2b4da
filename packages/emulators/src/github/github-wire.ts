import type { EmulatorResponse } from "../shared/types";
import type {
  GithubAccount,
  GithubComment,
  GithubHook,
  GithubIssue,
  GithubLabel,
  GithubPull,
  GithubReaction,
  GithubRepo,
  GithubState,
} from "./github-state";

const DOCS = "https://docs.github.com/rest";

/** Where the serialized objects point: the API base (`/api/v3` on GHES) and the web base. */
export interface Urls {
  api: string;
  web: string;
}

/** GitHub's JSON error answer: `{ message, documentation_url, status }`. */
export function githubError(
  status: number,
  message: string,
  extra: { headers?: Record<string, string>; errors?: unknown[]; documentationUrl?: string } = {},
): EmulatorResponse {
  return {
    status,
    ...(extra.headers && { headers: extra.headers }),
    body: {
      message,
      ...(extra.errors && { errors: extra.errors }),
      documentation_url: extra.documentationUrl ?? DOCS,
      status: String(status),
    },
  };
}

export const badCredentials = (): EmulatorResponse => githubError(401, "Bad credentials");
export const notFound = (): EmulatorResponse => githubError(404, "Not Found");

/** 422 with GitHub's `errors: [{ resource, field, code }]`. */
export function validationFailed(
  resource: string,
  field: string,
  code: string,
  message?: string,
): EmulatorResponse {
  return githubError(422, "Validation Failed", {
    errors: [{ resource, field, code, ...(message && { message }) }],
  });
}

/** 403 for a token that lacks the scope the endpoint needs. */
export function missingScope(accepted: string[]): EmulatorResponse {
  return githubError(403, "Resource not accessible by personal access token", {
    headers: { "x-accepted-oauth-scopes": accepted.join(", ") },
  });
}

/** The primary rate limit: 403 with the budget spent and when it resets. */
export function primaryRateLimited(limit: number, resetEpochSeconds: number): EmulatorResponse {
  return githubError(403, "API rate limit exceeded for user ID 1.", {
    headers: {
      "x-ratelimit-limit": String(limit),
      "x-ratelimit-remaining": "0",
      "x-ratelimit-used": String(limit),
      "x-ratelimit-reset": String(resetEpochSeconds),
      "x-ratelimit-resource": "core",
    },
    documentationUrl: `${DOCS}/overview/rate-limits-for-the-rest-api#about-primary-rate-limits`,
  });
}

/** A secondary rate limit: 403 or 429 with `retry-after`. */
export function secondaryRateLimited(status: 403 | 429, retryAfterSeconds: number): EmulatorResponse {
  return githubError(
    status,
    "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.",
    {
      headers: { "retry-after": String(retryAfterSeconds) },
      documentationUrl: `${DOCS}/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits`,
    },
  );
}

export function account(a: GithubAccount, urls: Urls) {
  return {
    login: a.login,
    id: a.id,
    node_id: nodeId(a.type === "User" ? "U" : "O", a.id),
    avatar_url: `${urls.web}/avatars/${a.login}`,
    gravatar_id: "",
    url: `${urls.api}/users/${a.login}`,
    html_url: `${urls.web}/${a.login}`,
    repos_url: `${urls.api}/users/${a.login}/repos`,
    type: a.type,
    site_admin: false,
  };
}

/** `GET /user`: the simple user plus profile fields. */
export function privateUser(a: GithubAccount, state: GithubState, urls: Urls) {
  const repos = state.reposFor(a.login);
  return {
    ...account(a, urls),
    name: a.name,
    company: null,
    blog: "",
    location: null,
    email: a.email,
    bio: null,
    public_repos: repos.filter((r) => !r.private).length,
    total_private_repos: repos.filter((r) => r.private).length,
    followers: 0,
    following: 0,
    created_at: "2011-01-25T18:44:36Z",
    updated_at: state.timestamp(),
  };
}

function ownerOf(state: GithubState, login: string, urls: Urls) {
  const found = state.accounts.get(login.toLowerCase());
  return found
    ? account(found, urls)
    : account({ login, id: 0, type: "User", name: login, email: null, orgs: [] }, urls);
}

export function repository(r: GithubRepo, state: GithubState, urls: Urls) {
  const full = `${r.owner}/${r.name}`;
  return {
    id: r.id,
    node_id: nodeId("R", r.id),
    name: r.name,
    full_name: full,
    private: r.private,
    owner: ownerOf(state, r.owner, urls),
    html_url: `${urls.web}/${full}`,
    description: r.description,
    fork: false,
    url: `${urls.api}/repos/${full}`,
    issues_url: `${urls.api}/repos/${full}/issues{/number}`,
    pulls_url: `${urls.api}/repos/${full}/pulls{/number}`,
    hooks_url: `${urls.api}/repos/${full}/hooks`,
    git_refs_url: `${urls.api}/repos/${full}/git/refs{/sha}`,
    clone_url: `${urls.web}/${full}.git`,
    default_branch: r.defaultBranch,
    visibility: r.private ? "private" : "public",
    open_issues_count:
      r.issues.filter((i) => i.state === "open").length + r.pulls.filter((p) => p.state === "open").length,
    stargazers_count: r.stargazers.length,
    watchers_count: r.stargazers.length,
    has_issues: true,
    archived: false,
    disabled: false,
    permissions: { admin: true, maintain: true, push: true, triage: true, pull: true },
    created_at: r.createdAt,
    updated_at: state.timestamp(),
    pushed_at: state.timestamp(),
  };
}

export function label(l: GithubLabel, r: GithubRepo, urls: Urls) {
  return {
    id: l.id,
    node_id: nodeId("LA", l.id),
    url: `${urls.api}/repos/${r.owner}/${r.name}/labels/${encodeURIComponent(l.name)}`,
    name: l.name,
    color: l.color,
    default: false,
    description: l.description,
  };
}

export function issue(i: GithubIssue, r: GithubRepo, state: GithubState, urls: Urls) {
  const base = `${urls.api}/repos/${r.owner}/${r.name}/issues/${i.number}`;
  const milestone = r.milestones.find((m) => m.number === i.milestone);
  const assignees = i.assignees.map((login) => ownerOf(state, login, urls));
  return {
    id: i.id,
    node_id: nodeId("I", i.id),
    url: base,
    repository_url: `${urls.api}/repos/${r.owner}/${r.name}`,
    labels_url: `${base}/labels{/name}`,
    comments_url: `${base}/comments`,
    events_url: `${base}/events`,
    html_url: `${urls.web}/${r.owner}/${r.name}/issues/${i.number}`,
    number: i.number,
    state: i.state,
    state_reason: i.stateReason,
    title: i.title,
    body: i.body,
    user: ownerOf(state, i.user, urls),
    labels: i.labels.map((name) => label(state.label(r, name), r, urls)),
    assignee: assignees[0] ?? null,
    assignees,
    milestone: milestone
      ? {
          id: milestone.id,
          node_id: nodeId("MI", milestone.id),
          number: milestone.number,
          title: milestone.title,
          state: milestone.state,
          url: `${urls.api}/repos/${r.owner}/${r.name}/milestones/${milestone.number}`,
        }
      : null,
    locked: false,
    active_lock_reason: null,
    comments: i.comments.length,
    closed_at: i.closedAt,
    created_at: i.createdAt,
    updated_at: i.updatedAt,
    author_association: "OWNER",
    reactions: reactionSummary(i.reactions, `${base}/reactions`),
  };
}

function reactionSummary(reactions: GithubReaction[], url: string) {
  const count = (content: string) => reactions.filter((r) => r.content === content).length;
  return {
    url,
    total_count: reactions.length,
    "+1": count("+1"),
    "-1": count("-1"),
    laugh: count("laugh"),
    hooray: count("hooray"),
    confused: count("confused"),
    heart: count("heart"),
    rocket: count("rocket"),
    eyes: count("eyes"),
  };
}

export function comment(c: GithubComment, i: GithubIssue, r: GithubRepo, state: GithubState, urls: Urls) {
  return {
    id: c.id,
    node_id: nodeId("IC", c.id),
    url: `${urls.api}/repos/${r.owner}/${r.name}/issues/comments/${c.id}`,
    html_url: `${urls.web}/${r.owner}/${r.name}/issues/${i.number}#issuecomment-${c.id}`,
    issue_url: `${urls.api}/repos/${r.owner}/${r.name}/issues/${i.number}`,
    body: c.body,
    user: ownerOf(state, c.user, urls),
    created_at: c.createdAt,
    updated_at: c.createdAt,
    author_association: "OWNER",
  };
}

export function reaction(x: GithubReaction, state: GithubState, urls: Urls) {
  return {
    id: x.id,
    node_id: nodeId("REA", x.id),
    user: ownerOf(state, x.user, urls),
    content: x.content,
    created_at: x.createdAt,
  };
}

export function pull(p: GithubPull, r: GithubRepo, state: GithubState, urls: Urls) {
  const full = `${r.owner}/${r.name}`;
  const url = `${urls.api}/repos/${full}/pulls/${p.number}`;
  const repo = repository(r, state, urls);
  return {
    id: p.id,
    node_id: nodeId("PR", p.id),
    url,
    html_url: `${urls.web}/${full}/pull/${p.number}`,
    diff_url: `${urls.web}/${full}/pull/${p.number}.diff`,
    patch_url: `${urls.web}/${full}/pull/${p.number}.patch`,
    issue_url: `${urls.api}/repos/${full}/issues/${p.number}`,
    number: p.number,
    state: p.state,
    locked: false,
    title: p.title,
    body: p.body,
    user: ownerOf(state, p.user, urls),
    labels: [],
    milestone: null,
    draft: p.draft,
    created_at: p.createdAt,
    updated_at: p.updatedAt,
    closed_at: p.closedAt,
    merged_at: p.mergedAt,
    merge_commit_sha: p.mergeCommitSha,
    assignee: null,
    assignees: [],
    requested_reviewers: [],
    head: {
      label: `${p.head.owner}:${p.head.ref}`,
      ref: p.head.ref,
      sha: p.head.sha,
      user: repo.owner,
      repo,
    },
    base: { label: `${r.owner}:${p.base.ref}`, ref: p.base.ref, sha: p.base.sha, user: repo.owner, repo },
    author_association: "OWNER",
    merged: p.merged,
    mergeable: p.state === "open" ? true : null,
    mergeable_state: p.state === "open" ? "clean" : "unknown",
    merged_by: p.mergedBy ? ownerOf(state, p.mergedBy, urls) : null,
    comments: 0,
    commits: 1,
    additions: 1,
    deletions: 0,
    changed_files: 1,
  };
}

export function hook(h: GithubHook, r: GithubRepo, urls: Urls) {
  const url = `${urls.api}/repos/${r.owner}/${r.name}/hooks/${h.id}`;
  const { secret, ...config } = h.config;
  return {
    type: "Repository",
    id: h.id,
    name: h.name,
    active: h.active,
    events: h.events,
    // GitHub never echoes a webhook secret back.
    config: { ...config, ...(secret !== undefined && { secret: "********" }) },
    updated_at: h.createdAt,
    created_at: h.createdAt,
    url,
    test_url: `${url}/test`,
    ping_url: `${url}/pings`,
    deliveries_url: `${url}/deliveries`,
    last_response: { code: null, status: "unused", message: null },
  };
}

export function gitRef(ref: string, sha: string, r: GithubRepo, urls: Urls) {
  return {
    ref,
    node_id: nodeId("REF", Number.parseInt(sha.slice(0, 8), 16)),
    url: `${urls.api}/repos/${r.owner}/${r.name}/git/${ref}`,
    object: { type: "commit", sha, url: `${urls.api}/repos/${r.owner}/${r.name}/git/commits/${sha}` },
  };
}

function nodeId(kind: string, id: number): string {
  return Buffer.from(`${kind}_${id}`).toString("base64url");
}

import type { GithubPull, GithubRepo, GithubState } from "../github-state";
import { nodeId, ownerOf, type Urls } from "./accounts";
import { label, milestone } from "./issues";
import { repository } from "./repository";

export function pull(p: GithubPull, r: GithubRepo, state: GithubState, urls: Urls) {
  const full = `${r.owner}/${r.name}`;
  const url = `${urls.api}/repos/${full}/pulls/${p.number}`;
  const issueUrl = `${urls.api}/repos/${full}/issues/${p.number}`;
  const statusesUrl = `${urls.api}/repos/${full}/statuses/${p.head.sha}`;
  const htmlUrl = `${urls.web}/${full}/pull/${p.number}`;
  const repo = repository(r, state, urls);
  // A pull request is an issue: labels, assignees, milestone and comments live on its issue half.
  const asIssue = r.issues.find((i) => i.pull && i.number === p.number);
  const assignees = (asIssue?.assignees ?? []).map((login) => ownerOf(state, login, urls));
  const found = r.milestones.find((m) => m.number === asIssue?.milestone);
  // GitHub computes mergeability in the background: `null` until a read after creation, and after closing.
  const mergeable = p.state === "open" ? p.mergeable : null;
  return {
    id: p.id,
    node_id: nodeId("PR", p.id),
    url,
    html_url: htmlUrl,
    diff_url: `${htmlUrl}.diff`,
    patch_url: `${htmlUrl}.patch`,
    issue_url: issueUrl,
    commits_url: `${url}/commits`,
    review_comments_url: `${url}/comments`,
    review_comment_url: `${urls.api}/repos/${full}/pulls/comments{/number}`,
    comments_url: `${issueUrl}/comments`,
    statuses_url: statusesUrl,
    number: p.number,
    state: p.state,
    locked: false,
    title: p.title,
    body: p.body,
    user: ownerOf(state, p.user, urls),
    labels: (asIssue?.labels ?? []).map((name) => label(state.label(r, name), r, urls)),
    milestone: found ? milestone(found, r, state, urls) : null,
    active_lock_reason: null,
    draft: p.draft,
    created_at: p.createdAt,
    updated_at: p.updatedAt,
    closed_at: p.closedAt,
    merged_at: p.mergedAt,
    merge_commit_sha: p.mergeCommitSha,
    assignee: assignees[0] ?? null,
    assignees,
    requested_reviewers: [],
    requested_teams: [],
    head: {
      label: `${p.head.owner}:${p.head.ref}`,
      ref: p.head.ref,
      sha: p.head.sha,
      user: repo.owner,
      repo,
    },
    base: { label: `${r.owner}:${p.base.ref}`, ref: p.base.ref, sha: p.base.sha, user: repo.owner, repo },
    _links: {
      self: { href: url },
      html: { href: htmlUrl },
      issue: { href: issueUrl },
      comments: { href: `${issueUrl}/comments` },
      review_comments: { href: `${url}/comments` },
      review_comment: { href: `${urls.api}/repos/${full}/pulls/comments{/number}` },
      commits: { href: `${url}/commits` },
      statuses: { href: statusesUrl },
    },
    author_association: "OWNER",
    auto_merge: null,
    merged: p.merged,
    mergeable,
    rebaseable: mergeable,
    mergeable_state: mergeable === null ? "unknown" : "clean",
    merged_by: p.mergedBy ? ownerOf(state, p.mergedBy, urls) : null,
    comments: asIssue?.comments.length ?? 0,
    review_comments: 0,
    maintainer_can_modify: false,
    commits: 1,
    additions: 1,
    deletions: 0,
    changed_files: 1,
  };
}

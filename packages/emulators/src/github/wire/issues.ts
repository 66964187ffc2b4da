import type {
  GithubComment,
  GithubIssue,
  GithubLabel,
  GithubMilestone,
  GithubReaction,
  GithubRepo,
  GithubState,
} from "../github-state";
import { nodeId, ownerOf, type Urls } from "./accounts";

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

export function milestone(m: GithubMilestone, r: GithubRepo, state: GithubState, urls: Urls) {
  const url = `${urls.api}/repos/${r.owner}/${r.name}/milestones/${m.number}`;
  const issues = r.issues.filter((i) => i.milestone === m.number);
  return {
    url,
    html_url: `${urls.web}/${r.owner}/${r.name}/milestone/${m.number}`,
    labels_url: `${url}/labels`,
    id: m.id,
    node_id: nodeId("MI", m.id),
    number: m.number,
    state: m.state,
    title: m.title,
    description: m.description,
    creator: ownerOf(state, m.creator, urls),
    open_issues: issues.filter((i) => i.state === "open").length,
    closed_issues: issues.filter((i) => i.state === "closed").length,
    created_at: m.createdAt,
    updated_at: m.updatedAt,
    closed_at: m.closedAt,
    due_on: m.dueOn,
  };
}

export function issue(i: GithubIssue, r: GithubRepo, state: GithubState, urls: Urls) {
  const full = `${r.owner}/${r.name}`;
  const base = `${urls.api}/repos/${full}/issues/${i.number}`;
  const found = r.milestones.find((m) => m.number === i.milestone);
  const assignees = i.assignees.map((login) => ownerOf(state, login, urls));
  const pull = i.pull ? r.pulls.find((p) => p.number === i.number) : undefined;
  return {
    id: i.id,
    node_id: nodeId("I", i.id),
    url: base,
    repository_url: `${urls.api}/repos/${full}`,
    labels_url: `${base}/labels{/name}`,
    comments_url: `${base}/comments`,
    events_url: `${base}/events`,
    html_url: `${urls.web}/${full}/${pull ? "pull" : "issues"}/${i.number}`,
    number: i.number,
    state: i.state,
    state_reason: i.stateReason,
    title: i.title,
    body: i.body,
    user: ownerOf(state, i.user, urls),
    labels: i.labels.map((name) => label(state.label(r, name), r, urls)),
    assignee: assignees[0] ?? null,
    assignees,
    milestone: found ? milestone(found, r, state, urls) : null,
    locked: false,
    active_lock_reason: null,
    comments: i.comments.length,
    // The key that tells a pull request from an issue in issue answers and lists.
    ...(pull && {
      pull_request: {
        url: `${urls.api}/repos/${full}/pulls/${i.number}`,
        html_url: `${urls.web}/${full}/pull/${i.number}`,
        diff_url: `${urls.web}/${full}/pull/${i.number}.diff`,
        patch_url: `${urls.web}/${full}/pull/${i.number}.patch`,
        merged_at: pull.mergedAt,
      },
    }),
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
    html_url: `${urls.web}/${r.owner}/${r.name}/${i.pull ? "pull" : "issues"}/${i.number}#issuecomment-${c.id}`,
    issue_url: `${urls.api}/repos/${r.owner}/${r.name}/issues/${i.number}`,
    body: c.body,
    user: ownerOf(state, c.user, urls),
    created_at: c.createdAt,
    updated_at: c.createdAt,
    author_association: "OWNER",
    performed_via_github_app: null,
    reactions: reactionSummary(
      [],
      `${urls.api}/repos/${r.owner}/${r.name}/issues/comments/${c.id}/reactions`,
    ),
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

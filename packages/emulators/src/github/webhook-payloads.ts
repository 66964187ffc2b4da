import type {
  GithubAccount,
  GithubComment,
  GithubHook,
  GithubIssue,
  GithubPull,
  GithubRepo,
  GithubState,
} from "./github-state";
import { account, comment, hook, issue, pull, repository, type Urls } from "./github-wire";

/** What every payload builder needs: the state, who acted, and where URLs point. */
export interface PayloadContext {
  state: GithubState;
  user: GithubAccount;
  urls: Urls;
}

type Payload = Record<string, unknown>;

const ZEN = "Design for failure.";

/** `repository`, `sender`, and `organization` when an organization owns the repository: in every repository event. */
function envelope(repo: GithubRepo, { state, user, urls }: PayloadContext): Payload {
  const owner = state.accounts.get(repo.owner.toLowerCase());
  return {
    repository: repository(repo, state, urls),
    ...(owner?.type === "Organization" && {
      organization: {
        login: owner.login,
        id: owner.id,
        node_id: account(owner, urls).node_id,
        url: `${urls.api}/orgs/${owner.login}`,
        repos_url: `${urls.api}/orgs/${owner.login}/repos`,
        events_url: `${urls.api}/orgs/${owner.login}/events`,
        hooks_url: `${urls.api}/orgs/${owner.login}/hooks`,
        issues_url: `${urls.api}/orgs/${owner.login}/issues`,
        members_url: `${urls.api}/orgs/${owner.login}/members{/member}`,
        public_members_url: `${urls.api}/orgs/${owner.login}/public_members{/member}`,
        avatar_url: account(owner, urls).avatar_url,
        description: null,
      },
    }),
    sender: account(user, urls),
  };
}

/** `issues`: opened, edited (with `changes`), closed, reopened. */
export function issuesPayload(
  action: "opened" | "edited" | "closed" | "reopened",
  found: GithubIssue,
  repo: GithubRepo,
  context: PayloadContext,
  changes?: Payload,
): Payload {
  return {
    action,
    issue: issue(found, repo, context.state, context.urls),
    ...(changes && { changes }),
    ...envelope(repo, context),
  };
}

/** `issue_comment` created. */
export function issueCommentPayload(
  created: GithubComment,
  found: GithubIssue,
  repo: GithubRepo,
  context: PayloadContext,
): Payload {
  return {
    action: "created",
    issue: issue(found, repo, context.state, context.urls),
    comment: comment(created, found, repo, context.state, context.urls),
    ...envelope(repo, context),
  };
}

/** `pull_request` opened or closed (a merge is `closed` with `pull_request.merged: true`). */
export function pullRequestPayload(
  action: "opened" | "closed",
  found: GithubPull,
  repo: GithubRepo,
  context: PayloadContext,
): Payload {
  return {
    action,
    number: found.number,
    pull_request: pull(found, repo, context.state, context.urls),
    ...envelope(repo, context),
  };
}

const ZERO_SHA = "0".repeat(40);

function epochSeconds(iso: string): number {
  return Math.floor(Date.parse(iso) / 1000);
}

/** `push`: a ref created, moved or deleted (`before`/`after` all zeros for a created/deleted ref). */
export function pushPayload(
  ref: string,
  before: string | undefined,
  after: string | undefined,
  repo: GithubRepo,
  context: PayloadContext,
  forced = false,
): Payload {
  const { user, urls } = context;
  const full = `${repo.owner}/${repo.name}`;
  const from = before ?? ZERO_SHA;
  const to = after ?? ZERO_SHA;
  const person = { name: user.login, email: user.email, username: user.login };
  const headCommit = after
    ? {
        id: after,
        tree_id: after.split("").reverse().join(""),
        distinct: true,
        message: `Update ${ref.replace(/^refs\/(heads|tags)\//, "")}`,
        timestamp: context.state.timestamp(),
        url: `${urls.web}/${full}/commit/${after}`,
        author: person,
        committer: person,
        added: [],
        removed: [],
        modified: [],
      }
    : null;
  return {
    ref,
    before: from,
    after: to,
    created: before === undefined,
    deleted: after === undefined,
    forced,
    base_ref: null,
    compare: `${urls.web}/${full}/compare/${from.slice(0, 12)}...${to.slice(0, 12)}`,
    commits: headCommit ? [headCommit] : [],
    head_commit: headCommit,
    pusher: { name: user.login, email: user.email },
    ...envelope(repo, context),
    // `push` alone among GitHub's events dates its repository in Unix seconds, not ISO 8601.
    repository: {
      ...repository(repo, context.state, urls),
      created_at: epochSeconds(repo.createdAt),
      pushed_at: epochSeconds(context.state.timestamp()),
    },
  };
}

/** `ping`: sent to a hook when it is created. */
export function pingPayload(created: GithubHook, repo: GithubRepo, context: PayloadContext): Payload {
  return {
    zen: ZEN,
    hook_id: created.id,
    hook: hook(created, repo, context.urls),
    ...envelope(repo, context),
  };
}

/** `star` created (with `starred_at`) or deleted (`starred_at: null`). */
export function starPayload(
  action: "created" | "deleted",
  starredAt: string | null,
  repo: GithubRepo,
  context: PayloadContext,
): Payload {
  return { action, starred_at: starredAt, ...envelope(repo, context) };
}

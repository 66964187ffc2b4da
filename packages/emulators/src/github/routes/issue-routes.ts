import type { EmulatorRequest, EmulatorResponse } from "../../shared/types";
import type { ApiContext, ApiRegistrar } from "../api-context";
import { type GithubIssue, type GithubRepo, type GithubState, openedIssue } from "../github-state";
import { comment, issue, label, notFound, reaction, validationFailed } from "../github-wire";
import { paginate } from "../paginate";
import { issueCommentPayload, issuesPayload } from "../webhook-payloads";
import { bodyOf, inRepo, issueOf } from "./repo-lookup";

const REPO_SCOPES = ["repo", "public_repo"];
const REACTIONS = ["+1", "-1", "laugh", "confused", "heart", "hooray", "rocket", "eyes"];

/** Issues, their comments, labels and reactions. */
export function registerIssueRoutes(api: ApiRegistrar): void {
  api(
    "POST",
    "/repos/:owner/:repo/issues",
    REPO_SCOPES,
    inRepo((request, context, repo) => {
      const body = bodyOf(request);
      if (typeof body.title !== "string" && typeof body.title !== "number") {
        return validationFailed("Issue", "title", "missing_field");
      }
      const invalid = validateFields(body, context, repo);
      if (invalid) return invalid;
      const now = context.state.timestamp();
      const created = openedIssue(
        {
          id: context.state.id(),
          number: repo.nextNumber++,
          title: String(body.title),
          body: typeof body.body === "string" ? body.body : null,
          user: context.user.login,
        },
        now,
      );
      applyFields(created, body, context, repo);
      repo.issues.push(created);
      context.webhooks.emit(repo, "issues", issuesPayload("opened", created, repo, context));
      return { status: 201, body: issue(created, repo, context.state, context.urls) };
    }),
  );

  api(
    "GET",
    "/repos/:owner/:repo/issues",
    [],
    inRepo((request, { state, urls }, repo) =>
      paginate(
        filterIssues(repo.issues, request, state).map((i) => issue(i, repo, state, urls)),
        request,
        `${urls.api}/repos/${repo.owner}/${repo.name}/issues`,
      ),
    ),
  );

  api("GET", "/issues", REPO_SCOPES, (request, { state, user, urls }) => {
    const filter = request.query.get("filter") ?? "assigned";
    const found = state.reposFor(user.login).flatMap((repo) =>
      filterIssues(repo.issues, request, state)
        .filter(
          (i) =>
            filter === "all" ||
            (filter === "created" ? i.user === user.login : i.assignees.includes(user.login)),
        )
        .map((i) => issue(i, repo, state, urls)),
    );
    return paginate(found, request, `${urls.api}/issues`);
  });

  api(
    "GET",
    "/repos/:owner/:repo/issues/:number",
    [],
    inRepo((request, { state, urls }, repo) => {
      const found = issueOf(repo, request);
      return found ? { body: issue(found, repo, state, urls) } : notFound();
    }),
  );

  api(
    "PATCH",
    "/repos/:owner/:repo/issues/:number",
    REPO_SCOPES,
    inRepo((request, context, repo) => {
      const found = issueOf(repo, request);
      if (!found) return notFound();
      const body = bodyOf(request);
      if ("title" in body && (typeof body.title !== "string" || body.title === "")) {
        return validationFailed("Issue", "title", "missing_field");
      }
      if ("state" in body && body.state !== "open" && body.state !== "closed") {
        return validationFailed("Issue", "state", "invalid");
      }
      const invalid = validateFields(body, context, repo);
      if (invalid) return invalid;
      const before = { title: found.title, body: found.body, state: found.state };
      if (typeof body.title === "string") found.title = body.title;
      if ("body" in body) found.body = typeof body.body === "string" ? body.body : null;
      if (body.state === "closed" && found.state === "open") {
        found.state = "closed";
        found.closedAt = context.state.timestamp();
        found.stateReason = typeof body.state_reason === "string" ? body.state_reason : "completed";
      } else if (body.state === "open" && found.state === "closed") {
        found.state = "open";
        found.closedAt = null;
        found.stateReason = "reopened";
      }
      applyFields(found, body, context, repo);
      found.updatedAt = context.state.timestamp();
      // Closing or reopening a pull request's issue half closes or reopens the pull request.
      const asPull = found.pull ? repo.pulls.find((p) => p.number === found.number) : undefined;
      if (asPull && !asPull.merged && asPull.state !== found.state) {
        Object.assign(asPull, { state: found.state, closedAt: found.closedAt, updatedAt: found.updatedAt });
      }
      // GitHub sends one delivery per change: `edited` for title/body, then `closed` or `reopened`.
      const changes = {
        ...(found.title !== before.title && { title: { from: before.title } }),
        ...(found.body !== before.body && { body: { from: before.body ?? "" } }),
      };
      // GitHub announces changes to a pull request as `pull_request` events, never `issues`.
      if (found.pull) return { body: issue(found, repo, context.state, context.urls) };
      if (Object.keys(changes).length > 0) {
        context.webhooks.emit(repo, "issues", issuesPayload("edited", found, repo, context, changes));
      }
      if (found.state !== before.state) {
        const action = found.state === "closed" ? "closed" : "reopened";
        context.webhooks.emit(repo, "issues", issuesPayload(action, found, repo, context));
      }
      return { body: issue(found, repo, context.state, context.urls) };
    }),
  );

  api(
    "POST",
    "/repos/:owner/:repo/issues/:number/comments",
    REPO_SCOPES,
    inRepo((request, context, repo) => {
      const found = issueOf(repo, request);
      if (!found) return notFound();
      const body = bodyOf(request);
      if (typeof body.body !== "string" || body.body === "") {
        return validationFailed("IssueComment", "body", "missing_field");
      }
      const created = {
        id: context.state.id(),
        body: body.body,
        user: context.user.login,
        createdAt: context.state.timestamp(),
      };
      found.comments.push(created);
      found.updatedAt = created.createdAt;
      context.webhooks.emit(repo, "issue_comment", issueCommentPayload(created, found, repo, context));
      return { status: 201, body: comment(created, found, repo, context.state, context.urls) };
    }),
  );

  api(
    "GET",
    "/repos/:owner/:repo/issues/:number/comments",
    [],
    inRepo((request, { state, urls }, repo) => {
      const found = issueOf(repo, request);
      if (!found) return notFound();
      // `since`: comments updated at or after it (the emulator's comments are never edited).
      const since = request.query.get("since");
      return paginate(
        found.comments
          .filter((c) => !since || c.createdAt >= since)
          .map((c) => comment(c, found, repo, state, urls)),
        request,
        `${urls.api}/repos/${repo.owner}/${repo.name}/issues/${found.number}/comments`,
      );
    }),
  );

  api(
    "POST",
    "/repos/:owner/:repo/issues/:number/labels",
    REPO_SCOPES,
    inRepo((request, { state, urls }, repo) => {
      const found = issueOf(repo, request);
      if (!found) return notFound();
      // GitHub takes `{ labels: [...] }`, a bare array, or `{ labels: [{ name }] }`.
      const raw = Array.isArray(request.body) ? request.body : bodyOf(request).labels;
      if (!Array.isArray(raw) || raw.length === 0)
        return validationFailed("Label", "labels", "missing_field");
      for (const entry of raw) {
        const name = typeof entry === "object" && entry !== null ? (entry as { name?: unknown }).name : entry;
        if (typeof name !== "string" || name === "") return validationFailed("Label", "name", "invalid");
        const canonical = state.label(repo, name).name;
        if (!found.labels.includes(canonical)) found.labels.push(canonical);
      }
      found.updatedAt = state.timestamp();
      return { body: found.labels.map((name) => label(state.label(repo, name), repo, urls)) };
    }),
  );

  api(
    "POST",
    "/repos/:owner/:repo/issues/:number/reactions",
    REPO_SCOPES,
    inRepo((request, { state, user, urls }, repo) => {
      const found = issueOf(repo, request);
      if (!found) return notFound();
      const content = bodyOf(request).content;
      if (typeof content !== "string" || !REACTIONS.includes(content)) {
        return validationFailed("Reaction", "content", "invalid");
      }
      // One reaction per user and content: a repeat answers 200 with the existing one.
      const existing = found.reactions.find((r) => r.user === user.login && r.content === content);
      if (existing) return { status: 200, body: reaction(existing, state, urls) };
      const created = { id: state.id(), content, user: user.login, createdAt: state.timestamp() };
      found.reactions.push(created);
      return { status: 201, body: reaction(created, state, urls) };
    }),
  );

  api(
    "GET",
    "/repos/:owner/:repo/issues/:number/reactions",
    [],
    inRepo((request, { state, urls }, repo) => {
      const found = issueOf(repo, request);
      if (!found) return notFound();
      const content = request.query.get("content");
      return paginate(
        found.reactions.filter((r) => !content || r.content === content).map((r) => reaction(r, state, urls)),
        request,
        `${urls.api}/repos/${repo.owner}/${repo.name}/issues/${found.number}/reactions`,
      );
    }),
  );
}

/**
 * `state` (open, closed, all; default open), `labels` (comma-separated, all must match), `creator`, `since`
 * (updated at or after, eventually consistent: `GithubState.sinceListingLagMs`), `sort` (created, the default,
 * or updated) and `direction`.
 */
function filterIssues(issues: GithubIssue[], request: EmulatorRequest, github: GithubState): GithubIssue[] {
  const state = request.query.get("state") ?? "open";
  const labels = (request.query.get("labels") ?? "")
    .split(",")
    .map((l) => l.trim().toLowerCase())
    .filter(Boolean);
  const ascending = request.query.get("direction") === "asc";
  const creator = request.query.get("creator")?.toLowerCase();
  const since = request.query.get("since");
  const byUpdate = request.query.get("sort") === "updated";
  const order = (a: GithubIssue, b: GithubIssue) =>
    byUpdate ? a.updatedAt.localeCompare(b.updatedAt) || a.number - b.number : a.number - b.number;
  return issues
    .filter((i) => state === "all" || i.state === state)
    .filter((i) => labels.every((wanted) => i.labels.some((l) => l.toLowerCase() === wanted)))
    .filter((i) => !creator || i.user.toLowerCase() === creator)
    .filter((i) => !since || (i.updatedAt >= since && github.listedSince(i)))
    .sort((a, b) => (ascending ? order(a, b) : order(b, a)));
}

/** 422s for assignees GitHub does not know and milestones the repository lacks. */
function validateFields(
  body: Record<string, unknown>,
  context: ApiContext,
  repo: GithubRepo,
): EmulatorResponse | undefined {
  const assignees = [
    ...(Array.isArray(body.assignees) ? body.assignees : []),
    ...(body.assignee ? [body.assignee] : []),
  ];
  for (const login of assignees) {
    if (typeof login !== "string" || !context.state.accounts.has(login.toLowerCase())) {
      return validationFailed("Issue", "assignees", "invalid");
    }
  }
  if (body.milestone !== undefined && body.milestone !== null) {
    if (!repo.milestones.some((m) => m.number === Number(body.milestone))) {
      return validationFailed("Issue", "milestone", "invalid");
    }
  }
  return undefined;
}

/** Labels, assignees and milestone from a create or update body (already validated). */
function applyFields(
  target: GithubIssue,
  body: Record<string, unknown>,
  context: ApiContext,
  repo: GithubRepo,
): void {
  if (Array.isArray(body.labels)) {
    target.labels = body.labels.map((entry) => {
      const name =
        typeof entry === "object" && entry !== null
          ? String((entry as { name?: unknown }).name)
          : String(entry);
      return context.state.label(repo, name).name;
    });
  }
  if (Array.isArray(body.assignees)) target.assignees = body.assignees.map(String);
  else if (typeof body.assignee === "string") target.assignees = [body.assignee];
  if ("milestone" in body) target.milestone = body.milestone === null ? null : Number(body.milestone);
}

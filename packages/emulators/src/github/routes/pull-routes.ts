import type { ApiRegistrar } from "../api-context";
import { type GithubPull, openedIssue } from "../github-state";
import { githubError, notFound, pull, validationFailed } from "../github-wire";
import { paginate } from "../paginate";
import { pullRequestPayload, pushPayload } from "../webhook-payloads";
import { bodyOf, inRepo } from "./repo-lookup";

const REPO_SCOPES = ["repo", "public_repo"];

/** Pull requests: create from existing branches, read, list, merge. */
export function registerPullRoutes(api: ApiRegistrar): void {
  api(
    "POST",
    "/repos/:owner/:repo/pulls",
    REPO_SCOPES,
    inRepo((request, context, repo) => {
      const { state, user, urls } = context;
      const body = bodyOf(request);
      if (typeof body.title !== "string" || body.title === "") {
        return validationFailed("PullRequest", "title", "missing_field");
      }
      if (typeof body.head !== "string") return validationFailed("PullRequest", "head", "missing_field");
      if (typeof body.base !== "string") return validationFailed("PullRequest", "base", "missing_field");
      // `head` may name a fork's branch as `owner:branch`; the emulator has no forks, only the owner's own.
      const [headOwner, headRef] = body.head.includes(":")
        ? body.head.split(":", 2)
        : [repo.owner, body.head];
      const headSha =
        headOwner?.toLowerCase() === repo.owner.toLowerCase()
          ? repo.refs.get(`refs/heads/${headRef}`)
          : undefined;
      if (!headSha || !headRef) return validationFailed("PullRequest", "head", "invalid");
      const baseSha = repo.refs.get(`refs/heads/${body.base}`);
      if (!baseSha) return validationFailed("PullRequest", "base", "invalid");
      if (repo.pulls.some((p) => p.state === "open" && p.head.ref === headRef && p.base.ref === body.base)) {
        return validationFailed(
          "PullRequest",
          "head",
          "custom",
          `A pull request already exists for ${repo.owner}:${headRef}.`,
        );
      }
      if (state.isAncestor(repo, headSha, baseSha)) {
        return validationFailed(
          "PullRequest",
          "head",
          "custom",
          `No commits between ${body.base} and ${headRef}`,
        );
      }
      const now = state.timestamp();
      const created: GithubPull = {
        id: state.id(),
        number: repo.nextNumber++,
        title: body.title,
        body: typeof body.body === "string" ? body.body : null,
        state: "open",
        draft: body.draft === true,
        user: user.login,
        head: { owner: repo.owner, ref: headRef, sha: headSha },
        base: { ref: body.base, sha: baseSha },
        merged: false,
        mergeable: null,
        mergedAt: null,
        mergeCommitSha: null,
        mergedBy: null,
        createdAt: now,
        updatedAt: now,
        closedAt: null,
      };
      repo.pulls.push(created);
      // Its issue half: the same number answers on the issue endpoints (comments, labels, reactions).
      repo.issues.push(
        openedIssue(
          {
            id: created.id,
            number: created.number,
            title: created.title,
            body: created.body,
            user: user.login,
            pull: true,
          },
          now,
        ),
      );
      context.webhooks.emit(repo, "pull_request", pullRequestPayload("opened", created, repo, context));
      return { status: 201, body: pull(created, repo, state, urls) };
    }),
  );

  api(
    "GET",
    "/repos/:owner/:repo/pulls",
    [],
    inRepo((request, { state, urls }, repo) => {
      const wanted = request.query.get("state") ?? "open";
      const base = request.query.get("base");
      const head = request.query.get("head");
      const found = repo.pulls
        .filter((p) => wanted === "all" || p.state === wanted)
        .filter((p) => !base || p.base.ref === base)
        .filter((p) => !head || `${p.head.owner}:${p.head.ref}` === head)
        .sort((a, b) => b.number - a.number);
      return paginate(
        found.map((p) => pull(p, repo, state, urls)),
        request,
        `${urls.api}/repos/${repo.owner}/${repo.name}/pulls`,
      );
    }),
  );

  api(
    "GET",
    "/repos/:owner/:repo/pulls/:number",
    [],
    inRepo((request, { state, urls }, repo) => {
      const found = repo.pulls.find((p) => p.number === Number(request.params.number));
      if (!found) return notFound();
      // The background mergeability check has run by the time anyone reads the pull request again.
      if (found.state === "open" && found.mergeable === null) found.mergeable = true;
      return { body: pull(found, repo, state, urls) };
    }),
  );

  api(
    "PUT",
    "/repos/:owner/:repo/pulls/:number/merge",
    REPO_SCOPES,
    inRepo((request, context, repo) => {
      const { state, user } = context;
      const found = repo.pulls.find((p) => p.number === Number(request.params.number));
      if (!found) return notFound();
      if (found.state !== "open") return githubError(405, "Pull Request is not mergeable");
      const body = bodyOf(request);
      const headSha = repo.refs.get(`refs/heads/${found.head.ref}`) ?? found.head.sha;
      if (typeof body.sha === "string" && body.sha !== headSha) {
        return githubError(409, "Head branch was modified. Review and try the merge again.");
      }
      const method = typeof body.merge_method === "string" ? body.merge_method : "merge";
      if (!["merge", "squash", "rebase"].includes(method)) {
        return validationFailed("PullRequest", "merge_method", "invalid");
      }
      const baseRef = `refs/heads/${found.base.ref}`;
      const baseSha = repo.refs.get(baseRef) ?? found.base.sha;
      const sha = state.commit(repo, `merge #${found.number} (${method})`, [baseSha, headSha]);
      repo.refs.set(baseRef, sha);
      const now = state.timestamp();
      Object.assign(found, {
        state: "closed",
        merged: true,
        mergedAt: now,
        closedAt: now,
        updatedAt: now,
        mergeCommitSha: sha,
        mergedBy: user.login,
      });
      const asIssue = repo.issues.find((i) => i.pull && i.number === found.number);
      if (asIssue)
        Object.assign(asIssue, { state: "closed", stateReason: null, closedAt: now, updatedAt: now });
      context.webhooks.emit(repo, "push", pushPayload(baseRef, baseSha, sha, repo, context));
      context.webhooks.emit(repo, "pull_request", pullRequestPayload("closed", found, repo, context));
      return { body: { sha, merged: true, message: "Pull Request successfully merged" } };
    }),
  );
}

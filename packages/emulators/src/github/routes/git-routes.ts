import type { EmulatorRequest, EmulatorResponse } from "../../shared/types";
import type { ApiContext, ApiRegistrar } from "../api-context";
import type { GithubRepo } from "../github-state";
import { githubError, gitRef, notFound } from "../github-wire";
import { pushPayload } from "../webhook-payloads";
import { bodyOf, inRepo } from "./repo-lookup";

const REPO_SCOPES = ["repo", "public_repo"];

/** Git references: read one, create one, move one (fast-forward unless forced). */
export function registerGitRoutes(api: ApiRegistrar): void {
  // Octokit sends `heads/main` as one encoded segment (`heads%2Fmain`); curl users send two.
  for (const path of ["/repos/:owner/:repo/git/ref/:ref", "/repos/:owner/:repo/git/ref/:kind/:name"]) {
    api("GET", path, [], inRepo(getRef));
  }

  api(
    "POST",
    "/repos/:owner/:repo/git/refs",
    REPO_SCOPES,
    inRepo((request, context, repo) => {
      const body = bodyOf(request);
      if (typeof body.ref !== "string" || !/^refs\/[^/]+\/.+/.test(body.ref)) {
        return githubError(422, "Reference name must start with 'refs/' and have at least two slashes.");
      }
      if (typeof body.sha !== "string" || !repo.commits.has(body.sha)) {
        return githubError(422, "Object does not exist");
      }
      if (repo.refs.has(body.ref)) return githubError(422, "Reference already exists");
      repo.refs.set(body.ref, body.sha);
      context.webhooks.emit(repo, "push", pushPayload(body.ref, undefined, body.sha, repo, context));
      return { status: 201, body: gitRef(body.ref, body.sha, repo, context.urls) };
    }),
  );

  for (const path of ["/repos/:owner/:repo/git/refs/:ref", "/repos/:owner/:repo/git/refs/:kind/:name"]) {
    api(
      "PATCH",
      path,
      REPO_SCOPES,
      inRepo((request, context, repo) => updateRef(request, context, repo)),
    );
  }
}

function refName(request: EmulatorRequest): string {
  const { ref, kind, name } = request.params;
  return `refs/${ref ?? `${kind}/${name}`}`;
}

function getRef(request: EmulatorRequest, { urls }: ApiContext, repo: GithubRepo): EmulatorResponse {
  const ref = refName(request);
  const sha = repo.refs.get(ref);
  return sha ? { body: gitRef(ref, sha, repo, urls) } : notFound();
}

function updateRef(request: EmulatorRequest, context: ApiContext, repo: GithubRepo): EmulatorResponse {
  const { state, urls } = context;
  const ref = refName(request);
  const current = repo.refs.get(ref);
  if (!current) return githubError(422, "Reference does not exist");
  const body = bodyOf(request);
  if (typeof body.sha !== "string" || !repo.commits.has(body.sha))
    return githubError(422, "Object does not exist");
  const fastForward = state.isAncestor(repo, current, body.sha);
  if (body.force !== true && !fastForward) {
    return githubError(422, "Update is not a fast forward");
  }
  repo.refs.set(ref, body.sha);
  if (current !== body.sha) {
    context.webhooks.emit(repo, "push", pushPayload(ref, current, body.sha, repo, context, !fastForward));
  }
  return { body: gitRef(ref, body.sha, repo, urls) };
}

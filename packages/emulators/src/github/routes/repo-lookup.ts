import type { EmulatorRequest, EmulatorResponse } from "../../shared/types";
import type { ApiContext, ApiHandler } from "../api-context";
import type { GithubIssue, GithubRepo } from "../github-state";
import { notFound } from "../github-wire";

/** A route handler for `/repos/:owner/:repo/...`: answers 404 when the repository is unknown or out of the token's reach. */
export function inRepo(
  handler: (request: EmulatorRequest, context: ApiContext, repo: GithubRepo) => EmulatorResponse,
): ApiHandler {
  return (request, context) => {
    const { owner = "", repo: name = "" } = request.params;
    const repo = context.state.repo(owner, name);
    const reachable = repo && (!repo.private || context.state.reposFor(context.user.login).includes(repo));
    return reachable ? handler(request, context, repo) : notFound();
  };
}

/** The issue `:number` of the repository, or undefined. */
export function issueOf(repo: GithubRepo, request: EmulatorRequest): GithubIssue | undefined {
  const number = Number(request.params.number);
  return repo.issues.find((issue) => issue.number === number);
}

/** The request body as an object (GitHub takes JSON; anything else reads as empty). */
export function bodyOf(request: EmulatorRequest): Record<string, unknown> {
  const body = request.body;
  return typeof body === "object" && body !== null && !Array.isArray(body)
    ? (body as Record<string, unknown>)
    : {};
}

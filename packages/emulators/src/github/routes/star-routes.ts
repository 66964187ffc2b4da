import type { ApiRegistrar } from "../api-context";
import { account, notFound } from "../github-wire";
import { paginate } from "../paginate";
import { starPayload } from "../webhook-payloads";
import { inRepo } from "./repo-lookup";

// `starred_at` comes back only with this media type; the default lists plain users.
const STAR_MEDIA_TYPE = "application/vnd.github.star+json";

/** Starring a repository as the token's user, and listing a repository's stargazers. */
export function registerStarRoutes(api: ApiRegistrar): void {
  api(
    "PUT",
    "/user/starred/:owner/:repo",
    [],
    inRepo((_request, context, repo) => {
      const { user, state } = context;
      if (!repo.stargazers.some((s) => s.login === user.login)) {
        const starredAt = state.timestamp();
        repo.stargazers.push({ login: user.login, starredAt });
        context.webhooks.emit(repo, "star", starPayload("created", starredAt, repo, context));
      }
      return { status: 204 };
    }),
  );

  api(
    "DELETE",
    "/user/starred/:owner/:repo",
    [],
    inRepo((_request, context, repo) => {
      const index = repo.stargazers.findIndex((s) => s.login === context.user.login);
      if (index >= 0) {
        repo.stargazers.splice(index, 1);
        context.webhooks.emit(repo, "star", starPayload("deleted", null, repo, context));
      }
      return { status: 204 };
    }),
  );

  api(
    "GET",
    "/user/starred/:owner/:repo",
    [],
    inRepo((_request, { user }, repo) =>
      repo.stargazers.some((s) => s.login === user.login) ? { status: 204 } : notFound(),
    ),
  );

  api(
    "GET",
    "/repos/:owner/:repo/stargazers",
    [],
    inRepo((request, { state, urls }, repo) => {
      const withDates = (request.headers.accept ?? "").includes(STAR_MEDIA_TYPE);
      const items = repo.stargazers.map((star) => {
        const found = state.accounts.get(star.login.toLowerCase());
        const user = found
          ? account(found, urls)
          : account(
              { login: star.login, id: 0, type: "User", name: star.login, email: null, orgs: [] },
              urls,
            );
        return withDates ? { starred_at: star.starredAt, user } : user;
      });
      return paginate(items, request, `${urls.api}/repos/${repo.owner}/${repo.name}/stargazers`);
    }),
  );
}

import type { ApiRegistrar } from "../api-context";
import { hook, notFound, privateUser, publicUser, repository, validationFailed } from "../github-wire";
import { paginate } from "../paginate";
import { pingPayload } from "../webhook-payloads";
import { bodyOf, inRepo } from "./repo-lookup";

const HOOK_SCOPES = ["admin:repo_hook", "write:repo_hook", "repo"];

/** Users, repositories, webhooks and workflows. */
export function registerRepoRoutes(api: ApiRegistrar): void {
  api("GET", "/user", [], (_request, { state, user, urls }) => ({ body: privateUser(user, state, urls) }));

  api("GET", "/users/:username", [], (request, { state, urls }) => {
    const found = state.accounts.get((request.params.username ?? "").toLowerCase());
    return found ? { body: publicUser(found, state, urls) } : notFound();
  });

  api("GET", "/user/repos", [], (request, { state, user, urls }) => {
    const visibility = request.query.get("visibility") ?? "all";
    const repos = state
      .reposFor(user.login)
      .filter((r) => visibility === "all" || (visibility === "private") === r.private)
      .sort((a, b) => `${a.owner}/${a.name}`.localeCompare(`${b.owner}/${b.name}`));
    return paginate(
      repos.map((r) => repository(r, state, urls)),
      request,
      `${urls.api}/user/repos`,
    );
  });

  api(
    "GET",
    "/repos/:owner/:repo",
    [],
    inRepo((_request, { state, urls }, repo) => ({ body: repository(repo, state, urls) })),
  );

  api(
    "POST",
    "/repos/:owner/:repo/hooks",
    HOOK_SCOPES,
    inRepo((request, context, repo) => {
      const { state, urls } = context;
      const body = bodyOf(request);
      const config = (typeof body.config === "object" && body.config !== null ? body.config : {}) as Record<
        string,
        unknown
      >;
      if (typeof config.url !== "string" || !/^https?:\/\//.test(config.url)) {
        return validationFailed("Hook", "url", "custom", "url is not a valid URL");
      }
      const events = Array.isArray(body.events) ? body.events.map(String) : ["push"];
      const created = {
        id: state.id(),
        name: typeof body.name === "string" ? body.name : "web",
        active: body.active !== false,
        events,
        config: {
          url: config.url,
          content_type: typeof config.content_type === "string" ? config.content_type : "form",
          insecure_ssl: String(config.insecure_ssl ?? "0"),
          ...(typeof config.secret === "string" && { secret: config.secret }),
        },
        createdAt: state.timestamp(),
      };
      repo.hooks.push(created);
      if (created.active) context.webhooks.emitTo(repo, created, "ping", pingPayload(created, repo, context));
      return { status: 201, body: hook(created, repo, urls) };
    }),
  );

  api(
    "GET",
    "/repos/:owner/:repo/hooks/:hook_id",
    HOOK_SCOPES,
    inRepo((request, { urls }, repo) => {
      const found = repo.hooks.find((h) => h.id === Number(request.params.hook_id));
      return found ? { body: hook(found, repo, urls) } : notFound();
    }),
  );

  api(
    "DELETE",
    "/repos/:owner/:repo/hooks/:hook_id",
    HOOK_SCOPES,
    inRepo((request, _context, repo) => {
      const index = repo.hooks.findIndex((h) => h.id === Number(request.params.hook_id));
      if (index < 0) return notFound();
      repo.hooks.splice(index, 1);
      return { status: 204 };
    }),
  );

  api(
    "GET",
    "/repos/:owner/:repo/hooks",
    HOOK_SCOPES,
    inRepo((request, { urls }, repo) =>
      paginate(
        repo.hooks.map((h) => hook(h, repo, urls)),
        request,
        `${urls.api}/repos/${repo.owner}/${repo.name}/hooks`,
      ),
    ),
  );

  api(
    "GET",
    "/repos/:owner/:repo/actions/workflows",
    [],
    inRepo((_request, { urls }, repo) => ({
      body: {
        total_count: repo.workflows.length,
        workflows: repo.workflows.map((w) => ({
          id: w.id,
          node_id: Buffer.from(`W_${w.id}`).toString("base64url"),
          name: w.name,
          path: w.path,
          state: w.state,
          created_at: repo.createdAt,
          updated_at: repo.createdAt,
          url: `${urls.api}/repos/${repo.owner}/${repo.name}/actions/workflows/${w.id}`,
          html_url: `${urls.web}/${repo.owner}/${repo.name}/blob/main/${w.path}`,
          badge_url: `${urls.web}/${repo.owner}/${repo.name}/workflows/${w.name}/badge.svg`,
        })),
      },
    })),
  );
}

import type { JiraRoute } from "../jira-api";
import { intParam } from "../jira-api";
import { SEED_FIELDS, SEED_ISSUE_TYPES } from "../jira-seed";
import { jiraError } from "../jira-wire";

/** Projects (`/project/search`, `/project/{key}`), issue types and fields: the site's configuration, read-only. */
export function registerProjectRoutes(route: JiraRoute, siteUrl: () => string): void {
  route("GET", "/rest/api/3/project/search", "read", ({ request, state, render }) => {
    const startAt = intParam(request.query.get("startAt"), 0);
    const maxResults = intParam(request.query.get("maxResults"), 50);
    const query = (request.query.get("query") ?? "").toLowerCase();
    const keys = request.query.getAll("keys").flatMap((k) => k.split(","));
    const matching = state.projects.filter(
      (p) =>
        (keys.length === 0 || keys.some((k) => k.toUpperCase() === p.key)) &&
        (query === "" || p.key.toLowerCase().includes(query) || p.name.toLowerCase().includes(query)),
    );
    const page = matching.slice(startAt, startAt + maxResults);
    const isLast = startAt + page.length >= matching.length;
    const self = `${siteUrl()}/rest/api/3/project/search?startAt=${startAt}&maxResults=${maxResults}`;
    return {
      self,
      ...(!isLast && {
        nextPage: `${siteUrl()}/rest/api/3/project/search?startAt=${startAt + maxResults}&maxResults=${maxResults}`,
      }),
      maxResults,
      startAt,
      total: matching.length,
      isLast,
      values: page.map((p) => render.project(p)),
    };
  });

  route("GET", "/rest/api/3/project/:projectIdOrKey", "read", ({ request, state, render }) => {
    const project = state.project(request.params.projectIdOrKey ?? "");
    if (!project) {
      return jiraError(404, [`No project could be found with key '${request.params.projectIdOrKey}'.`]);
    }
    return render.project(project);
  });

  route("GET", "/rest/api/3/issuetype", "read", ({ render }) =>
    SEED_ISSUE_TYPES.map((t) => render.issueType(t.id)),
  );

  route("GET", "/rest/api/3/field", "read", ({ render }) => SEED_FIELDS.map((f) => render.field(f.id)));
}

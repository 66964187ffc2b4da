import type { JiraRoute } from "../jira-api";
import { intParam } from "../jira-api";

/** `/myself` and `/user/search` (matching display name or email address, as Jira's user picker does). */
export function registerUserRoutes(route: JiraRoute): void {
  route("GET", "/rest/api/3/myself", "user", ({ caller, render }) => render.user(caller.user));

  route("GET", "/rest/api/3/user/search", "user", ({ request, state, render }) => {
    const query = (request.query.get("query") ?? "").toLowerCase();
    const accountId = request.query.get("accountId");
    const startAt = intParam(request.query.get("startAt"), 0);
    const maxResults = intParam(request.query.get("maxResults"), 50);
    const found = state.users.filter(
      (u) =>
        (accountId === null || u.accountId === accountId) &&
        (query === "" ||
          u.displayName.toLowerCase().includes(query) ||
          u.emailAddress.toLowerCase().startsWith(query)),
    );
    return found.slice(startAt, startAt + maxResults).map((u) => render.user(u));
  });
}

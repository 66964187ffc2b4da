import type { JiraRoute } from "../jira-api";
import type { StoredIssue } from "../jira-state";
import { issueNotFound, jiraError } from "../jira-wire";
import { pathIssue } from "./issue-routes";

/** Issue properties survive reads as JSON of at most 32 KB, as Jira's entity properties do. */
const PROPERTY_MAX_BYTES = 32_768;

/** Issue properties (what `@autoflow/jira` keys its tasks by) and issue links. */
export function registerIssueExtraRoutes(route: JiraRoute): void {
  route("GET", "/rest/api/3/issue/:issueIdOrKey/properties/:propertyKey", "read", (call) => {
    const issue = pathIssue(call);
    if (!issue) return issueNotFound();
    const key = call.request.params.propertyKey ?? "";
    if (!(key in issue.properties)) return jiraError(404, [`The property with key '${key}' does not exist.`]);
    return { key, value: issue.properties[key] };
  });

  route("PUT", "/rest/api/3/issue/:issueIdOrKey/properties/:propertyKey", "write", (call) => {
    const issue = pathIssue(call);
    if (!issue) return issueNotFound();
    const key = call.request.params.propertyKey ?? "";
    const raw = call.request.rawBody.toString("utf8");
    if (call.request.body === undefined) return jiraError(400, ["The property value must be a valid JSON."]);
    if (Buffer.byteLength(raw) > PROPERTY_MAX_BYTES) {
      return jiraError(400, [
        `The property value is too long. Maximum length is ${PROPERTY_MAX_BYTES} bytes.`,
      ]);
    }
    const existed = key in issue.properties;
    issue.properties[key] = call.request.body;
    // A property is indexed for `issue.property[...]` JQL, but setting one does not change `updated`.
    call.state.reindex(issue);
    return { status: existed ? 200 : 201 };
  });

  route("DELETE", "/rest/api/3/issue/:issueIdOrKey/properties/:propertyKey", "write", (call) => {
    const issue = pathIssue(call);
    if (!issue) return issueNotFound();
    const key = call.request.params.propertyKey ?? "";
    if (!(key in issue.properties)) return jiraError(404, [`The property with key '${key}' does not exist.`]);
    delete issue.properties[key];
    call.state.reindex(issue);
    return { status: 204 };
  });

  route("POST", "/rest/api/3/issueLink", "write", (call) => {
    const { body, state, caller } = call;
    const typeRef = body.type as { id?: string; name?: string } | undefined;
    const type = typeRef && state.linkType(String(typeRef.id ?? typeRef.name ?? ""));
    if (!type)
      return jiraError(404, [`No issue link type with name '${typeRef?.name ?? typeRef?.id ?? ""}' found.`]);
    const issueOf = (ref: unknown): StoredIssue | undefined => {
      const r = ref as { key?: string; id?: string } | undefined;
      return r && state.issue(String(r.key ?? r.id ?? ""));
    };
    const inward = issueOf(body.inwardIssue);
    const outward = issueOf(body.outwardIssue);
    if (!inward || !outward)
      return jiraError(404, ["Issue does not exist or you do not have permission to see it."]);
    const link = state.addLink(type.id, inward, outward);
    const comment = body.comment as { body?: unknown } | undefined;
    if (comment?.body) {
      const added = state.addComment(inward, caller.user.accountId, comment.body);
      call.webhooks.commentCreated(inward, added, caller.user);
    }
    return { status: 201, headers: { location: call.render.link(link).self } };
  });

  route("GET", "/rest/api/3/issueLink/:linkId", "read", (call) => {
    const link = call.state.links.get(call.request.params.linkId ?? "");
    if (!link) return jiraError(404, [`No issue link with id '${call.request.params.linkId}' exists.`]);
    return call.render.link(link);
  });

  route("DELETE", "/rest/api/3/issueLink/:linkId", "write", (call) => {
    const id = call.request.params.linkId ?? "";
    if (!call.state.links.delete(id)) return jiraError(404, [`No issue link with id '${id}' exists.`]);
    return { status: 204 };
  });
}

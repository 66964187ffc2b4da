import type { DeliveryTenant, Json } from "@autoflow/core";

type JsonObject = { [key: string]: Json | undefined };

const objectAt = (value: Json | undefined): JsonObject | undefined =>
  typeof value === "object" && value !== null && !Array.isArray(value) ? value : undefined;

/** The site's host (`acme.atlassian.net`, lowercase) from a Jira URL (`siteUrl`, an entity's `self`). */
export function jiraSiteHost(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    return new URL(url).host.toLowerCase();
  } catch {
    return undefined;
  }
}

/**
 * The tenant of a Jira webhook event: the site it happened on. A delivery names no cloud id, but every entity in it
 * links to its site (`issue.self`, `comment.self`, `user.self`): `account` is the site's host (`acme.atlassian.net`),
 * `resource` the issue's project key, `ids` the issue id. A delivery naming no site starts no stored workflow.
 */
export function jiraTenantOf(event: JsonObject): DeliveryTenant | undefined {
  const issue = objectAt(event.issue);
  const comment = objectAt(event.comment);
  const user = objectAt(event.user);
  const self = [issue?.self, comment?.self, user?.self].find((value) => typeof value === "string") as
    | string
    | undefined;
  const account = jiraSiteHost(self);
  if (!account) return undefined;
  const project = objectAt(objectAt(issue?.fields)?.project);
  const projectKey = typeof project?.key === "string" ? project.key : undefined;
  const issueId = typeof issue?.id === "string" ? issue.id : undefined;
  return {
    account,
    ...(projectKey !== undefined && { resource: projectKey }),
    ...(issueId !== undefined && { ids: { issueId } }),
  };
}

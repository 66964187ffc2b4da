import type { JiraRoute } from "../jira-api";
import { adfText } from "../jira-changelog";
import { issueNotFound, jiraError } from "../jira-wire";
import { wikiToAdf } from "../wiki-markup";
import { createIssue, entityProperties, pathIssue } from "./issue-routes";

/**
 * The two API v2 writes jira.js makes when given wiki markup instead of a document (a string `description` on
 * create, a string comment body): the same state, rich text stored as a document. API v2 is not in the committed
 * description (v3 only), so these are undescribed routes.
 */
export function registerV2Routes(route: JiraRoute): void {
  route("POST", "/rest/api/2/issue", "write", (call) => {
    const fields = { ...((call.body.fields as Record<string, unknown> | undefined) ?? {}) };
    for (const id of ["description", "environment"]) {
      if (typeof fields[id] === "string") fields[id] = wikiToAdf(fields[id] as string);
    }
    delete fields.environment;
    const created = createIssue(call, { ...call.body, fields });
    if (created.status !== 201) return created;
    const answer = created.body as { id: string; key: string; self: string };
    return { status: 201, body: { ...answer, self: answer.self.replace("/rest/api/3/", "/rest/api/2/") } };
  });

  route("POST", "/rest/api/2/issue/:issueIdOrKey/comment", "write", (call) => {
    const issue = pathIssue(call);
    if (!issue) return issueNotFound();
    const text = call.body.body;
    if (typeof text !== "string" || text.trim() === "") {
      return jiraError(400, [], { comment: "Comment body can not be empty!" });
    }
    const comment = call.state.addComment(
      issue,
      call.caller.user.accountId,
      wikiToAdf(text),
      entityProperties(call.body.properties),
    );
    call.webhooks.commentCreated(issue, comment, call.caller.user);
    const rendered = call.render.comment(issue, comment);
    // API v2 answers rich text as wiki markup.
    return {
      status: 201,
      body: {
        ...rendered,
        self: rendered.self.replace("/rest/api/3/", "/rest/api/2/"),
        body: adfText(comment.body) ?? text,
      },
    };
  });
}

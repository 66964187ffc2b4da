import { jiraAddComment } from "./add-comment";
import { jiraCreateIssue } from "./create-issue";
import { jiraSyncTicket } from "./sync-ticket";
import { jiraTransitionIssue } from "./transition-issue";

export { jiraAddComment } from "./add-comment";
export { jiraCreateIssue } from "./create-issue";
export { jiraSyncTicket } from "./sync-ticket";
export { jiraTransitionIssue } from "./transition-issue";

/** Jira's registry actions, in the order the builder lists them. */
export const jiraActions = [jiraCreateIssue, jiraAddComment, jiraTransitionIssue, jiraSyncTicket] as const;

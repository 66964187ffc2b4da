// The Jira task classes' public exports (with their ADF and marker helpers), re-exported by src/index.ts.
export type { AdfDocument, AdfNode, JiraText } from "./adf";
export { adfText, isAdfDocument, toAdf } from "./adf";
export { IssueComments } from "./issue-comments";
export { IssueFields } from "./issue-fields";
export { IssueLinks } from "./issue-links";
export { IssueProperties } from "./issue-properties";
export { DEFAULT_SEARCH_FIELDS, IssueSearch } from "./issue-search";
export { Issues } from "./issues";
export { JIRA_SEARCH_SETTLE_MS, MARKER_PROPERTY, markerJql } from "./marker";
export { Myself } from "./myself";
export { Projects } from "./projects";
export type { SyncedTicket, SyncTicketParams } from "./tickets";
export { syncedIssueJql, Tickets } from "./tickets";
export type { TransitionedIssue, TransitionToParams } from "./transition-to";
export { UserSearch } from "./user-search";
export { Webhooks } from "./webhooks";

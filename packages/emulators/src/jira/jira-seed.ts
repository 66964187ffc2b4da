/**
 * The site every Jira emulator starts with (and `reset()` returns to): its users, projects `OPS` and `ENG` with
 * issue types Task and Bug, one workflow (To Do, In Progress, Done; transitions "11", "21", "31"), its fields with
 * two custom ones, and the link types. Ids are Jira's usual shapes (numeric strings from 10000, account ids).
 */

/** A user as the emulator keeps one. */
export interface SeedUser {
  accountId: string;
  emailAddress: string;
  displayName: string;
}

/** The account an API token or OAuth consent acts as unless told otherwise. */
export const DEFAULT_JIRA_USER: SeedUser = {
  accountId: "5b10a2844c20165700ede21g",
  emailAddress: "ada@example.com",
  displayName: "Ada Lovelace",
};

export const SEED_USERS: readonly SeedUser[] = [
  DEFAULT_JIRA_USER,
  { accountId: "5b10ac8d82e05b22cc7d4ef5", emailAddress: "grace@example.com", displayName: "Grace Hopper" },
  { accountId: "5b109f2e9729b51b54dc274d", emailAddress: "alan@example.com", displayName: "Alan Turing" },
];

export interface SeedIssueType {
  id: string;
  name: string;
  description: string;
}

export const SEED_ISSUE_TYPES: readonly SeedIssueType[] = [
  { id: "10001", name: "Task", description: "A small, distinct piece of work." },
  { id: "10002", name: "Bug", description: "A problem or error." },
];

export interface SeedStatus {
  id: string;
  name: string;
  category: { id: number; key: string; colorName: string; name: string };
}

export const SEED_STATUSES: readonly SeedStatus[] = [
  { id: "10000", name: "To Do", category: { id: 2, key: "new", colorName: "blue-gray", name: "To Do" } },
  {
    id: "3",
    name: "In Progress",
    category: { id: 4, key: "indeterminate", colorName: "yellow", name: "In Progress" },
  },
  { id: "10001", name: "Done", category: { id: 3, key: "done", colorName: "green", name: "Done" } },
];

/** The workflow every project uses: any status to any other, as a simplified (global-transition) workflow does. */
export const SEED_TRANSITIONS: ReadonlyArray<{ id: string; name: string; toStatusId: string }> = [
  { id: "11", name: "To Do", toStatusId: "10000" },
  { id: "21", name: "In Progress", toStatusId: "3" },
  { id: "31", name: "Done", toStatusId: "10001" },
];

export interface SeedProject {
  id: string;
  key: string;
  name: string;
  leadAccountId: string;
}

export const SEED_PROJECTS: readonly SeedProject[] = [
  { id: "10000", key: "OPS", name: "Operations", leadAccountId: DEFAULT_JIRA_USER.accountId },
  { id: "10001", key: "ENG", name: "Engineering", leadAccountId: DEFAULT_JIRA_USER.accountId },
];

export interface SeedField {
  id: string;
  name: string;
  custom: boolean;
  schema: Record<string, unknown>;
  clauseNames: string[];
}

/** The fields `GET /rest/api/3/field` lists: the system fields the emulator keeps, and two custom fields. */
export const SEED_FIELDS: readonly SeedField[] = [
  system("summary", "Summary", { type: "string", system: "summary" }),
  system("description", "Description", { type: "string", system: "description" }),
  system("status", "Status", { type: "status", system: "status" }),
  system("assignee", "Assignee", { type: "user", system: "assignee" }),
  system("reporter", "Reporter", { type: "user", system: "reporter" }),
  system("issuetype", "Issue Type", { type: "issuetype", system: "issuetype" }, ["issuetype", "type"]),
  system("project", "Project", { type: "project", system: "project" }),
  system("labels", "Labels", { type: "array", items: "string", system: "labels" }),
  system("created", "Created", { type: "datetime", system: "created" }, ["created", "createdDate"]),
  system("updated", "Updated", { type: "datetime", system: "updated" }, ["updated", "updatedDate"]),
  system("comment", "Comment", { type: "comments-page", system: "comment" }),
  system("issuelinks", "Linked Issues", { type: "array", items: "issuelinks", system: "issuelinks" }),
  custom(
    "customfield_10010",
    "Request Type",
    "com.atlassian.servicedesk:vp-origin",
    10010,
    "sd-customerrequesttype",
  ),
  custom("customfield_10020", "Sprint", "com.pyxis.greenhopper.jira:gh-sprint", 10020, "array"),
];

function system(id: string, name: string, schema: Record<string, unknown>, clauseNames = [id]): SeedField {
  return { id, name, custom: false, schema, clauseNames };
}

function custom(id: string, name: string, plugin: string, customId: number, type: string): SeedField {
  return {
    id,
    name,
    custom: true,
    schema: { type, custom: plugin, customId },
    clauseNames: [`cf[${customId}]`, name],
  };
}

/** The issue link types a site has out of the box. */
export const SEED_LINK_TYPES: ReadonlyArray<{ id: string; name: string; inward: string; outward: string }> = [
  { id: "10000", name: "Blocks", inward: "is blocked by", outward: "blocks" },
  { id: "10001", name: "Cloners", inward: "is cloned by", outward: "clones" },
  { id: "10002", name: "Duplicate", inward: "is duplicated by", outward: "duplicates" },
  { id: "10003", name: "Relates", inward: "relates to", outward: "relates to" },
];

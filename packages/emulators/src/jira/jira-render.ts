import {
  SEED_FIELDS,
  SEED_ISSUE_TYPES,
  SEED_TRANSITIONS,
  type SeedProject,
  type SeedUser,
} from "./jira-seed";
import type { JiraState, StoredComment, StoredIssue, StoredLink } from "./jira-state";
import { jiraTime } from "./jira-wire";

/** The fields `*navigable` and `*all` name: every field the emulator keeps on an issue. */
const NAVIGABLE = SEED_FIELDS.map((f) => f.id);

/**
 * Jira's JSON for the emulator's state, with `self` links on the site URL (as Jira writes them whether the call
 * came to the site or through the OAuth gateway).
 */
export class JiraRender {
  constructor(
    private readonly state: JiraState,
    private readonly siteUrl: () => string,
  ) {}

  private api(path: string): string {
    return `${this.siteUrl()}/rest/api/3/${path}`;
  }

  private avatars(seed: string) {
    const base = `https://avatar-management--avatars.us-west-2.prod.public.atl-paas.net/${seed}`;
    return { "16x16": `${base}/16`, "24x24": `${base}/24`, "32x32": `${base}/32`, "48x48": `${base}/48` };
  }

  /** A user (`User`): what `/myself`, `/user/search` and issue fields carry. */
  user(user: SeedUser) {
    return {
      self: this.api(`user?accountId=${user.accountId}`),
      accountId: user.accountId,
      accountType: "atlassian",
      emailAddress: user.emailAddress,
      avatarUrls: this.avatars(user.accountId),
      displayName: user.displayName,
      active: true,
      timeZone: "Etc/UTC",
      locale: "en_US",
    };
  }

  /** A user as fields and comments carry one (`UserDetails`: no locale). */
  userDetails(accountId: string | null) {
    const user = accountId === null ? undefined : this.state.user(accountId);
    if (!user) return null;
    const { locale: _locale, ...details } = this.user(user);
    return details;
  }

  issueType(id: string) {
    const type = this.state.issueType(id) ?? SEED_ISSUE_TYPES[0];
    if (!type) throw new Error("no issue types");
    return {
      self: this.api(`issuetype/${type.id}`),
      id: type.id,
      description: type.description,
      iconUrl: `${this.siteUrl()}/rest/api/2/universal_avatar/view/type/issuetype/avatar/${type.id}?size=medium`,
      name: type.name,
      subtask: false,
      avatarId: Number(type.id),
      hierarchyLevel: 0,
    };
  }

  status(id: string) {
    const status = this.state.status(id);
    if (!status) throw new Error(`no status ${id}`);
    return {
      self: this.api(`status/${status.id}`),
      description: "",
      iconUrl: `${this.siteUrl()}/`,
      name: status.name,
      id: status.id,
      statusCategory: {
        self: this.api(`statuscategory/${status.category.id}`),
        ...status.category,
      },
    };
  }

  /** The workflow's transitions (`Transitions`). */
  transitions() {
    return {
      transitions: SEED_TRANSITIONS.map((t) => ({
        id: t.id,
        name: t.name,
        to: this.status(t.toStatusId),
        hasScreen: false,
        isGlobal: true,
        isInitial: false,
        isAvailable: true,
        isConditional: false,
        isLooped: false,
      })),
    };
  }

  project(project: SeedProject) {
    const lead = this.state.user(project.leadAccountId);
    return {
      expand: "description,lead,issueTypes,url,projectKeys,permissions,insight",
      self: this.api(`project/${project.id}`),
      id: project.id,
      key: project.key,
      description: "",
      ...(lead && { lead: this.user(lead) }),
      issueTypes: SEED_ISSUE_TYPES.map((t) => this.issueType(t.id)),
      name: project.name,
      avatarUrls: this.avatars(`project-${project.id}`),
      projectTypeKey: "software",
      simplified: false,
      style: "classic",
      isPrivate: false,
      properties: {},
    };
  }

  field(id: string) {
    const field = SEED_FIELDS.find((f) => f.id === id);
    if (!field) throw new Error(`no field ${id}`);
    return {
      id: field.id,
      key: field.id,
      name: field.name,
      custom: field.custom,
      orderable: true,
      navigable: true,
      searchable: true,
      clauseNames: field.clauseNames,
      schema: field.schema,
    };
  }

  /** A comment; `withProperties` (`expand=properties`) adds its entity properties, as Jira does only when asked. */
  comment(issue: StoredIssue, comment: StoredComment, withProperties = false) {
    const author = this.userDetails(comment.authorAccountId);
    return {
      self: this.api(`issue/${issue.id}/comment/${comment.id}`),
      id: comment.id,
      ...(author && { author, updateAuthor: author }),
      body: comment.body,
      created: jiraTime(comment.created),
      updated: jiraTime(comment.updated),
      jsdPublic: true,
      ...(withProperties && {
        properties: [...comment.properties].map(([key, value]) => ({ key, value })),
      }),
    };
  }

  /** An issue as a link names it (`LinkedIssue`). */
  linkedIssue(issue: StoredIssue) {
    return {
      id: issue.id,
      key: issue.key,
      self: this.api(`issue/${issue.id}`),
      fields: {
        summary: issue.summary,
        status: this.status(issue.statusId),
        issuetype: this.issueType(issue.issueTypeId),
      },
    };
  }

  linkType(id: string) {
    const type = this.state.linkType(id);
    if (!type) throw new Error(`no link type ${id}`);
    return { ...type, self: this.api(`issueLinkType/${type.id}`) };
  }

  /** `GET /issueLink/{linkId}`: both issues. */
  link(link: StoredLink) {
    const inward = this.state.issues.get(link.inwardIssueId);
    const outward = this.state.issues.get(link.outwardIssueId);
    return {
      id: link.id,
      self: this.api(`issueLink/${link.id}`),
      type: this.linkType(link.typeId),
      ...(inward && { inwardIssue: this.linkedIssue(inward) }),
      ...(outward && { outwardIssue: this.linkedIssue(outward) }),
    };
  }

  /** One link as an issue's `issuelinks` field lists it: only the other issue. */
  private issueLink(issue: StoredIssue, link: StoredLink) {
    const inward = link.outwardIssueId === issue.id;
    const other = this.state.issues.get(inward ? link.inwardIssueId : link.outwardIssueId);
    return {
      id: link.id,
      self: this.api(`issueLink/${link.id}`),
      type: this.linkType(link.typeId),
      ...(other &&
        (inward ? { inwardIssue: this.linkedIssue(other) } : { outwardIssue: this.linkedIssue(other) })),
    };
  }

  /** Every field of an issue, by id. */
  allFields(issue: StoredIssue): Record<string, unknown> {
    const project = this.state.project(issue.projectKey);
    return {
      summary: issue.summary,
      description: issue.description,
      status: this.status(issue.statusId),
      assignee: this.userDetails(issue.assigneeAccountId),
      reporter: this.userDetails(issue.reporterAccountId),
      issuetype: this.issueType(issue.issueTypeId),
      project: project && {
        self: this.api(`project/${project.id}`),
        id: project.id,
        key: project.key,
        name: project.name,
        projectTypeKey: "software",
        simplified: false,
        avatarUrls: this.avatars(`project-${project.id}`),
      },
      labels: issue.labels,
      created: jiraTime(issue.created),
      updated: jiraTime(issue.updated),
      comment: {
        comments: issue.comments.map((c) => this.comment(issue, c)),
        self: this.api(`issue/${issue.id}/comment`),
        maxResults: issue.comments.length,
        total: issue.comments.length,
        startAt: 0,
      },
      issuelinks: this.state.linksOf(issue).map((l) => this.issueLink(issue, l)),
      customfield_10010: null,
      customfield_10020: null,
      ...issue.custom,
    };
  }

  /**
   * An issue (`IssueBean`) with the fields asked for: Jira's `fields` list (`*all`, `*navigable`, ids, `-id` to
   * leave one out); `properties` the issue properties to include.
   */
  issue(issue: StoredIssue, fields: readonly string[] = ["*all"], properties: readonly string[] = []) {
    const all = this.allFields(issue);
    const wanted = selectFields(fields);
    const picked = Object.fromEntries(Object.entries(all).filter(([id]) => wanted(id)));
    const props = Object.fromEntries(
      properties.filter((key) => key in issue.properties).map((key) => [key, issue.properties[key]]),
    );
    return {
      expand: "renderedFields,names,schema,operations,editmeta,changelog,versionedRepresentations",
      id: issue.id,
      self: this.api(`issue/${issue.id}`),
      key: issue.key,
      ...(properties.length > 0 && { properties: props }),
      fields: picked,
    };
  }
}

/** Which field ids a Jira `fields` list selects. */
export function selectFields(fields: readonly string[]): (id: string) => boolean {
  const list = fields
    .flatMap((f) => f.split(","))
    .map((f) => f.trim())
    .filter(Boolean);
  const excluded = new Set(list.filter((f) => f.startsWith("-")).map((f) => f.slice(1)));
  const everything = list.includes("*all") || list.includes("*navigable");
  const named = new Set(list.filter((f) => !f.startsWith("-") && !f.startsWith("*")));
  return (id) =>
    !excluded.has(id) &&
    (everything ? NAVIGABLE.includes(id) || id.startsWith("customfield_") : named.has(id));
}

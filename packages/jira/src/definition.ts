import {
  type ProviderDefinition,
  type ProviderIntegrationClass,
  providerIntegration,
  type RetryOptions,
} from "@autoflow/core";
import type { CloudClient } from "jira.js/cloud";
import { createJiraClient, type JiraClientOptions } from "./client";
import { JIRA_RATE_LIMIT_FLOOR_MS, toJiraError } from "./errors";
import { IssueComments } from "./tasks/issue-comments";
import { IssueFields } from "./tasks/issue-fields";
import { IssueLinks } from "./tasks/issue-links";
import { IssueProperties } from "./tasks/issue-properties";
import { IssueSearch } from "./tasks/issue-search";
import { Issues } from "./tasks/issues";
import { Myself } from "./tasks/myself";
import { Projects } from "./tasks/projects";
import type { JiraTree } from "./tasks/sdk-types";
import { Tickets } from "./tasks/tickets";
import { UserSearch } from "./tasks/user-search";
import { Webhooks } from "./tasks/webhooks";

/** Options for `new Jira(...)`. */
export interface JiraIntegrationOptions extends JiraClientOptions {
  /** Identifies this integration in jobs and connections. */
  id: string;
  /**
   * An API token (`ATATT3xFfGF0...`, with `email` and `siteUrl`) or an OAuth access token (with `cloudId`): LOCAL.
   * Omit it to use the connection (HOSTED).
   */
  token?: string;
}

/**
 * Jira's backoff: the runtime's standard one, starting at the rate-limit floor (a 429 with `Retry-After: 0` waits at
 * least that, then longer on each retry).
 */
export const JIRA_BACKOFF: RetryOptions = {
  limit: 8,
  factor: 2,
  minTimeoutInMs: JIRA_RATE_LIMIT_FLOOR_MS,
  maxTimeoutInMs: 60_000,
  randomize: true,
};

// jira.js's reads by name; everything else (create*, set*, do*, add*, ...) is a write.
const READ_METHOD = /^(?:get|search|find|count|match|read|list)/;

/** What the provider kit knows of Jira: its client, its method tree, its error table, its tokens' shapes. */
export const JIRA_PROVIDER_DEFINITION = {
  id: "jira",
  name: "Jira",
  // CloudClient written out where a client is given or taken: the declaration files name jira.js's own type.
  // `fields`: a connection's `email`, `siteUrl` and `cloudId`; `{}` for a LOCAL integration, whose options carry them.
  createClient: (token, options, fields: Readonly<Record<string, string>> = {}): CloudClient =>
    createJiraClient(token, {
      ...options,
      ...(fields.email !== undefined && { email: fields.email }),
      ...(fields.siteUrl !== undefined && { siteUrl: fields.siteUrl }),
      ...(fields.cloudId !== undefined && { cloudId: fields.cloudId }),
    }),
  toError: (error, now) => toJiraError(error, now),
  sdk: {
    // The same client, typed with models the task log can keep (see `JiraModel`).
    root: (client: CloudClient): JiraTree => client as unknown as JiraTree,
    shape: (): CloudClient => createJiraClient("ATATT3xFfGF0_method_tree_only"),
    result: "response",
    isRead: (path: readonly string[]) => READ_METHOD.test(path.at(-1) ?? ""),
  },
  secrets: {
    // Atlassian API tokens. OAuth access tokens are JWTs, which the kit's generic rules mask.
    tokenShapes: [/\bATATT3[A-Za-z0-9_=-]{16,}/g],
    tokenPrefixes: ["ATATT3"],
  },
  retry: JIRA_BACKOFF,
  // jira.js namespaces with hand-written task classes; every other namespace passes through.
  tasks: {
    /** `createIssue`, `getIssue`, `editIssue`, `deleteIssue`, `assignIssue`, `getTransitions`, `doTransition`, and every other `issues.*` method. */
    issues: Issues,
    /** `addComment`, `getComments`, `getComment`, and every other `issueComments.*` method. */
    issueComments: IssueComments,
    /** `searchAndReconsileIssuesUsingJql` (and `...Post`, `...All`), `countIssues`, and every other `issueSearch.*` method. */
    issueSearch: IssueSearch,
    /** `setIssueProperty`, `getIssueProperty`, and every other `issueProperties.*` method. */
    issueProperties: IssueProperties,
    /** `linkIssues`, `getIssueLink`, `deleteIssueLink`. */
    issueLinks: IssueLinks,
    /** `searchProjects`, `getProject`, and every other `projects.*` method. */
    projects: Projects,
    /** `getCurrentUser`, and every other `myself.*` method. */
    myself: Myself,
    /** `findUsers`, and every other `userSearch.*` method. */
    userSearch: UserSearch,
    /** `getFields`, and every other `issueFields.*` method. */
    issueFields: IssueFields,
    /** `registerDynamicWebhooks`, `getDynamicWebhooksForApp`, `refreshWebhooks`, `deleteWebhookById`. */
    webhooks: Webhooks,
    /** `sync`: one issue per record of another system, converging across repeats, concurrent runs and crashes. */
    tickets: Tickets,
  },
  passthroughProperties: { Issue: "issueIdOrKey", Project: "projectIdOrKey" },
} satisfies ProviderDefinition<CloudClient, JiraIntegrationOptions>;

/**
 * The kit's integration class for Jira, which `Jira` builds on: typed from the definition, a getter per task class
 * and every other jira.js namespace passing through.
 */
export const JiraIntegration: ProviderIntegrationClass<typeof JIRA_PROVIDER_DEFINITION> =
  providerIntegration<typeof JIRA_PROVIDER_DEFINITION>();

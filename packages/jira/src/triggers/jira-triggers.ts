import type { WebhookDelivery, WebhookTrigger } from "@autoflow/core";
import type { CloudClient } from "jira.js/cloud";
import type { JiraClientOptions } from "../client";
import type { JiraModel } from "../tasks/sdk-types";
import { jiraWebhookRegistration } from "./webhook-registration";

type Issue = JiraModel<Awaited<ReturnType<CloudClient["issues"]["getIssue"]>>>;
type Comment = JiraModel<Awaited<ReturnType<CloudClient["issueComments"]["getComment"]>>>;
type User = JiraModel<Awaited<ReturnType<CloudClient["myself"]["getCurrentUser"]>>>;

/** The Jira webhook events the typed triggers listen to. */
export type JiraTriggerEvent = "jira:issue_created" | "jira:issue_updated" | "comment_created";

/** What every Jira issue event carries. */
export interface JiraEventBase {
  /** When Jira emitted it, epoch milliseconds. */
  timestamp: number;
  webhookEvent: JiraTriggerEvent;
  user?: User;
}

/** `jira:issue_created` and `jira:issue_updated`: the issue as it is now, and for an update what changed. */
export interface JiraIssueEvent extends JiraEventBase {
  webhookEvent: "jira:issue_created" | "jira:issue_updated";
  issue_event_type_name?: string;
  issue: Issue;
  changelog?: {
    id: string;
    items: Array<{
      field: string;
      fieldId?: string;
      from: string | null;
      fromString: string | null;
      to: string | null;
      toString: string | null;
    }>;
  };
}

/** `comment_created`: the comment and the issue it is on (with a few fields). */
export interface JiraCommentEvent extends JiraEventBase {
  webhookEvent: "comment_created";
  comment: Comment;
  issue: Issue;
}

/** Filters every Jira trigger takes. */
export interface JiraEventFilter {
  /** Only events on this project's issues (its key, `OPS`); every project when omitted. */
  project?: string;
  /** For `onIssueUpdated`: only updates that changed one of these fields (ids: `status`, `customfield_10010`). */
  fields?: readonly string[];
}

const PROJECT_KEY = /^[A-Z][A-Z0-9_]{0,254}$/;

/**
 * Starts a run for every verified Jira event `event` (on `filter.project`'s issues, when given). Jira may deliver an
 * event more than once and out of order: the inbox dedupes by Jira's delivery identifier and timestamp, and a job
 * should read the issue's current state rather than assume the order it runs in. For an OAuth connection the service
 * registers a dynamic webhook for the project (and refreshes it before its 30 days run out); with an API token, a Jira admin adds an
 * admin webhook signed with the service's secret.
 */
export function jiraEventTrigger<P extends JiraIssueEvent | JiraCommentEvent>(
  event: JiraTriggerEvent,
  filter: JiraEventFilter = {},
  key?: string,
  client: JiraClientOptions = {},
): WebhookTrigger<P> {
  if (filter.project !== undefined && !PROJECT_KEY.test(filter.project)) {
    throw new TypeError(`jira trigger: project must be a project key (OPS), got ${filter.project}`);
  }
  return {
    kind: "webhook",
    provider: "jira",
    ...(key !== undefined && { key }),
    title: `Jira: ${event}${filter.project ? ` in ${filter.project}` : ""}`,
    matches(delivery: WebhookDelivery) {
      const payload = delivery.payload as {
        webhookEvent?: unknown;
        issue?: { key?: unknown; fields?: { project?: { key?: unknown } } };
        changelog?: { items?: Array<{ fieldId?: unknown; field?: unknown }> };
      };
      if (delivery.event !== event || payload.webhookEvent !== event) return false;
      const issueKey = typeof payload.issue?.key === "string" ? payload.issue.key : "";
      const project = payload.issue?.fields?.project?.key ?? issueKey.split("-")[0];
      if (filter.project !== undefined && project !== filter.project) return false;
      if (event === "jira:issue_updated" && filter.fields?.length) {
        const changed = (payload.changelog?.items ?? []).map((item) => item.fieldId ?? item.field);
        return changed.some((field) => typeof field === "string" && filter.fields?.includes(field));
      }
      return true;
    },
    payloadOf: (delivery) => delivery.payload as unknown as P,
    // A dynamic webhook needs a JQL filter: registered per project; without one, admin webhooks only.
    ...(filter.project !== undefined && {
      registration: jiraWebhookRegistration(
        { events: [event], jqlFilter: `project = ${filter.project}` },
        client,
      ),
    }),
  };
}

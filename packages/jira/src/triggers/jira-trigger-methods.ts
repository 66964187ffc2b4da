import type { PollingTrigger, WebhookTrigger } from "@autoflow/core";
import type { JiraClientOptions } from "../client";
import { JiraIntegration } from "../definition";
import { type JiraPolledIssue, type JiraPollingOptions, jiraIssuePollingTrigger } from "./issue-polling";
import {
  type JiraCommentEvent,
  type JiraEventFilter,
  type JiraIssueEvent,
  jiraEventTrigger,
} from "./jira-triggers";

/** `Jira`'s trigger methods (`jira.onIssueCreated(...)`): webhook events, and a JQL polling fallback. */
export abstract class JiraTriggerMethods extends JiraIntegration {
  /** Starts a run for every issue created (`jira:issue_created`), in `filter.project` when given. */
  onIssueCreated(filter: JiraEventFilter = {}): WebhookTrigger<JiraIssueEvent> {
    return jiraEventTrigger("jira:issue_created", filter, "jira.issueCreated", this.clientOptions());
  }

  /** Starts a run for every issue updated (`jira:issue_updated`; `changelog` says what), filtered by project and fields. */
  onIssueUpdated(filter: JiraEventFilter = {}): WebhookTrigger<JiraIssueEvent> {
    return jiraEventTrigger("jira:issue_updated", filter, "jira.issueUpdated", this.clientOptions());
  }

  /** Starts a run for every comment added (`comment_created`), in `filter.project` when given. */
  onCommentCreated(filter: JiraEventFilter = {}): WebhookTrigger<JiraCommentEvent> {
    return jiraEventTrigger("comment_created", filter, "jira.commentCreated", this.clientOptions());
  }

  /**
   * Starts a run for every issue created or updated in `options.project`, by polling the JQL search
   * (`updated >= <epoch ms>`) where webhooks cannot reach the service. Polls use this instance's token; without one
   * (HOSTED), pass `token`.
   */
  onIssueUpdatedPolling(options: JiraPollingOptions): PollingTrigger<JiraPolledIssue> {
    const { id: _id, token, ...client } = this.options;
    const found = options.token ?? token;
    if (found === undefined) {
      throw new TypeError(
        `Jira (${this.options.id}): onIssueUpdatedPolling polls outside any run, so it needs a token: give the integration one, or pass \`token\``,
      );
    }
    return jiraIssuePollingTrigger({ ...options, token: found, client: { ...client, ...options.client } });
  }

  /** How this instance reaches Jira (site, cloud, email, timeout, fetch), without its id and token. */
  private clientOptions(): JiraClientOptions {
    const { id: _id, token: _token, ...client } = this.options;
    return client;
  }
}

import { type IntegrationTaskKey, optionalProperty, type TaskOutput } from "@autoflow/core";
import { JIRA_PROVIDER_DEFINITION, type JiraIntegrationOptions } from "./definition";
import { type JiraText, toAdf } from "./tasks/adf";
import { reconcileComment } from "./tasks/issue-comments";
import { markerProperty } from "./tasks/marker";
import { asModel, type JiraAnswer } from "./tasks/sdk-types";
import { type TransitionedIssue, type TransitionToParams, transitionIssueTo } from "./tasks/transition-to";
import { JiraTriggerMethods } from "./triggers/jira-trigger-methods";

type Comment = JiraAnswer<"issueComments", "addComment">;

/** What `addTextComment` takes: the issue and the comment as plain text (or ADF, passed through). */
export interface TextCommentParams {
  issueIdOrKey: string;
  /** Plain text (paragraphs split on blank lines), or an Atlassian Document Format document as it is. */
  text: JiraText;
}

/** What `setDescription` takes: the issue and its new description as plain text (or ADF). */
export interface DescriptionParams {
  issueIdOrKey: string;
  text: JiraText;
}

/**
 * Jira Cloud for AutoFlow jobs: `io.jira.issues.createIssue(key, params)` and every other jira.js 6 method as a
 * durable, typed task (`io.jira.issueWatchers.addWatcher`, ...), typed from jira.js's own parameters and models.
 * Jira has no idempotency key: creates carry an entity property with a marker from the task's idempotency key, and a
 * lost answer is looked up by it before the create is repeated.
 */
export class Jira extends JiraTriggerMethods {
  constructor(options: JiraIntegrationOptions) {
    super(JIRA_PROVIDER_DEFINITION, options);
  }

  /**
   * Adds a comment written as plain text (converted to Atlassian Document Format: a paragraph per blank-line-separated
   * block, hard breaks for other line breaks); an ADF document is sent as it is. Reconciled like `addComment`.
   * @see https://developer.atlassian.com/cloud/jira/platform/apis/document/structure/
   */
  addTextComment(key: IntegrationTaskKey, params: TextCommentParams): Promise<TaskOutput<Comment>> {
    return this.runTask<Comment>(
      key,
      (client, task) =>
        asModel<Comment>(
          client.issueComments.addComment({
            issueIdOrKey: params.issueIdOrKey,
            body: toAdf(params.text),
            properties: [markerProperty(task)],
          }),
        ),
      {
        name: "Add Comment",
        params,
        properties: optionalProperty("Issue", params.issueIdOrKey),
        idempotency: "reconcile",
        reconcile: (client, { marker, callStartedAt }) =>
          reconcileComment(client, params.issueIdOrKey, marker, callStartedAt),
      },
    );
  }

  /**
   * Sets an issue's description from plain text (or ADF, as it is). Setting it again leaves the same description.
   * @see https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issues/#api-rest-api-3-issue-issueidorkey-put
   */
  setDescription(key: IntegrationTaskKey, params: DescriptionParams): Promise<TaskOutput<void>> {
    return this.runTask<void>(
      key,
      async (client) => {
        await client.issues.editIssue({
          issueIdOrKey: params.issueIdOrKey,
          fields: { description: toAdf(params.text) },
        });
      },
      {
        name: "Set Description",
        params,
        properties: optionalProperty("Issue", params.issueIdOrKey),
        idempotency: "idempotent",
      },
    );
  }

  /**
   * Moves an issue to a status by name: reads its status, and when it is elsewhere finds the transition leading there
   * (by its target status or its own name, case-insensitively) and does it. Converges: a repeat finds the status
   * reached and does nothing; a status no transition reaches from here is `schema`.
   * @see https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issues/#api-rest-api-3-issue-issueidorkey-transitions-post
   */
  transitionTo(key: IntegrationTaskKey, params: TransitionToParams): Promise<TaskOutput<TransitionedIssue>> {
    return this.runTask<TransitionedIssue>(key, (client) => transitionIssueTo(client, params), {
      name: "Transition Issue",
      params,
      properties: [
        ...optionalProperty("Issue", params.issueIdOrKey),
        ...optionalProperty("Status", params.status),
      ],
      idempotency: "idempotent",
    });
  }
}

import { type IntegrationTaskKey, optionalProperty, TaskNamespace, type TaskOutput } from "@autoflow/core";
import type { CloudClient } from "jira.js/cloud";
import { asModel, type JiraAnswer, type JiraParams } from "./sdk-types";

type P<M extends keyof CloudClient["issueLinks"]> = JiraParams<"issueLinks", M>;

/** Hand-written `issueLinks` tasks (`linkIssues`, `getIssueLink`, `deleteIssueLink`). */
export class IssueLinks extends TaskNamespace<CloudClient> {
  /**
   * Links two issues (`type: { name: "Blocks" }`, `inwardIssue`, `outwardIssue`). Jira keeps one link of a type
   * between two issues: linking them again adds nothing.
   * @see https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issue-links/#api-rest-api-3-issuelink-post
   */
  linkIssues(key: IntegrationTaskKey, params: P<"linkIssues">): Promise<TaskOutput<void>> {
    return this.task<void>(
      key,
      async (client) => {
        await client.issueLinks.linkIssues(params);
      },
      {
        name: "Link Issues",
        params,
        properties: [
          ...optionalProperty("Type", params.type?.name),
          ...optionalProperty("Inward", params.inwardIssue?.key ?? params.inwardIssue?.id),
          ...optionalProperty("Outward", params.outwardIssue?.key ?? params.outwardIssue?.id),
        ],
        idempotency: "idempotent",
      },
    );
  }

  /**
   * Gets an issue link by id.
   * @see https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issue-links/#api-rest-api-3-issuelink-linkid-get
   */
  getIssueLink(
    key: IntegrationTaskKey,
    params: P<"getIssueLink">,
  ): Promise<TaskOutput<JiraAnswer<"issueLinks", "getIssueLink">>> {
    return this.task<JiraAnswer<"issueLinks", "getIssueLink">>(
      key,
      (client) => asModel<JiraAnswer<"issueLinks", "getIssueLink">>(client.issueLinks.getIssueLink(params)),
      {
        name: "Get Issue Link",
        params,
        properties: optionalProperty("Link", params.linkId),
        idempotency: "idempotent",
      },
    );
  }

  /**
   * Deletes an issue link. Once deleted, a repeat answers 404 (`schema`): check for it in a job that re-runs deletes.
   * @see https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issue-links/#api-rest-api-3-issuelink-linkid-delete
   */
  deleteIssueLink(key: IntegrationTaskKey, params: P<"deleteIssueLink">): Promise<TaskOutput<void>> {
    return this.task<void>(
      key,
      async (client) => {
        await client.issueLinks.deleteIssueLink(params);
      },
      {
        name: "Delete Issue Link",
        params,
        properties: optionalProperty("Link", params.linkId),
        idempotency: "idempotent",
      },
    );
  }
}

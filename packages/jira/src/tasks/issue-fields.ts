import { type IntegrationTaskKey, TaskNamespace, type TaskOutput } from "@autoflow/core";
import type { CloudClient } from "jira.js/cloud";
import { asModel, type JiraAnswer } from "./sdk-types";

/** Hand-written `issueFields` tasks (`getFields`); every other `issueFields.*` method passes through. */
export class IssueFields extends TaskNamespace<CloudClient> {
  /**
   * Lists every system and custom field, with its id (`customfield_10010`) to name it by in `fields`.
   * @see https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issue-fields/#api-rest-api-3-field-get
   */
  getFields(key: IntegrationTaskKey): Promise<TaskOutput<JiraAnswer<"issueFields", "getFields">>> {
    return this.task<JiraAnswer<"issueFields", "getFields">>(
      key,
      (client) => asModel<JiraAnswer<"issueFields", "getFields">>(client.issueFields.getFields()),
      {
        name: "Get Fields",
        idempotency: "idempotent",
      },
    );
  }
}

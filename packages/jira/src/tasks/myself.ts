import { type IntegrationTaskKey, TaskNamespace, type TaskOutput } from "@autoflow/core";
import type { CloudClient } from "jira.js/cloud";
import { asModel, type JiraAnswer, type JiraParams } from "./sdk-types";

/** Hand-written `myself` tasks (`getCurrentUser`); every other `myself.*` method passes through. */
export class Myself extends TaskNamespace<CloudClient> {
  /**
   * Gets the user the token acts as (`accountId`, `displayName`, `emailAddress`, `timeZone`).
   * @see https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-myself/#api-rest-api-3-myself-get
   */
  getCurrentUser(
    key: IntegrationTaskKey,
    params: JiraParams<"myself", "getCurrentUser"> = {},
  ): Promise<TaskOutput<JiraAnswer<"myself", "getCurrentUser">>> {
    return this.task<JiraAnswer<"myself", "getCurrentUser">>(
      key,
      (client) => asModel<JiraAnswer<"myself", "getCurrentUser">>(client.myself.getCurrentUser(params)),
      {
        name: "Get Current User",
        params,
        idempotency: "idempotent",
      },
    );
  }
}

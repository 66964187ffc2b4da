import { type IntegrationTaskKey, optionalProperty, TaskNamespace, type TaskOutput } from "@autoflow/core";
import type { CloudClient } from "jira.js/cloud";
import { asModel, type JiraAnswer, type JiraParams } from "./sdk-types";

/** Hand-written `userSearch` tasks (`findUsers`); every other `userSearch.*` method passes through. */
export class UserSearch extends TaskNamespace<CloudClient> {
  /**
   * Finds users by a query matched against display name and email (`query`), or by `accountId`.
   * @see https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-user-search/#api-rest-api-3-user-search-get
   */
  findUsers(
    key: IntegrationTaskKey,
    params: JiraParams<"userSearch", "findUsers"> = {},
  ): Promise<TaskOutput<JiraAnswer<"userSearch", "findUsers">>> {
    return this.task<JiraAnswer<"userSearch", "findUsers">>(
      key,
      (client) => asModel<JiraAnswer<"userSearch", "findUsers">>(client.userSearch.findUsers(params)),
      {
        name: "Find Users",
        params,
        properties: optionalProperty("Query", params.query ?? params.accountId),
        idempotency: "idempotent",
      },
    );
  }
}

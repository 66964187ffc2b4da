import { type IntegrationTaskKey, optionalProperty, TaskNamespace, type TaskOutput } from "@autoflow/core";
import type { CloudClient } from "jira.js/cloud";
import { asModel, type JiraAnswer, type JiraParams } from "./sdk-types";

type P<M extends keyof CloudClient["issueProperties"]> = JiraParams<"issueProperties", M>;

/** Hand-written `issueProperties` tasks (`setIssueProperty`, `getIssueProperty`); every other method passes through. */
export class IssueProperties extends TaskNamespace<CloudClient> {
  /**
   * Sets an issue property (a JSON value under a key, searchable by JQL `issue.property[key].path`). Setting the same
   * value again leaves the same property.
   * @see https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issue-properties/#api-rest-api-3-issue-issueidorkey-properties-propertykey-put
   */
  setIssueProperty(key: IntegrationTaskKey, params: P<"setIssueProperty">): Promise<TaskOutput<void>> {
    return this.task<void>(
      key,
      async (client) => {
        await client.issueProperties.setIssueProperty(params);
      },
      {
        name: "Set Issue Property",
        params,
        properties: [
          ...optionalProperty("Issue", params.issueIdOrKey),
          ...optionalProperty("Property", params.propertyKey),
        ],
        idempotency: "idempotent",
      },
    );
  }

  /**
   * Gets an issue property's value.
   * @see https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issue-properties/#api-rest-api-3-issue-issueidorkey-properties-propertykey-get
   */
  getIssueProperty(
    key: IntegrationTaskKey,
    params: P<"getIssueProperty">,
  ): Promise<TaskOutput<JiraAnswer<"issueProperties", "getIssueProperty">>> {
    return this.task<JiraAnswer<"issueProperties", "getIssueProperty">>(
      key,
      (client) =>
        asModel<JiraAnswer<"issueProperties", "getIssueProperty">>(
          client.issueProperties.getIssueProperty(params),
        ),
      {
        name: "Get Issue Property",
        params,
        properties: [
          ...optionalProperty("Issue", params.issueIdOrKey),
          ...optionalProperty("Property", params.propertyKey),
        ],
        idempotency: "idempotent",
      },
    );
  }
}

import { type IntegrationTaskKey, optionalProperty, TaskNamespace, type TaskOutput } from "@autoflow/core";
import type { CloudClient } from "jira.js/cloud";
import { asModel, type JiraAnswer, type JiraParams } from "./sdk-types";

type P<M extends keyof CloudClient["projects"]> = JiraParams<"projects", M>;
type A<M extends keyof CloudClient["projects"]> = JiraAnswer<"projects", M>;

/** Hand-written `projects` tasks (`searchProjects`, `getProject`); every other `projects.*` method passes through. */
export class Projects extends TaskNamespace<CloudClient> {
  /**
   * Lists the projects the user can see, one page (`query`, `startAt`, `maxResults`).
   * @see https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-projects/#api-rest-api-3-project-search-get
   */
  searchProjects(
    key: IntegrationTaskKey,
    params: P<"searchProjects"> = {},
  ): Promise<TaskOutput<A<"searchProjects">>> {
    return this.task<A<"searchProjects">>(
      key,
      (client) => asModel<A<"searchProjects">>(client.projects.searchProjects(params)),
      {
        name: "Search Projects",
        params,
        properties: optionalProperty("Query", params.query),
        idempotency: "idempotent",
      },
    );
  }

  /**
   * Gets a project (with `expand: "issueTypes"`, its issue types).
   * @see https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-projects/#api-rest-api-3-project-projectidorkey-get
   */
  getProject(key: IntegrationTaskKey, params: P<"getProject">): Promise<TaskOutput<A<"getProject">>> {
    return this.task<A<"getProject">>(
      key,
      (client) => asModel<A<"getProject">>(client.projects.getProject(params)),
      {
        name: "Get Project",
        params,
        properties: optionalProperty("Project", params.projectIdOrKey),
        idempotency: "idempotent",
      },
    );
  }
}

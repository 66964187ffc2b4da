import { type IntegrationTaskKey, optionalProperty, TaskNamespace, type TaskOutput } from "@autoflow/core";
import type { CloudClient } from "jira.js/cloud";
import { asModel, type JiraAnswer, type JiraParams } from "./sdk-types";

type P<M extends keyof CloudClient["issueSearch"]> = JiraParams<"issueSearch", M>;
type A<M extends keyof CloudClient["issueSearch"]> = JiraAnswer<"issueSearch", M>;
type SearchParams = P<"searchAndReconsileIssuesUsingJql">;
type SearchedIssue = NonNullable<A<"searchAndReconsileIssuesUsingJql">["issues"]>[number];

/**
 * The fields a search returns when the call names none: Jira's enhanced search answers only `id` without `fields`,
 * which is rarely what a job wants.
 */
export const DEFAULT_SEARCH_FIELDS = [
  "summary",
  "status",
  "issuetype",
  "project",
  "assignee",
  "reporter",
  "priority",
  "labels",
  "created",
  "updated",
];

function withFields<T extends { fields?: string[] | undefined }>(params: T): T {
  return params.fields === undefined ? { ...params, fields: DEFAULT_SEARCH_FIELDS } : params;
}

/**
 * Hand-written `issueSearch` tasks over Jira's enhanced JQL search (`/rest/api/3/search/jql`, paged by
 * `nextPageToken` until `isLast`, no `total`; the old `/rest/api/3/search` answers 410). Every other `issueSearch.*`
 * method passes through. Search is eventually consistent: an issue created or updated a moment ago may not be found
 * yet.
 */
export class IssueSearch extends TaskNamespace<CloudClient> {
  /**
   * Searches issues by JQL, one page (`nextPageToken` for the next; `fields` default `DEFAULT_SEARCH_FIELDS`).
   * @see https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issue-search/#api-rest-api-3-search-jql-get
   */
  searchAndReconsileIssuesUsingJql(
    key: IntegrationTaskKey,
    params: SearchParams,
  ): Promise<TaskOutput<A<"searchAndReconsileIssuesUsingJql">>> {
    return this.task<A<"searchAndReconsileIssuesUsingJql">>(
      key,
      (client) =>
        asModel<A<"searchAndReconsileIssuesUsingJql">>(
          client.issueSearch.searchAndReconsileIssuesUsingJql(withFields(params)),
        ),
      {
        name: "Search Issues",
        params,
        properties: optionalProperty("JQL", params.jql),
        idempotency: "idempotent",
      },
    );
  }

  /**
   * Searches issues by JQL with the query in a POST body (long JQL), one page.
   * @see https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issue-search/#api-rest-api-3-search-jql-post
   */
  searchAndReconsileIssuesUsingJqlPost(
    key: IntegrationTaskKey,
    params: P<"searchAndReconsileIssuesUsingJqlPost">,
  ): Promise<TaskOutput<A<"searchAndReconsileIssuesUsingJqlPost">>> {
    return this.task<A<"searchAndReconsileIssuesUsingJqlPost">>(
      key,
      (client) =>
        asModel<A<"searchAndReconsileIssuesUsingJqlPost">>(
          client.issueSearch.searchAndReconsileIssuesUsingJqlPost(withFields(params)),
        ),
      {
        name: "Search Issues",
        params,
        properties: optionalProperty("JQL", params.jql),
        // A POST that only reads.
        idempotency: "idempotent",
      },
    );
  }

  /**
   * Walks the pages of a JQL search (`nextPageToken` until `isLast`) into one list of at most `limit` issues.
   * @see https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issue-search/#api-rest-api-3-search-jql-get
   */
  searchAndReconsileIssuesUsingJqlAll(
    key: IntegrationTaskKey,
    params: Omit<SearchParams, "nextPageToken">,
    { limit }: { limit: number },
  ): Promise<TaskOutput<SearchedIssue[]>> {
    return this.pages<SearchedIssue>(
      key,
      {
        limit,
        async *pages(client) {
          let nextPageToken: string | undefined;
          do {
            const page = await client.issueSearch.searchAndReconsileIssuesUsingJql(
              withFields({ ...params, ...(nextPageToken !== undefined && { nextPageToken }) }),
            );
            yield (page.issues ?? []) as unknown as SearchedIssue[];
            nextPageToken = page.isLast === false ? (page.nextPageToken ?? undefined) : undefined;
          } while (nextPageToken);
        },
      },
      { name: "Search All Issues", params, properties: optionalProperty("JQL", params.jql) },
    );
  }

  /**
   * Counts the issues a JQL query matches (approximately, as Jira's index stands).
   * @see https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issue-search/#api-rest-api-3-search-approximate-count-post
   */
  countIssues(key: IntegrationTaskKey, params: P<"countIssues">): Promise<TaskOutput<A<"countIssues">>> {
    return this.task<A<"countIssues">>(
      key,
      (client) => asModel<A<"countIssues">>(client.issueSearch.countIssues(params)),
      {
        name: "Count Issues",
        params,
        properties: optionalProperty("JQL", params.jql),
        idempotency: "idempotent",
      },
    );
  }
}

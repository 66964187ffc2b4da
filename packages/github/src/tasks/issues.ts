import type { IntegrationTaskKey } from "@autoflow/core";
import { onGithubError } from "../errors";
import type { GithubData, GithubParams, GithubTaskContext, GithubTaskNamespace } from "../types";
import { issueProperty, optional, repoProperty } from "./properties";

type Method = keyof GithubTaskNamespace<"issues">;
type Params<M extends Method> = GithubParams<"issues", M>;
type Output<M extends Method> = Promise<GithubData<"issues", M>>;

/** Hand-written `issues` tasks: the SDK's own params and data, with display properties. */
export function issuesTasks({ runTask, webUrl }: GithubTaskContext) {
  return {
    /**
     * Creates an issue (title, body, labels, assignees, milestone).
     * @see https://docs.github.com/rest/issues/issues#create-an-issue
     */
    create(key: IntegrationTaskKey, params: Params<"create">): Output<"create"> {
      return runTask(
        key,
        async (client) => (await client.rest.issues.create(params)).data,
        {
          name: "Create Issue",
          params,
          properties: [
            repoProperty(webUrl, params.owner, params.repo),
            { label: "Title", text: String(params.title) },
            ...optional("Labels", params.labels),
            ...optional("Assignees", params.assignees),
            ...optional("Milestone", params.milestone),
          ],
        },
        onGithubError,
      );
    },

    /**
     * Gets one issue (or pull request) by number.
     * @see https://docs.github.com/rest/issues/issues#get-an-issue
     */
    get(key: IntegrationTaskKey, params: Params<"get">): Output<"get"> {
      return runTask(
        key,
        async (client) => (await client.rest.issues.get(params)).data,
        {
          name: "Get Issue",
          params,
          properties: [
            repoProperty(webUrl, params.owner, params.repo),
            issueProperty(webUrl, params.owner, params.repo, params.issue_number),
          ],
        },
        onGithubError,
      );
    },

    /**
     * Updates an issue: title, body, state, labels, assignees, milestone.
     * @see https://docs.github.com/rest/issues/issues#update-an-issue
     */
    update(key: IntegrationTaskKey, params: Params<"update">): Output<"update"> {
      return runTask(
        key,
        async (client) => (await client.rest.issues.update(params)).data,
        {
          name: "Update Issue",
          params,
          properties: [
            repoProperty(webUrl, params.owner, params.repo),
            issueProperty(webUrl, params.owner, params.repo, params.issue_number),
            ...optional("Title", params.title),
            ...optional("State", params.state),
          ],
        },
        onGithubError,
      );
    },

    /**
     * Lists issues across the authenticated user's repositories (`GET /issues`; assigned to them by default).
     * @see https://docs.github.com/rest/issues/issues#list-issues-assigned-to-the-authenticated-user
     */
    list(key: IntegrationTaskKey, params: Params<"list"> = {}): Output<"list"> {
      return runTask(
        key,
        async (client) => (await client.rest.issues.list(params)).data,
        {
          name: "List Issues",
          params,
          properties: [
            ...optional("Filter", params.filter ?? "assigned"),
            ...optional("State", params.state),
          ],
        },
        onGithubError,
      );
    },

    /**
     * Lists a repository's issues, filtered by state and labels, one page at a time (`per_page`, `page`).
     * @see https://docs.github.com/rest/issues/issues#list-repository-issues
     */
    listForRepo(key: IntegrationTaskKey, params: Params<"listForRepo">): Output<"listForRepo"> {
      return runTask(
        key,
        async (client) => (await client.rest.issues.listForRepo(params)).data,
        {
          name: "List Repository Issues",
          params,
          properties: [
            repoProperty(webUrl, params.owner, params.repo),
            ...optional("State", params.state),
            ...optional("Labels", params.labels),
            ...optional("Page", params.page),
          ],
        },
        onGithubError,
      );
    },

    /**
     * Comments on an issue or pull request.
     * @see https://docs.github.com/rest/issues/comments#create-an-issue-comment
     */
    createComment(key: IntegrationTaskKey, params: Params<"createComment">): Output<"createComment"> {
      return runTask(
        key,
        async (client) => (await client.rest.issues.createComment(params)).data,
        {
          name: "Create Issue Comment",
          params,
          properties: [
            repoProperty(webUrl, params.owner, params.repo),
            issueProperty(webUrl, params.owner, params.repo, params.issue_number),
          ],
        },
        onGithubError,
      );
    },

    /**
     * Adds labels to an issue; answers every label the issue now has.
     * @see https://docs.github.com/rest/issues/labels#add-labels-to-an-issue
     */
    addLabels(key: IntegrationTaskKey, params: Params<"addLabels">): Output<"addLabels"> {
      return runTask(
        key,
        async (client) => (await client.rest.issues.addLabels(params)).data,
        {
          name: "Add Labels",
          params,
          properties: [
            repoProperty(webUrl, params.owner, params.repo),
            issueProperty(webUrl, params.owner, params.repo, params.issue_number),
            ...optional("Labels", "labels" in params ? params.labels : undefined),
          ],
        },
        onGithubError,
      );
    },
  } satisfies Partial<GithubTaskNamespace<"issues">>;
}

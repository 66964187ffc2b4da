import {
  type IntegrationTaskKey,
  optionalProperty,
  TaskNamespace,
  type TaskOutput,
  taskMarker,
} from "@autoflow/core";
import type { Octokit } from "octokit";
import type { GithubData, GithubParams, GithubRest } from "../types";
import { findMarked, markedBody, searchSince, unmarked, withoutMarker } from "./repeat-safety";
import { type GithubRouteResponse, githubRoutes } from "./routes";

type Method = keyof GithubRest["issues"];
type Params<M extends Method> = GithubParams<"issues", M>;
// Declared, not inferred: the declaration files can then name Octokit's types.
type Output<M extends Method> = Promise<TaskOutput<GithubData<"issues", M>>>;

/**
 * Hand-written `issues` tasks: the SDK's own params, resolving to the response data as the task log
 * keeps it. The repository and issue links come from the params (`Github#runTask`).
 */
export class Issues extends TaskNamespace<Octokit> {
  /**
   * Creates an issue (title, body, labels, assignees, milestone). The body ends with the task's marker as a
   * hidden HTML comment, so a lost answer is reconciled: the repository's issues created since the call are
   * searched for it, and the issue found completes the task.
   * @see https://docs.github.com/rest/issues/issues#create-an-issue
   */
  create(key: IntegrationTaskKey, params: Params<"create">): Output<"create"> {
    type Issue = GithubData<"issues", "create">;
    return this.task(
      key,
      async (client, task) => {
        const marker = taskMarker(task);
        const { data } = await client.rest.issues.create({
          ...params,
          body: markedBody(params.body, marker),
        });
        return withoutMarker(data, marker);
      },
      {
        name: "Create Issue",
        params,
        properties: [
          { label: "Title", text: String(params.title) },
          ...optionalProperty("Labels", params.labels),
          ...optionalProperty("Assignees", params.assignees),
          ...optionalProperty("Milestone", params.milestone),
        ],
        idempotency: "reconcile",
        // Newest first, updated since the call (an issue created since then was updated since then too).
        reconcile: async (client, context) =>
          unmarked(
            await findMarked<Issue>(
              client,
              "GET /repos/{owner}/{repo}/issues",
              {
                owner: params.owner,
                repo: params.repo,
                state: "all",
                sort: "created",
                direction: "desc",
                since: searchSince(context.callStartedAt),
              },
              context,
              { newestFirst: true },
            ),
            context.marker,
          ),
      },
    );
  }

  /**
   * Gets one issue (or pull request) by number.
   * @see https://docs.github.com/rest/issues/issues#get-an-issue
   */
  get(key: IntegrationTaskKey, params: Params<"get">): Output<"get"> {
    return this.task(key, async (client) => (await client.rest.issues.get(params)).data, {
      name: "Get Issue",
      params,
      idempotency: "idempotent",
    });
  }

  /**
   * Updates an issue: title, body, state, labels, assignees, milestone.
   * @see https://docs.github.com/rest/issues/issues#update-an-issue
   */
  update(key: IntegrationTaskKey, params: Params<"update">): Output<"update"> {
    return this.task(key, async (client) => (await client.rest.issues.update(params)).data, {
      name: "Update Issue",
      params,
      properties: [...optionalProperty("Title", params.title), ...optionalProperty("State", params.state)],
      // A PATCH sets the fields it names: a repeat leaves the issue as one update leaves it.
      idempotency: "idempotent",
    });
  }

  /**
   * Lists issues across the authenticated user's repositories (`GET /issues`; assigned to them by default).
   * @see https://docs.github.com/rest/issues/issues#list-issues-assigned-to-the-authenticated-user
   */
  list(key: IntegrationTaskKey, params: Params<"list"> = {}): Output<"list"> {
    return this.task(key, async (client) => (await client.rest.issues.list(params)).data, {
      name: "List Issues",
      params,
      properties: [
        ...optionalProperty("Filter", params.filter ?? "assigned"),
        ...optionalProperty("State", params.state),
      ],
      idempotency: "idempotent",
    });
  }

  /**
   * Lists a repository's issues, filtered by state and labels, one page at a time (`per_page`, `page`).
   * @see https://docs.github.com/rest/issues/issues#list-repository-issues
   */
  listForRepo(key: IntegrationTaskKey, params: Params<"listForRepo">): Output<"listForRepo"> {
    return this.task(key, async (client) => (await client.rest.issues.listForRepo(params)).data, {
      name: "List Repository Issues",
      params,
      properties: [
        ...optionalProperty("State", params.state),
        ...optionalProperty("Labels", params.labels),
        ...optionalProperty("Page", params.page),
      ],
      idempotency: "idempotent",
    });
  }

  /**
   * A repository's issues across pages, up to `limit` (1 to 10 000), walked as `octokit.paginate` walks them
   * (its page iterator, following GitHub's `link` header): one task for the whole walk, and no page is
   * asked for past the one that reaches `limit`. `per_page` defaults to `limit`, at most 100.
   * @see https://docs.github.com/rest/issues/issues#list-repository-issues
   */
  listForRepoAll(
    key: IntegrationTaskKey,
    params: Params<"listForRepo">,
    { limit }: { limit: number },
  ): Output<"listForRepo"> {
    const perPage = params.per_page ?? Math.min(100, limit);
    return this.pages(
      key,
      {
        // The route form of `octokit.paginate.iterator(octokit.rest.issues.listForRepo, ...)`: the same
        // request, without the type-checking cost of matching a method against `RequestInterface`.
        pages: (client) =>
          githubRoutes(client).pages("GET /repos/{owner}/{repo}/issues", { ...params, per_page: perPage }),
        items: (page) => (page as GithubRouteResponse).data as GithubData<"issues", "listForRepo">,
        limit,
      },
      {
        name: "List All Repository Issues",
        params,
        properties: [
          ...optionalProperty("State", params.state),
          ...optionalProperty("Labels", params.labels),
        ],
      },
    );
  }

  /**
   * Comments on an issue or pull request. The comment ends with the task's marker as a hidden HTML comment, so
   * a lost answer is reconciled: the issue's comments since the call are searched for it.
   * @see https://docs.github.com/rest/issues/comments#create-an-issue-comment
   */
  createComment(key: IntegrationTaskKey, params: Params<"createComment">): Output<"createComment"> {
    type Comment = GithubData<"issues", "createComment">;
    return this.task(
      key,
      async (client, task) => {
        const marker = taskMarker(task);
        const { data } = await client.rest.issues.createComment({
          ...params,
          body: markedBody(params.body, marker),
        });
        return withoutMarker(data, marker);
      },
      {
        name: "Create Issue Comment",
        params,
        idempotency: "reconcile",
        // Oldest first, filtered by GitHub to those updated since the call: read to the end.
        reconcile: async (client, context) =>
          unmarked(
            await findMarked<Comment>(
              client,
              "GET /repos/{owner}/{repo}/issues/{issue_number}/comments",
              {
                owner: params.owner,
                repo: params.repo,
                issue_number: params.issue_number,
                since: searchSince(context.callStartedAt),
              },
              context,
              { newestFirst: false },
            ),
            context.marker,
          ),
      },
    );
  }

  /**
   * Adds labels to an issue; answers every label the issue now has.
   * @see https://docs.github.com/rest/issues/labels#add-labels-to-an-issue
   */
  addLabels(key: IntegrationTaskKey, params: Params<"addLabels">): Output<"addLabels"> {
    return this.task(key, async (client) => (await client.rest.issues.addLabels(params)).data, {
      name: "Add Labels",
      params,
      properties: optionalProperty("Labels", "labels" in params ? params.labels : undefined),
      // An issue's labels are a set: adding the same labels again leaves them as they are.
      idempotency: "idempotent",
    });
  }
}

import { type IntegrationTaskKey, optionalProperty, TaskNamespace, type TaskOutput } from "@autoflow/core";
import type { Octokit } from "octokit";
import type { GithubData, GithubParams, GithubRest } from "../types";

type Method = keyof GithubRest["pulls"];
type Params<M extends Method> = GithubParams<"pulls", M>;
// Declared, not inferred: the declaration files can then name Octokit's types.
type Output<M extends Method> = Promise<TaskOutput<GithubData<"pulls", M>>>;

/** Hand-written `pulls` tasks: the SDK's own params, resolving to the response data as the task log keeps it. */
export class Pulls extends TaskNamespace<Octokit> {
  /**
   * Opens a pull request from `head` into `base`.
   * @see https://docs.github.com/rest/pulls/pulls#create-a-pull-request
   */
  create(key: IntegrationTaskKey, params: Params<"create">): Output<"create"> {
    return this.task(key, async (client) => (await client.rest.pulls.create(params)).data, {
      name: "Create Pull Request",
      params,
      properties: [
        ...optionalProperty("Title", params.title),
        { label: "Branches", text: `${params.head} → ${params.base}` },
      ],
    });
  }

  /**
   * Gets one pull request by number.
   * @see https://docs.github.com/rest/pulls/pulls#get-a-pull-request
   */
  get(key: IntegrationTaskKey, params: Params<"get">): Output<"get"> {
    return this.task(key, async (client) => (await client.rest.pulls.get(params)).data, {
      name: "Get Pull Request",
      params,
    });
  }

  /**
   * Lists a repository's pull requests (open by default).
   * @see https://docs.github.com/rest/pulls/pulls#list-pull-requests
   */
  list(key: IntegrationTaskKey, params: Params<"list">): Output<"list"> {
    return this.task(key, async (client) => (await client.rest.pulls.list(params)).data, {
      name: "List Pull Requests",
      params,
      properties: [...optionalProperty("State", params.state), ...optionalProperty("Base", params.base)],
    });
  }

  /**
   * Merges a pull request (merge, squash or rebase).
   * @see https://docs.github.com/rest/pulls/pulls#merge-a-pull-request
   */
  merge(key: IntegrationTaskKey, params: Params<"merge">): Output<"merge"> {
    return this.task(key, async (client) => (await client.rest.pulls.merge(params)).data, {
      name: "Merge Pull Request",
      params,
      properties: optionalProperty("Method", params.merge_method),
    });
  }
}

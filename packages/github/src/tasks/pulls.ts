import type { IntegrationTaskKey } from "@autoflow/core";
import { onGithubError } from "../errors";
import type { GithubData, GithubParams, GithubTaskContext, GithubTaskNamespace } from "../types";
import { optional, pullProperty, repoProperty } from "./properties";

type Method = keyof GithubTaskNamespace<"pulls">;
type Params<M extends Method> = GithubParams<"pulls", M>;
type Output<M extends Method> = Promise<GithubData<"pulls", M>>;

/** Hand-written `pulls` tasks: the SDK's own params and data, with display properties. */
export function pullsTasks({ runTask, webUrl }: GithubTaskContext) {
  return {
    /**
     * Opens a pull request from `head` into `base`.
     * @see https://docs.github.com/rest/pulls/pulls#create-a-pull-request
     */
    create(key: IntegrationTaskKey, params: Params<"create">): Output<"create"> {
      return runTask(
        key,
        async (client) => (await client.rest.pulls.create(params)).data,
        {
          name: "Create Pull Request",
          params,
          properties: [
            repoProperty(webUrl, params.owner, params.repo),
            ...optional("Title", params.title),
            { label: "Branches", text: `${params.head} → ${params.base}` },
          ],
        },
        onGithubError,
      );
    },

    /**
     * Gets one pull request by number.
     * @see https://docs.github.com/rest/pulls/pulls#get-a-pull-request
     */
    get(key: IntegrationTaskKey, params: Params<"get">): Output<"get"> {
      return runTask(
        key,
        async (client) => (await client.rest.pulls.get(params)).data,
        {
          name: "Get Pull Request",
          params,
          properties: [
            repoProperty(webUrl, params.owner, params.repo),
            pullProperty(webUrl, params.owner, params.repo, params.pull_number),
          ],
        },
        onGithubError,
      );
    },

    /**
     * Lists a repository's pull requests (open by default).
     * @see https://docs.github.com/rest/pulls/pulls#list-pull-requests
     */
    list(key: IntegrationTaskKey, params: Params<"list">): Output<"list"> {
      return runTask(
        key,
        async (client) => (await client.rest.pulls.list(params)).data,
        {
          name: "List Pull Requests",
          params,
          properties: [
            repoProperty(webUrl, params.owner, params.repo),
            ...optional("State", params.state),
            ...optional("Base", params.base),
          ],
        },
        onGithubError,
      );
    },

    /**
     * Merges a pull request (merge, squash or rebase).
     * @see https://docs.github.com/rest/pulls/pulls#merge-a-pull-request
     */
    merge(key: IntegrationTaskKey, params: Params<"merge">): Output<"merge"> {
      return runTask(
        key,
        async (client) => (await client.rest.pulls.merge(params)).data,
        {
          name: "Merge Pull Request",
          params,
          properties: [
            repoProperty(webUrl, params.owner, params.repo),
            pullProperty(webUrl, params.owner, params.repo, params.pull_number),
            ...optional("Method", params.merge_method),
          ],
        },
        onGithubError,
      );
    },
  } satisfies Partial<GithubTaskNamespace<"pulls">>;
}

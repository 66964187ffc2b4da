import type { IntegrationTaskKey } from "@autoflow/core";
import { onGithubError } from "../errors";
import type { GithubData, GithubParams, GithubTaskContext, GithubTaskNamespace } from "../types";
import { optional, repoProperty } from "./properties";

type Method = keyof GithubTaskNamespace<"repos">;
type Params<M extends Method> = GithubParams<"repos", M>;
type Output<M extends Method> = Promise<GithubData<"repos", M>>;

/** Hand-written `repos` tasks: the SDK's own params and data, with display properties. */
export function reposTasks({ runTask, webUrl }: GithubTaskContext) {
  return {
    /**
     * Gets a repository.
     * @see https://docs.github.com/rest/repos/repos#get-a-repository
     */
    get(key: IntegrationTaskKey, params: Params<"get">): Output<"get"> {
      return runTask(
        key,
        async (client) => (await client.rest.repos.get(params)).data,
        { name: "Get Repository", params, properties: [repoProperty(webUrl, params.owner, params.repo)] },
        onGithubError,
      );
    },

    /**
     * Lists the repositories the authenticated user can reach (own, collaborator, organization member).
     * @see https://docs.github.com/rest/repos/repos#list-repositories-for-the-authenticated-user
     */
    listForAuthenticatedUser(
      key: IntegrationTaskKey,
      params: Params<"listForAuthenticatedUser"> = {},
    ): Output<"listForAuthenticatedUser"> {
      return runTask(
        key,
        async (client) => (await client.rest.repos.listForAuthenticatedUser(params)).data,
        {
          name: "List My Repositories",
          params,
          properties: [...optional("Visibility", params.visibility), ...optional("Page", params.page)],
        },
        onGithubError,
      );
    },

    /**
     * Creates a repository webhook. The secret is redacted from the task log.
     * @see https://docs.github.com/rest/repos/webhooks#create-a-repository-webhook
     */
    createWebhook(key: IntegrationTaskKey, params: Params<"createWebhook">): Output<"createWebhook"> {
      return runTask(
        key,
        async (client) => (await client.rest.repos.createWebhook(params)).data,
        {
          name: "Create Webhook",
          params,
          redact: { paths: ["config.secret"] },
          properties: [
            repoProperty(webUrl, params.owner, params.repo),
            ...optional("URL", params.config?.url),
            ...optional("Events", params.events),
          ],
        },
        onGithubError,
      );
    },
  } satisfies Partial<GithubTaskNamespace<"repos">>;
}

import { type IntegrationTaskKey, optionalProperty, TaskNamespace, type TaskOutput } from "@autoflow/core";
import type { Octokit } from "octokit";
import type { GithubData, GithubParams, GithubRest } from "../types";
import { searchSince } from "./repeat-safety";
import { paginateAll } from "./routes";

type Method = keyof GithubRest["repos"];
type Params<M extends Method> = GithubParams<"repos", M>;
// Declared, not inferred: the declaration files can then name Octokit's types.
type Output<M extends Method> = Promise<TaskOutput<GithubData<"repos", M>>>;

/** Hand-written `repos` tasks: the SDK's own params, resolving to the response data as the task log keeps it. */
export class Repos extends TaskNamespace<Octokit> {
  /**
   * Gets a repository.
   * @see https://docs.github.com/rest/repos/repos#get-a-repository
   */
  get(key: IntegrationTaskKey, params: Params<"get">): Output<"get"> {
    return this.task(key, async (client) => (await client.rest.repos.get(params)).data, {
      name: "Get Repository",
      params,
      idempotency: "idempotent",
    });
  }

  /**
   * Lists the repositories the authenticated user can reach (own, collaborator, organization member).
   * @see https://docs.github.com/rest/repos/repos#list-repositories-for-the-authenticated-user
   */
  listForAuthenticatedUser(
    key: IntegrationTaskKey,
    params: Params<"listForAuthenticatedUser"> = {},
  ): Output<"listForAuthenticatedUser"> {
    return this.task(key, async (client) => (await client.rest.repos.listForAuthenticatedUser(params)).data, {
      name: "List My Repositories",
      params,
      properties: [
        ...optionalProperty("Visibility", params.visibility),
        ...optionalProperty("Page", params.page),
      ],
      idempotency: "idempotent",
    });
  }

  /**
   * Creates a repository webhook. The secret is redacted from the task log. A lost answer is reconciled: a hook
   * with the same URL created since the call is this task's (GitHub keeps one hook per URL in a repository).
   * @see https://docs.github.com/rest/repos/webhooks#create-a-repository-webhook
   */
  createWebhook(key: IntegrationTaskKey, params: Params<"createWebhook">): Output<"createWebhook"> {
    // `runTask` itself: a task's display has no redaction paths.
    return this.runTask(key, async (client) => (await client.rest.repos.createWebhook(params)).data, {
      name: "Create Webhook",
      params,
      redact: { paths: ["config.secret"] },
      properties: [
        ...optionalProperty("URL", params.config?.url),
        ...optionalProperty("Events", params.events),
      ],
      idempotency: "reconcile",
      reconcile: async (client, { callStartedAt }) => {
        const url = params.config?.url;
        if (!url) return { unknown: true };
        const since = searchSince(callStartedAt);
        const hooks = await paginateAll(client, client.rest.repos.listWebhooks, {
          owner: params.owner,
          repo: params.repo,
          per_page: 100,
        });
        const found = hooks.find((hook) => hook.config.url === url && hook.created_at >= since);
        return found ? { found: true, output: found } : { found: false };
      },
    });
  }
}

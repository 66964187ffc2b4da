import type { IntegrationTaskKey } from "@autoflow/core";
import { onGithubError } from "../errors";
import type { GithubData, GithubParams, GithubTaskContext, GithubTaskNamespace } from "../types";
import { optional, repoProperty } from "./properties";

type Method = keyof GithubTaskNamespace<"git">;
type Params<M extends Method> = GithubParams<"git", M>;
type Output<M extends Method> = Promise<GithubData<"git", M>>;

/** Hand-written `git` reference tasks: the SDK's own params and data, with display properties. */
export function gitTasks({ runTask, webUrl }: GithubTaskContext) {
  return {
    /**
     * Reads one reference, e.g. `ref: "heads/main"`.
     * @see https://docs.github.com/rest/git/refs#get-a-reference
     */
    getRef(key: IntegrationTaskKey, params: Params<"getRef">): Output<"getRef"> {
      return runTask(
        key,
        async (client) => (await client.rest.git.getRef(params)).data,
        {
          name: "Get Git Reference",
          params,
          properties: [repoProperty(webUrl, params.owner, params.repo), { label: "Ref", text: params.ref }],
        },
        onGithubError,
      );
    },

    /**
     * Creates a reference (`refs/heads/<branch>` or `refs/tags/<tag>`) at a commit.
     * @see https://docs.github.com/rest/git/refs#create-a-reference
     */
    createRef(key: IntegrationTaskKey, params: Params<"createRef">): Output<"createRef"> {
      return runTask(
        key,
        async (client) => (await client.rest.git.createRef(params)).data,
        {
          name: "Create Git Reference",
          params,
          properties: [
            repoProperty(webUrl, params.owner, params.repo),
            { label: "Ref", text: params.ref },
            { label: "SHA", text: params.sha.slice(0, 7) },
          ],
        },
        onGithubError,
      );
    },

    /**
     * Moves a reference to another commit (`ref: "heads/<branch>"`); a non-fast-forward needs `force: true`.
     * @see https://docs.github.com/rest/git/refs#update-a-reference
     */
    updateRef(key: IntegrationTaskKey, params: Params<"updateRef">): Output<"updateRef"> {
      return runTask(
        key,
        async (client) => (await client.rest.git.updateRef(params)).data,
        {
          name: "Update Git Reference",
          params,
          properties: [
            repoProperty(webUrl, params.owner, params.repo),
            { label: "Ref", text: params.ref },
            { label: "SHA", text: params.sha.slice(0, 7) },
            ...optional("Force", params.force),
          ],
        },
        onGithubError,
      );
    },
  } satisfies Partial<GithubTaskNamespace<"git">>;
}

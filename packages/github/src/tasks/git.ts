import { type IntegrationTaskKey, optionalProperty, TaskNamespace, type TaskOutput } from "@autoflow/core";
import type { Octokit } from "octokit";
import type { GithubData, GithubParams, GithubRest } from "../types";

type Method = keyof GithubRest["git"];
type Params<M extends Method> = GithubParams<"git", M>;
// Declared, not inferred: the declaration files can then name Octokit's types.
type Output<M extends Method> = Promise<TaskOutput<GithubData<"git", M>>>;

/**
 * Hand-written `git` reference tasks: the SDK's own params, resolving to the response data as the task
 * log keeps it. The repository and ref come from the params (`Github#runTask`).
 */
export class Git extends TaskNamespace<Octokit> {
  /**
   * Reads one reference, e.g. `ref: "heads/main"`.
   * @see https://docs.github.com/rest/git/refs#get-a-reference
   */
  getRef(key: IntegrationTaskKey, params: Params<"getRef">): Output<"getRef"> {
    return this.task(key, async (client) => (await client.rest.git.getRef(params)).data, {
      name: "Get Git Reference",
      params,
    });
  }

  /**
   * Creates a reference (`refs/heads/<branch>` or `refs/tags/<tag>`) at a commit.
   * @see https://docs.github.com/rest/git/refs#create-a-reference
   */
  createRef(key: IntegrationTaskKey, params: Params<"createRef">): Output<"createRef"> {
    return this.task(key, async (client) => (await client.rest.git.createRef(params)).data, {
      name: "Create Git Reference",
      params,
      properties: [{ label: "SHA", text: params.sha.slice(0, 7) }],
    });
  }

  /**
   * Moves a reference to another commit (`ref: "heads/<branch>"`); a non-fast-forward needs `force: true`.
   * @see https://docs.github.com/rest/git/refs#update-a-reference
   */
  updateRef(key: IntegrationTaskKey, params: Params<"updateRef">): Output<"updateRef"> {
    return this.task(key, async (client) => (await client.rest.git.updateRef(params)).data, {
      name: "Update Git Reference",
      params,
      properties: [
        { label: "SHA", text: params.sha.slice(0, 7) },
        ...optionalProperty("Force", params.force),
      ],
    });
  }
}

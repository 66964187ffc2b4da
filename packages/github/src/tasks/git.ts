import { type IntegrationTaskKey, optionalProperty, TaskNamespace, type TaskOutput } from "@autoflow/core";
import type { Octokit } from "octokit";
import type { GithubData, GithubParams, GithubRest } from "../types";
import { isValidationFailure } from "./repeat-safety";

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
      idempotency: "idempotent",
    });
  }

  /**
   * Creates a reference (`refs/heads/<branch>` or `refs/tags/<tag>`) at a commit. GitHub's 422 "Reference
   * already exists" completes the task when the reference points at `sha` (a repeat, or a run that made it
   * before), and fails as the conflict it is when it points elsewhere.
   * @see https://docs.github.com/rest/git/refs#create-a-reference
   */
  createRef(key: IntegrationTaskKey, params: Params<"createRef">): Output<"createRef"> {
    return this.task(
      key,
      async (client) => {
        try {
          return (await client.rest.git.createRef(params)).data;
        } catch (error) {
          if (!isValidationFailure(error, /reference already exists/i)) throw error;
          const { data } = await client.rest.git.getRef({
            owner: params.owner,
            repo: params.repo,
            ref: params.ref.replace(/^refs\//, ""),
          });
          if (data.object.sha === params.sha) return data;
          throw error;
        }
      },
      {
        name: "Create Git Reference",
        params,
        properties: [{ label: "SHA", text: params.sha.slice(0, 7) }],
        // A reference is created once: a repeat answers "Reference already exists", which completes as above.
        idempotency: "idempotent",
      },
    );
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
      // A PATCH to a sha: a repeat moves the reference where it already is.
      idempotency: "idempotent",
    });
  }
}

import { type IntegrationTaskKey, optionalProperty, TaskNamespace, type TaskOutput } from "@autoflow/core";
import type { Octokit } from "octokit";
import type { GithubData, GithubParams, GithubRest } from "../types";

type Method = keyof GithubRest["reactions"];
type Params<M extends Method> = GithubParams<"reactions", M>;
// Declared, not inferred: the declaration files can then name Octokit's types.
type Output<M extends Method> = Promise<TaskOutput<GithubData<"reactions", M>>>;

/** Hand-written `reactions` tasks: the SDK's own params, resolving to the response data as the task log keeps it. */
export class Reactions extends TaskNamespace<Octokit> {
  /**
   * Reacts to an issue (`+1`, `heart`, `rocket`, ...). Reacting twice with the same content answers the first reaction.
   * @see https://docs.github.com/rest/reactions/reactions#create-reaction-for-an-issue
   */
  createForIssue(key: IntegrationTaskKey, params: Params<"createForIssue">): Output<"createForIssue"> {
    return this.task(key, async (client) => (await client.rest.reactions.createForIssue(params)).data, {
      name: "React to Issue",
      params,
      properties: [{ label: "Reaction", text: params.content }],
      // One reaction per user and content: GitHub answers a repeat with the reaction the first call made.
      idempotency: "idempotent",
    });
  }

  /**
   * Lists the reactions to an issue, optionally of one content.
   * @see https://docs.github.com/rest/reactions/reactions#list-reactions-for-an-issue
   */
  listForIssue(key: IntegrationTaskKey, params: Params<"listForIssue">): Output<"listForIssue"> {
    return this.task(key, async (client) => (await client.rest.reactions.listForIssue(params)).data, {
      name: "List Issue Reactions",
      params,
      properties: optionalProperty("Reaction", params.content),
      idempotency: "idempotent",
    });
  }
}

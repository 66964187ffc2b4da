import type { IntegrationTaskKey } from "@autoflow/core";
import { onGithubError } from "../errors";
import type { GithubData, GithubParams, GithubTaskContext, GithubTaskNamespace } from "../types";
import { issueProperty, optional, repoProperty } from "./properties";

type Method = keyof GithubTaskNamespace<"reactions">;
type Params<M extends Method> = GithubParams<"reactions", M>;
type Output<M extends Method> = Promise<GithubData<"reactions", M>>;

/** Hand-written `reactions` tasks: the SDK's own params and data, with display properties. */
export function reactionsTasks({ runTask, webUrl }: GithubTaskContext) {
  return {
    /**
     * Reacts to an issue (`+1`, `heart`, `rocket`, ...). Reacting twice with the same content answers the first reaction.
     * @see https://docs.github.com/rest/reactions/reactions#create-reaction-for-an-issue
     */
    createForIssue(key: IntegrationTaskKey, params: Params<"createForIssue">): Output<"createForIssue"> {
      return runTask(
        key,
        async (client) => (await client.rest.reactions.createForIssue(params)).data,
        {
          name: "React to Issue",
          params,
          properties: [
            repoProperty(webUrl, params.owner, params.repo),
            issueProperty(webUrl, params.owner, params.repo, params.issue_number),
            { label: "Reaction", text: params.content },
          ],
        },
        onGithubError,
      );
    },

    /**
     * Lists the reactions to an issue, optionally of one content.
     * @see https://docs.github.com/rest/reactions/reactions#list-reactions-for-an-issue
     */
    listForIssue(key: IntegrationTaskKey, params: Params<"listForIssue">): Output<"listForIssue"> {
      return runTask(
        key,
        async (client) => (await client.rest.reactions.listForIssue(params)).data,
        {
          name: "List Issue Reactions",
          params,
          properties: [
            repoProperty(webUrl, params.owner, params.repo),
            issueProperty(webUrl, params.owner, params.repo, params.issue_number),
            ...optional("Reaction", params.content),
          ],
        },
        onGithubError,
      );
    },
  } satisfies Partial<GithubTaskNamespace<"reactions">>;
}

import type { AnyTriggerDefinition } from "../define-trigger";
import { githubIssueOpened, githubPullRequest, githubPush } from "./github";
import { slackAppMention, slackMessage, slackReactionAdded } from "./slack";

export { githubIssueOpened, githubPullRequest, githubPush } from "./github";
export { slackAppMention, slackMessage, slackReactionAdded } from "./slack";

/** Every built-in trigger, in catalogue order: the webhook triggers of the provider packages. */
export const builtinTriggers: readonly AnyTriggerDefinition[] = [
  githubIssueOpened,
  githubPush,
  githubPullRequest,
  slackMessage,
  slackReactionAdded,
  slackAppMention,
];

import type { AnyAction } from "../define-action";
import { githubCreateComment, githubCreateIssue } from "./github";
import { httpRequest } from "./http";
import { slackAddReaction, slackSendMessage } from "./slack";

export { githubCreateComment, githubCreateIssue } from "./github";
export { httpRequest } from "./http";
export { slackAddReaction, slackSendMessage } from "./slack";

/** Every built-in action, in the order the builder lists them. Later providers append theirs. */
export const builtinActions: readonly AnyAction[] = [
  slackSendMessage,
  slackAddReaction,
  githubCreateIssue,
  githubCreateComment,
  httpRequest,
];

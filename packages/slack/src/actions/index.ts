import { slackAddReaction } from "./add-reaction";
import { slackSendMessage } from "./send-message";

export { slackAddReaction } from "./add-reaction";
export { slackSendMessage } from "./send-message";

/** Slack's registry actions, in the order the builder lists them. */
export const slackActions = [slackSendMessage, slackAddReaction] as const;

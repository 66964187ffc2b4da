// The Slack triggers' public exports (typed triggers, payloads, verifier), re-exported by src/index.ts.
export type { SlackEventEnvelope, SlackEventOfType, SlackEventPayload } from "./event-payload";
export type {
  SlackChannelFilter,
  SlackEventFilter,
  SlackMessageFilter,
  SlackMessageSubtype,
  SlackMessageTriggerEvent,
  SlackPostedMessageEvent,
  SlackReactionFilter,
} from "./slack-triggers";
export {
  slackAppMentionTrigger,
  slackEventTrigger,
  slackMessageTrigger,
  slackReactionAddedTrigger,
} from "./slack-triggers";
export type { SlackWebhookVerifierOptions } from "./webhook-verifier";
export { createSlackWebhookVerifier } from "./webhook-verifier";

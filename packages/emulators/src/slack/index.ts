export type { SlackSubject } from "./slack-call";
export { slackDescriptor } from "./slack-descriptor";
export type { SlackEmulatorOptions } from "./slack-emulator";
export { SlackEmulator } from "./slack-emulator";
export type { SlackInnerEvent } from "./slack-event-builder";
export { slackSignature } from "./slack-event-signature";
export type {
  SlackEventAttempt,
  SlackEventEnvelope,
  SlackEventRecord,
  SlackEventSubscription,
  SlackEventsConfig,
  SlackRetryReason,
  SlackSendEventOptions,
} from "./slack-events-api";
export { SLACK_EVENT_RETRIES } from "./slack-events-api";
export { ALL_SCOPES as SLACK_SCOPES } from "./slack-oauth";
export type {
  SlackChannel,
  SlackEphemeralMessage,
  SlackFile,
  SlackMessage,
  SlackScheduledMessage,
  SlackUser,
} from "./slack-workspace";
export { SlackWorkspace } from "./slack-workspace";

import { type DisplayProperty, propertiesOf } from "@autoflow/core";
import { SLACK_PROVIDER_DEFINITION, type SlackIntegrationOptions } from "./definition";
import { Auth } from "./tasks/auth";
import { Chat } from "./tasks/chat";
import { Conversations } from "./tasks/conversations";
import { Files } from "./tasks/files";
import { Reactions } from "./tasks/reactions";
import { Users } from "./tasks/users";
import { SlackTriggerMethods } from "./triggers/slack-trigger-methods";

/**
 * Slack for AutoFlow jobs: `io.slack.chat.postMessage(key, params)` and every other
 * `@slack/web-api` WebClient method as a durable, typed task (`io.slack.admin.users.list`,
 * `io.slack.bookmarks.add`, ...), typed from the SDK's own arguments and responses.
 */
export class Slack extends SlackTriggerMethods {
  constructor(options: SlackIntegrationOptions) {
    super(SLACK_PROVIDER_DEFINITION, options);
  }

  /** Messages: `postMessage`, `update`, `delete`, `postEphemeral`, `scheduleMessage`, and every other `chat.*` method. */
  get chat() {
    return this.tasks("chat", Chat);
  }

  /** Channels: `list`, `history`, `replies`, `info`, `create`, `invite`, `join`, `archive`, and every other `conversations.*` method. */
  get conversations() {
    return this.tasks("conversations", Conversations);
  }

  /** People: `list`, `info`, `lookupByEmail`, and every other `users.*` method. */
  get users() {
    return this.tasks("users", Users);
  }

  /** `add`, `remove`, and every other `reactions.*` method. */
  get reactions() {
    return this.tasks("reactions", Reactions);
  }

  /** `uploadV2`, and every other `files.*` method. */
  get files() {
    return this.tasks("files", Files);
  }

  /** `test`, and every other `auth.*` method. */
  get auth() {
    return this.tasks("auth", Auth);
  }

  /** Display properties of a passthrough call: channel, user, timestamp, name and text. */
  protected override passthroughProperties(params: unknown): DisplayProperty[] {
    return propertiesOf(params, {
      Channel: "channel",
      "Channel ID": "channel_id",
      User: "user",
      Timestamp: "ts",
      Message: "timestamp",
      Name: "name",
      Text: "text",
    });
  }
}

import { type DisplayProperty, propertiesOf } from "@autoflow/core";
import { SLACK_PROVIDER_DEFINITION, type SlackIntegrationOptions } from "./definition";
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

import { SLACK_PROVIDER_DEFINITION, type SlackIntegrationOptions } from "./definition";
import { SlackTriggerMethods } from "./triggers/slack-trigger-methods";

/** Slack for AutoFlow jobs: every WebClient method as a durable task typed from the SDK. */
export class Slack extends SlackTriggerMethods {
  constructor(options: SlackIntegrationOptions) {
    super(SLACK_PROVIDER_DEFINITION, options);
  }
}

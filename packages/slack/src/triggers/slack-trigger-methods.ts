import type { WebhookTrigger } from "@autoflow/core";
import type { AppMentionEvent, ReactionAddedEvent, SlackEvent } from "@slack/types";
import { SlackIntegration } from "../definition";
import type { SlackEventOfType, SlackEventPayload } from "./event-payload";
import {
  type SlackChannelFilter,
  type SlackEventFilter,
  type SlackMessageFilter,
  type SlackMessageSubtype,
  type SlackMessageTriggerEvent,
  type SlackReactionFilter,
  slackAppMentionTrigger,
  slackEventTrigger,
  slackMessageTrigger,
  slackReactionAddedTrigger,
} from "./slack-triggers";

/** `Slack`'s trigger methods (`slack.onMessage(...)`): Events API deliveries, verified with the signing secret. */
export abstract class SlackTriggerMethods extends SlackIntegration {
  /**
   * Starts a run for every new message a person posts (`message` events): bots' messages, this
   * app's own included, and edits or deletions are left out unless `includeBots` or `subtypes` ask.
   */
  onMessage<S extends SlackMessageSubtype = never, B extends boolean = false>(
    filter: SlackMessageFilter<S, B> = {},
  ): WebhookTrigger<SlackEventPayload<SlackMessageTriggerEvent<S, B>>> {
    return slackMessageTrigger(filter);
  }

  /** Starts a run for every reaction added to a message (`reaction_added` events). */
  onReactionAdded(filter: SlackReactionFilter = {}): WebhookTrigger<SlackEventPayload<ReactionAddedEvent>> {
    return slackReactionAddedTrigger(filter);
  }

  /** Starts a run every time someone mentions the app (`app_mention` events). */
  onAppMention(filter: SlackChannelFilter = {}): WebhookTrigger<SlackEventPayload<AppMentionEvent>> {
    return slackAppMentionTrigger(filter);
  }

  /** Starts a run for every Events API event of `type`; the payload's `event` is narrowed to that type. */
  onEvent<T extends SlackEvent["type"]>(
    type: T,
    filter: SlackEventFilter = {},
  ): WebhookTrigger<SlackEventPayload<SlackEventOfType<T>>> {
    return slackEventTrigger(type, filter);
  }
}

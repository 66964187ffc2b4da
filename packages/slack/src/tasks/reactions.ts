import { type IntegrationTaskKey, propertiesOf, TaskNamespace, type TaskOutput } from "@autoflow/core";
import type {
  ReactionsAddArguments,
  ReactionsAddResponse,
  ReactionsRemoveArguments,
  ReactionsRemoveResponse,
  WebClient,
} from "@slack/web-api";

const REACTION_FIELDS = { Channel: "channel", Message: "timestamp", Emoji: "name" } as const;

/** `io.slack.reactions`: emoji reactions on messages. Other `reactions.*` methods pass through. */
export class Reactions extends TaskNamespace<WebClient> {
  /**
   * Adds an emoji reaction to a message.
   * @see https://docs.slack.dev/reference/methods/reactions.add
   */
  add(key: IntegrationTaskKey, params: ReactionsAddArguments): Promise<TaskOutput<ReactionsAddResponse>> {
    return this.task(key, (client) => client.reactions.add(params), {
      name: "Add Reaction",
      params,
      properties: propertiesOf(params, REACTION_FIELDS),
    });
  }

  /**
   * Removes the app's emoji reaction from a message.
   * @see https://docs.slack.dev/reference/methods/reactions.remove
   */
  remove(
    key: IntegrationTaskKey,
    params: ReactionsRemoveArguments,
  ): Promise<TaskOutput<ReactionsRemoveResponse>> {
    return this.task(key, (client) => client.reactions.remove(params), {
      name: "Remove Reaction",
      params,
      properties: propertiesOf(params, REACTION_FIELDS),
    });
  }
}

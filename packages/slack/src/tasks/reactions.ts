import { type IntegrationTaskKey, propertiesOf, TaskNamespace, type TaskOutput } from "@autoflow/core";
import type {
  ReactionsAddArguments,
  ReactionsAddResponse,
  ReactionsRemoveArguments,
  ReactionsRemoveResponse,
  WebClient,
} from "@slack/web-api";
import { alreadyDone } from "./repeat-safety";

const REACTION_FIELDS = { Channel: "channel", Message: "timestamp", Emoji: "name" } as const;

/** `io.slack.reactions`: emoji reactions on messages. Other `reactions.*` methods pass through. */
export class Reactions extends TaskNamespace<WebClient> {
  /**
   * Adds an emoji reaction to a message.
   * @see https://docs.slack.dev/reference/methods/reactions.add
   */
  add(key: IntegrationTaskKey, params: ReactionsAddArguments): Promise<TaskOutput<ReactionsAddResponse>> {
    return this.task(
      key,
      async (client, task) => {
        try {
          return await client.reactions.add(params);
        } catch (error) {
          // A repeat finds the reaction there: the attempt before added it.
          if (alreadyDone(task, error, ["already_reacted"])) return { ok: true } as ReactionsAddResponse;
          throw error;
        }
      },
      {
        name: "Add Reaction",
        params,
        properties: propertiesOf(params, REACTION_FIELDS),
        // One reaction per user and emoji: a repeat answers `already_reacted`, which completes the task.
        idempotency: "idempotent",
      },
    );
  }

  /**
   * Removes the app's emoji reaction from a message.
   * @see https://docs.slack.dev/reference/methods/reactions.remove
   */
  remove(
    key: IntegrationTaskKey,
    params: ReactionsRemoveArguments,
  ): Promise<TaskOutput<ReactionsRemoveResponse>> {
    return this.task(
      key,
      async (client, task) => {
        try {
          return await client.reactions.remove(params);
        } catch (error) {
          // A repeat finds the reaction gone: the attempt before removed it.
          if (alreadyDone(task, error, ["no_reaction"])) return { ok: true } as ReactionsRemoveResponse;
          throw error;
        }
      },
      {
        name: "Remove Reaction",
        params,
        properties: propertiesOf(params, REACTION_FIELDS),
        // A removed reaction stays removed: a repeat answers `no_reaction`, which completes the task.
        idempotency: "idempotent",
      },
    );
  }
}

import type {
  IntegrationTaskKey,
  IO,
  IOTask,
  RunTaskErrorCallback,
  RunTaskOptions,
  TaskOutput,
} from "@autoflow/core";
import type { WebClient } from "@slack/web-api";

/** `Slack.runTask`: runs `callback` with the run's WebClient as a durable, logged task. */
export type SlackRunTask = <T>(
  key: IntegrationTaskKey,
  callback: (client: WebClient, task: IOTask, io: IO) => Promise<T>,
  options?: RunTaskOptions,
  onError?: RunTaskErrorCallback,
) => Promise<TaskOutput<T>>;

import type { IntegrationTaskKey } from "../integration";
import type { IO, IOTask, RunTaskErrorCallback, RunTaskOptions } from "../io";
import type { TaskOutput } from "../json";

/** `runTask`'s options for provider tasks: the runtime's, plus what the kit does per request. */
export interface ProviderTaskOptions extends RunTaskOptions {
  /**
   * Send the task's idempotency key (stable across attempts and replays) with the request, through the
   * provider's `withIdempotencyKey` hook, so a retried write is applied once by the provider itself.
   */
  sendIdempotencyKey?: boolean;
}

/** A provider class's `runTask` (spec 001), as its task classes receive it. */
export type ProviderRunTask<TClient> = <T>(
  key: IntegrationTaskKey,
  callback: (client: TClient, task: IOTask, io: IO) => Promise<T>,
  options?: ProviderTaskOptions,
  onError?: RunTaskErrorCallback,
) => Promise<TaskOutput<T>>;

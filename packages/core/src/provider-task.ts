import type { IntegrationError } from "./errors";
import type { IntegrationTaskKey } from "./integration";
import type { IO, IOTask, RunTaskErrorCallback, RunTaskOptions } from "./io";
import type { TaskOutput } from "./json";
import { withRateLimitBucket } from "./rate-limit/current-bucket";
import { rateLimitBucketFor } from "./rate-limit/rate-limit-buckets";
import { retry } from "./retry";
import { isControlFlowSignal } from "./runtime/signals";

/** What a provider class holds once `cloneForRun` has bound it to a run. */
export interface RunBinding<TClient> {
  io: IO;
  connectionKey: string;
  client: TClient;
}

/** How a provider runs its SDK calls as tasks: its icon, its SDK-error translation, its default `onError`. */
export interface ProviderTaskConfig {
  /** The integration's slug, also the task icon, e.g. "slack". */
  provider: string;
  /** The display name used in messages, e.g. "Slack". */
  name: string;
  /** SDK error -> the taxonomy; the provider's `errors.ts`. */
  toError: (error: unknown) => IntegrationError;
  /** The spec-001 `onError` used when the caller passes none (e.g. retry at a rate-limit reset). */
  onError?: RunTaskErrorCallback;
}

/**
 * The body of every provider's `runTask` (spec 001): runs `callback` with the run's SDK client as a
 * durable task with `retry.standardBackoff`, the provider's icon and connection key. SDK errors are
 * translated before anything else sees them, so the runtime and any `onError` get an
 * `IntegrationError` (the SDK's error is its `cause`). Every attempt goes through the rate-limit bucket
 * of the provider's connection in this run: it waits out a reset another task was told about, and paces
 * calls at the limit learned from the provider's refusals.
 */
export function runProviderTask<TClient, T>(
  config: ProviderTaskConfig,
  binding: RunBinding<TClient> | undefined,
  key: IntegrationTaskKey,
  callback: (client: TClient, task: IOTask, io: IO) => Promise<T>,
  options?: RunTaskOptions,
  onError?: RunTaskErrorCallback,
): Promise<TaskOutput<T>> {
  if (!binding) {
    throw new Error(
      `No IO: call ${config.name} tasks on the run's \`io.<name>\`, not on the instance you created`,
    );
  }
  const { io, client, connectionKey } = binding;
  const bucket = rateLimitBucketFor(io, `${config.provider}:${connectionKey}`);
  return io.runTask(
    key,
    async (task, taskIO) => {
      const grant = await bucket.acquire();
      try {
        const result = await withRateLimitBucket(bucket, () => callback(client, task, taskIO));
        bucket.succeeded(grant);
        return result;
      } catch (error) {
        if (isControlFlowSignal(error)) throw error;
        const translated = config.toError(error);
        if (translated.type === "rate-limit") bucket.refused(grant, translated.retryAt);
        throw translated;
      }
    },
    { icon: config.provider, retry: retry.standardBackoff, ...options, connectionKey },
    onError ?? config.onError,
  );
}

/**
 * Spec 000's guard: a `token` key that is present but empty is an unset environment variable, a
 * common bug, not a request for OAuth. Throws with the integration id, never a value.
 */
export function assertTokenDefined(options: { id: string; token?: string | undefined }, name: string): void {
  if (Object.keys(options).includes("token") && !options.token) {
    throw new Error(`Can't create ${name} integration (${options.id}) as token was undefined`);
  }
}

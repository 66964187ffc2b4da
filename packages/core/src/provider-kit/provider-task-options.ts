import type { IntegrationTaskKey } from "../integration";
import type { IO, IOTask, RunTaskErrorCallback, RunTaskOptions } from "../io";
import type { TaskOutput } from "../json";
import type { Clock } from "../runtime/clock";
import type { ReconcileContext, ReconcileResult } from "../runtime/idempotency";
import type { ConnectionMappings } from "./connection-mappings";

/**
 * A provider task's reconciler: after an unknown outcome, looks up (with the SDK client, the attempt's token
 * and the connection's rate-limit bucket) whether the task's side effect happened, by the marker the task left
 * in what it created (`context.marker`) or anything else that identifies it.
 */
export type ProviderReconciler<TClient, T = unknown> = (
  client: TClient,
  context: ReconcileContext,
) => Promise<ReconcileResult<T>>;

/**
 * How a provider task makes a repeat safe when an attempt's outcome is unknown (its answer lost after the
 * request was sent, or the worker died mid-call):
 * - `native`: the kit sends the task's idempotency key (stable across attempts and replays) through the
 *   definition's `withIdempotencyKey` hook, and the provider applies a repeat once; repeated freely.
 * - `idempotent`: a repeat is harmless (a read, a PUT, a delete, an "already done" answer); repeated freely.
 * - `reconcile` with `reconcile`: the kit asks the reconciler first; found completes the task with it,
 *   certainly absent repeats the call, anything else fails the task with `outcome_unknown`.
 * - nothing: a write nothing makes safe; an unknown outcome fails the task with `outcome_unknown` and a
 *   message that says what to check, unless the job opted in with `retry: { onUnknownOutcome: "retry" }`.
 */
export type ProviderIdempotency<TClient, T = unknown> =
  | { idempotency?: "native" | "idempotent" | undefined; reconcile?: undefined }
  | { idempotency: "reconcile"; reconcile: ProviderReconciler<TClient, T> };

/** `runTask`'s options for provider tasks: the runtime's, with the idempotency declared the kit's way. */
export type ProviderTaskOptions<TClient = unknown, T = unknown> = Omit<
  RunTaskOptions,
  "idempotency" | "reconcile"
> &
  ProviderIdempotency<TClient, T>;

/** What a provider task reaches besides its client and IO: what the kit keeps per connection across runs. */
export interface ProviderTaskRun {
  /**
   * The connection's record → resource mappings of `kind` (`"tickets"`), claimed before a create and recorded
   * after it, so a sync converges across concurrent runs and crashes (see `ConnectionMappings`).
   */
  mappings(kind: string): ConnectionMappings;
  /**
   * The run's clock: what a task that waits inside itself (for another run's claim, for a search to settle)
   * sleeps and reads time on, so a runner on a test clock never waits for real.
   */
  readonly clock: Clock;
}

/** A provider class's `runTask` (spec 001), as its task classes receive it. */
export type ProviderRunTask<TClient> = <T>(
  key: IntegrationTaskKey,
  callback: (client: TClient, task: IOTask, io: IO, run: ProviderTaskRun) => Promise<T>,
  options?: ProviderTaskOptions<TClient, T>,
  onError?: RunTaskErrorCallback,
) => Promise<TaskOutput<T>>;

import { IntegrationError } from "../errors";
import type { IntegrationTaskKey } from "../integration";
import type { IO, IOTask, RunTaskErrorCallback } from "../io";
import type { TaskOutput } from "../json";
import { withRateLimitBucket } from "../rate-limit/current-bucket";
import { retry } from "../retry";
import { systemClock } from "../runtime/clock";
import { currentRunClock, noteTaskRequestSent, trackTaskRequests } from "../runtime/run-io";
import { isControlFlowSignal } from "../runtime/signals";
import { type ClientCache, sharedClientCache } from "./client-cache";
import { connectionMappings } from "./connection-mappings";
import type { ProviderDefinition, ProviderOptions } from "./provider-definition";
import { onProviderError } from "./provider-on-error";
import { type AttemptAuth, authForAttempt as currentAuth, type ProviderRun } from "./provider-run";
import type { ProviderTaskOptions, ProviderTaskRun } from "./provider-task-options";
import { recordSdkCalls, type SdkCallRecord } from "./sdk-call-recorder";
import { describeTaskFailure } from "./task-failure";

/** Everything `runProviderTask` needs besides the task itself. */
export interface ProviderTaskContext<TClient, TOptions extends ProviderOptions> {
  definition: ProviderDefinition<TClient, TOptions>;
  options: TOptions;
  run: ProviderRun | undefined;
  /** Default: the process's shared cache. */
  clients?: ClientCache;
}

/**
 * The body of every provider's `runTask` (spec 001), written once: runs `callback` as a durable task with
 * the provider's icon, backoff and connection key. Each attempt
 * - takes the token as it is now (a HOSTED connection's `current()`, refreshed when about to expire),
 * - uses the cached SDK client of (provider, options, token), never one built per run,
 * - goes through the connection's rate-limit bucket, shared by every run in the process,
 * - translates whatever the SDK throws with the provider's error table, so the runtime and any `onError`
 *   see an `IntegrationError` (the SDK's error is its `cause`),
 * - and after a 401 (or `reason: "token_expired"`) on a HOSTED connection, refreshes the token once and
 *   calls once more.
 * The task's `idempotency` (see `ProviderIdempotency`) tells the runtime what to do when an attempt's outcome
 * is unknown: `native` sends the task's idempotency key through the definition's `withIdempotencyKey`,
 * `reconcile` runs the reconciler with a client like an attempt's, and a task that declares nothing is a write
 * that is not repeated blindly (`idempotency: "none"` to the runtime).
 */
export function runProviderTask<TClient, TOptions extends ProviderOptions, T>(
  context: ProviderTaskContext<TClient, TOptions>,
  key: IntegrationTaskKey,
  callback: (client: TClient, task: IOTask, io: IO, taskRun: ProviderTaskRun) => Promise<T>,
  taskOptions?: ProviderTaskOptions<TClient, T>,
  onError?: RunTaskErrorCallback,
): Promise<TaskOutput<T>> {
  const { definition, run } = context;
  if (!run) {
    throw new Error(
      `No IO: call ${definition.name} tasks on the run's \`io.<name>\`, not on the instance you created`,
    );
  }
  const { idempotency, reconcile, ...options } = taskOptions ?? {};
  const { withIdempotencyKey } = definition;
  if (idempotency === "native" && !withIdempotencyKey) {
    throw new TypeError(
      `${definition.name} task ${JSON.stringify(key)} declares idempotency "native", but the provider definition has no withIdempotencyKey`,
    );
  }
  if (idempotency === "reconcile" && typeof reconcile !== "function") {
    throw new TypeError(
      `${definition.name} task ${JSON.stringify(key)} declares idempotency "reconcile" without a reconciler`,
    );
  }
  return run.io.runTask(
    key,
    async (task, taskIO) => {
      // Until the SDK call starts (the token, the rate-limit bucket) nothing has left: a timeout then is safe.
      trackTaskRequests();
      const called: SdkCallRecord = {};
      const taskRun: ProviderTaskRun = {
        mappings: (kind) => connectionMappings(taskIO, task, { provider: definition.id, run, kind }),
        clock: currentRunClock() ?? systemClock,
      };
      try {
        return await attempt(context, run, await authForAttempt(context, run), (client) => {
          const keyed =
            idempotency === "native" && withIdempotencyKey
              ? withIdempotencyKey(client, task.idempotencyKey)
              : client;
          // The recorder only compares against the root by identity (a root that is a property of the client):
          // the plain client's, which a definition caches per client; a keyed view's would be built anew for every
          // task (a method tree read off class instances walks the whole SDK: about 0.45 ms).
          return callback(recordSdkCalls(keyed, definition.sdk.root(client), called), task, taskIO, taskRun);
        });
      } catch (error) {
        // Every provider's failures name their task the same way, decided here once.
        if (!IntegrationError.isInstance(error)) throw error;
        throw describeTaskFailure(error, {
          method: called.method ?? task.name,
          taskKey: task.key,
          properties: task.properties,
        });
      }
    },
    {
      icon: definition.id,
      retry: definition.retry ?? retry.standardBackoff,
      ...options,
      connectionKey: run.connectionKey,
      idempotency: idempotency ?? "none",
      ...(reconcile && {
        reconcile: async (reconcileContext) =>
          attempt(context, run, await authForAttempt(context, run), (client) =>
            reconcile(client, reconcileContext),
          ),
      }),
    },
    onError ?? onProviderError,
  );
}

async function attempt<TClient, TOptions extends ProviderOptions, T>(
  context: ProviderTaskContext<TClient, TOptions>,
  run: ProviderRun,
  auth: AttemptAuth,
  call: (client: TClient) => Promise<T>,
  refreshed = false,
): Promise<T> {
  const { definition } = context;
  const { token, fields } = auth;
  // The connection's fetch (the service's egress-checked one) replaces the integration's own.
  const options = auth.fetch ? { ...context.options, fetch: auth.fetch } : context.options;
  if (!token) {
    throw new IntegrationError({
      type: "auth",
      provider: definition.id,
      message: `Can't run ${definition.name} integration (${options.id}): no token and no connection auth`,
    });
  }
  // The run's clock, so a runner on a test clock waits out rate limits in its time, not the wall's.
  const clock = currentRunClock() ?? systemClock;
  const cached = (context.clients ?? sharedClientCache).get(
    definition.id,
    // A connection's fields (its site, its cloud) shape the client as much as its options do.
    Object.keys(fields).length === 0 ? options : { options, fields },
    token,
    () => definition.createClient(token, options, fields),
    { clock },
  );
  const grant = await cached.bucket.acquire();
  // From here the request may leave at any moment: a task timeout now leaves the outcome unknown.
  noteTaskRequestSent();
  try {
    const result = await withRateLimitBucket(cached.bucket, () => call(cached.client));
    cached.bucket.succeeded(grant);
    return result;
  } catch (error) {
    if (isControlFlowSignal(error)) throw error;
    const translated: IntegrationError = definition.toError(error, clock.now());
    if (translated.type === "rate-limit") cached.bucket.refused(grant, translated.retryAt);
    // A 401 (or a provider's own "token expired" answer) refuses the request before anything happens, so
    // calling again with a refreshed token cannot repeat a side effect.
    const expired = translated.status === 401 || translated.reason === "token_expired";
    if (translated.type === "auth" && expired && !refreshed && run.auth?.current) {
      const fresh = await authForAttempt(context, run, true);
      if (fresh.token !== token) return attempt(context, run, fresh, call, true);
    }
    throw translated;
  }
}

/**
 * The token and fields for an attempt. A connection that cannot give one (removed, its refresh refused) is an `auth`
 * failure: retrying the call cannot help until someone reconnects it.
 */
async function authForAttempt<TClient, TOptions extends ProviderOptions>(
  context: ProviderTaskContext<TClient, TOptions>,
  run: ProviderRun,
  forceRefresh = false,
): Promise<AttemptAuth> {
  try {
    return await currentAuth(run, forceRefresh);
  } catch (error) {
    if (IntegrationError.isInstance(error) || isControlFlowSignal(error)) throw error;
    throw new IntegrationError({
      type: "auth",
      provider: context.definition.id,
      message: `${context.definition.name} connection (${context.options.id}) gave no auth: ${error instanceof Error ? error.message : String(error)}`,
      cause: error,
    });
  }
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

import { AsyncLocalStorage } from "node:async_hooks";
import { IntegrationError } from "../errors";
import type { IntegrationTaskKey } from "../integration";
import type { IO, IOLogger, IOTask, RunTaskErrorCallback, RunTaskOptions } from "../io";
import type { Json, TaskOutput } from "../json";
import { TASK_OUTPUT_LIMITS, truncateJson } from "../truncate-json";
import { recordAttemptError } from "./attempt-history";
import type { Clock } from "./clock";
import { DECLARE_SECRETS } from "./declare-secrets";
import { decideRetry } from "./retry-decision";
import { eventInfo, type RunExecution } from "./run-execution";
import { RUN_MAPPINGS, type RunMappings } from "./run-mappings";
import { isCancelSignal, isControlFlowSignal } from "./signals";
import { TaskAttempt } from "./task-attempt";
import { idempotencyKeyFor, serializeTaskKey, taskIdFor } from "./task-key";
import type { TaskRecord } from "./task-store";
import {
  interruptedAttemptError,
  judgeUnknownOutcome,
  RECONCILE_PENDING,
  type UnknownOutcomeVerdict,
} from "./unknown-outcome";
import { DuplicateTaskKeyError } from "./usage-errors";

/** The task whose callback is running, so tasks started inside it (also via `io.acme...`) nest under it. */
const currentTask = new AsyncLocalStorage<{
  execution: RunExecution;
  taskId: string;
  attempt?: TaskAttempt;
}>();

/**
 * The clock of the run whose task is executing, if any: code a task calls (a provider's rate-limit bucket,
 * its `Retry-After` arithmetic) keeps the run's time, so a runner on a test clock never waits for real.
 */
export function currentRunClock(): Clock | undefined {
  return currentTask.getStore()?.execution.clock;
}

/**
 * The signal of the task attempt whose callback is running, if any (aborted by a cancel or the task's
 * `timeoutMs`): the provider kit's fetch joins it to every request it sends.
 */
export function currentTaskSignal(): AbortSignal | undefined {
  return currentTask.getStore()?.attempt?.signal;
}

/** The provider kit's task says it reports when its SDK call starts (`noteTaskRequestSent`): until then nothing left. */
export function trackTaskRequests(): void {
  const attempt = currentTask.getStore()?.attempt;
  if (attempt) attempt.tracksRequests = true;
}

/** The kit starts the SDK call (and its fetch sends a request): a timeout from now on leaves the outcome unknown. */
export function noteTaskRequestSent(): void {
  const attempt = currentTask.getStore()?.attempt;
  if (attempt) attempt.requestSent = true;
}

/** The `IO` a job sees: every call is recorded in the run's task log and replayed from it. */
export class RunIO implements IO {
  readonly logger: IOLogger;

  constructor(private readonly execution: RunExecution) {
    this.logger = {
      debug: (message, data) => this.log("debug", message, data),
      info: (message, data) => this.log("info", message, data),
      warn: (message, data) => this.log("warn", message, data),
      error: (message, data) => this.log("error", message, data),
    };
  }

  /** See `declareSecrets`. */
  [DECLARE_SECRETS](secrets: readonly string[]): void {
    this.execution.scrubber.add(...secrets);
  }

  /** See `runMappingsOf`. */
  [RUN_MAPPINGS](): RunMappings {
    const { mappings, clock } = this.execution;
    return { store: mappings, now: () => new Date(clock.now()) };
  }

  get runId(): string {
    return this.execution.runId;
  }

  runTask<T>(
    key: IntegrationTaskKey,
    callback: (task: IOTask, io: IO) => Promise<T>,
    options: RunTaskOptions = {},
    onError?: RunTaskErrorCallback,
  ): Promise<TaskOutput<T>> {
    return this.execution.track(this.executeTask(key, callback, options, onError));
  }

  async try<T, E>(
    tryCallback: () => Promise<T>,
    catchCallback: (error: unknown) => Promise<E>,
  ): Promise<T | E> {
    try {
      return await tryCallback();
    } catch (error) {
      if (isControlFlowSignal(error)) throw error;
      this.execution.throwIfSuspended();
      return catchCallback(error);
    }
  }

  async wait(key: IntegrationTaskKey, seconds: number): Promise<void> {
    if (!Number.isFinite(seconds) || seconds < 0) {
      throw new TypeError(`io.wait: seconds must be a finite number >= 0, got ${seconds}`);
    }
    const ex = this.execution;
    const record = this.claim(key, {
      name: "Wait",
      icon: "clock",
      properties: [{ label: "Seconds", text: String(seconds) }],
    });
    if (record.status === "completed") return;
    await ex.throwIfCancelled();
    if (record.status !== "waiting") {
      record.status = "waiting";
      record.retryAt = new Date(ex.clock.now() + seconds * 1000).toISOString();
      await ex.save(record);
      ex.emit({ type: "task.waiting", runId: ex.runId, task: eventInfo(record), until: record.retryAt });
    }
    await ex.waitUntil(new Date(record.retryAt ?? ex.now()), `io.wait("${record.id}")`);
    record.status = "completed";
    record.completedAt = ex.now();
    delete record.retryAt;
    await ex.save(record);
  }

  private async executeTask<T>(
    key: IntegrationTaskKey,
    callback: (task: IOTask, io: IO) => Promise<T>,
    options: RunTaskOptions,
    onError: RunTaskErrorCallback | undefined,
  ): Promise<TaskOutput<T>> {
    const ex = this.execution;
    const record = this.claim(key, options);
    const info = eventInfo(record);
    if (record.status === "completed") {
      ex.emit({ type: "task.replayed", runId: ex.runId, task: info, status: "completed" });
      return record.output as TaskOutput<T>;
    }
    if (record.status === "failed" && record.error) {
      ex.emit({ type: "task.replayed", runId: ex.runId, task: info, status: "failed" });
      const error = IntegrationError.fromJSON(record.error);
      ex.noteFailure(error, record);
      throw error;
    }

    // The worker died during this task's last attempt: whether its call reached the provider is unknown.
    if (ex.takeInterrupted(record.id)) {
      const provider = options.icon ?? options.connectionKey ?? "task";
      const error = interruptedAttemptError(record, provider);
      // A task that declares nothing (a group of tasks, each protected on its own) is simply entered again.
      const next =
        options.idempotency === undefined
          ? "attempt"
          : await this.follow<T>(record, await this.judge(record, options, error));
      if (typeof next === "object") return next.output;
      // The cut-off attempt is repeated: its history says so, as for any other failed attempt.
      if (next === "attempt") recordAttemptError(record, ex.scrubber.error(error).toJSON(), ex.now());
    }

    for (;;) {
      try {
        await ex.throwIfCancelled();
        if (record.status === "waiting" && record.retryAt) {
          await ex.waitUntil(new Date(record.retryAt), `retry of task "${record.id}"`);
        }
      } catch (thrown) {
        if (isCancelSignal(thrown)) return this.cancelled(record, thrown);
        throw thrown;
      }
      // Waiting to ask the reconciler again (its search lagged): ask it, and call only if it finds nothing.
      if (record.error?.code === RECONCILE_PENDING) {
        const verdict = await this.judge(record, options, IntegrationError.fromJSON(record.error));
        const next = await this.follow<T>(record, verdict);
        if (typeof next === "object") return next.output;
        if (next === "wait") continue;
        delete record.error;
      }
      record.attempts += 1;
      record.status = "running";
      record.attemptStartedAt = ex.now();
      delete record.retryAt;
      await ex.save(record);
      ex.releaseDescendants(record.id);

      const provider = options.icon ?? options.connectionKey ?? "task";
      const attempt = new TaskAttempt(ex.cancelSignal, options.timeoutMs, provider);
      const task = this.ioTask(record, options, attempt.signal);
      const startedAt = ex.clock.now();
      ex.emit({ type: "task.started", runId: ex.runId, task: info, attempt: record.attempts });
      try {
        const result = await attempt.run(() =>
          currentTask.run({ execution: ex, taskId: record.id, attempt }, () =>
            ex.inTaskContext(record.id, () => callback(task, this)),
          ),
        );
        // A child suspended and this callback swallowed the signal: the task is not done.
        ex.throwIfSuspended();
        return await this.complete<T>(record, result, startedAt, false);
      } catch (thrown) {
        if (ex.cancelled || isCancelSignal(thrown)) return this.cancelled(record, thrown);
        if (isControlFlowSignal(thrown)) throw thrown;
        ex.throwIfSuspended();
        const decision = await decideRetry({
          error: thrown,
          onError,
          task,
          io: this,
          retry: options.retry,
          attemptsMade: record.attempts,
          provider,
          now: ex.clock.now(),
          random: ex.random,
          unknownOutcome: (error) => this.judge(record, options, error),
        });
        if ("reconciled" in decision) {
          return this.complete<T>(record, decision.reconciled.output, startedAt, true);
        }
        if (!decision.retry) return this.fail(record, decision.error);
        await this.retryLater(record, decision.retryAt, decision.error);
      }
    }
  }

  /** Records the task as completed with `result` (bounded and scrubbed): what a replay will return. */
  private async complete<T>(
    record: TaskRecord,
    result: unknown,
    startedAt: number,
    reconciled: boolean,
  ): Promise<TaskOutput<T>> {
    const ex = this.execution;
    // Bounded before it is stored and before the job sees it, so a replay returns exactly what the first
    // execution returned (a huge answer reads `…[truncated N bytes]` both times).
    const output = truncateJson(ex.scrubber.copy(result), TASK_OUTPUT_LIMITS).value;
    record.status = "completed";
    record.completedAt = ex.now();
    if (output === undefined) delete record.output;
    else record.output = output;
    delete record.error;
    if (reconciled) record.reconciled = true;
    await ex.save(record);
    ex.emit({
      type: "task.completed",
      runId: ex.runId,
      task: eventInfo(record),
      attempt: record.attempts,
      durationMs: ex.clock.now() - startedAt,
      ...(reconciled && { reconciled: true as const }),
    });
    return output as TaskOutput<T>;
  }

  /** Records the task as cut off by its run's cancel and throws the cancel on (a control-flow signal). */
  private async cancelled(record: TaskRecord, thrown: unknown): Promise<never> {
    const ex = this.execution;
    ex.cancel();
    // A task that never started is not written down: only what ran shows as cut off.
    if (record.attempts > 0 && record.status !== "cancelled") {
      record.status = "cancelled";
      record.completedAt = ex.now();
      delete record.retryAt;
      await ex.save(record);
      ex.emit({ type: "task.cancelled", runId: ex.runId, task: eventInfo(record), attempt: record.attempts });
    }
    throw isCancelSignal(thrown) ? thrown : ex.cancelSignal.reason;
  }

  /** Records the task as failed for good with `error` (scrubbed), also in its attempt history, and throws it. */
  private async fail(record: TaskRecord, error: IntegrationError): Promise<never> {
    const ex = this.execution;
    const scrubbed = ex.scrubber.error(error);
    // Every failed task's error names it, a provider's already with its method and resource.
    const thrownError = scrubbed.taskKey === undefined ? scrubbed.with({ taskKey: record.key }) : scrubbed;
    const serialized = thrownError.toJSON();
    record.error = serialized;
    record.status = "failed";
    record.completedAt = ex.now();
    recordAttemptError(record, serialized, record.completedAt);
    await ex.save(record);
    ex.emit({
      type: "task.failed",
      runId: ex.runId,
      task: eventInfo(record),
      attempt: record.attempts,
      error: serialized,
    });
    ex.noteFailure(thrownError, record);
    throw thrownError;
  }

  /**
   * Does what a verdict on an unknown outcome says, outside an attempt (a worker that died mid-call, a reconciler
   * asked again): completes the task with what was found, fails it (throws), records that it waits to look again
   * (`"wait"`), or answers `"attempt"` when the call may be repeated.
   */
  private async follow<T>(
    record: TaskRecord,
    verdict: UnknownOutcomeVerdict,
  ): Promise<{ output: TaskOutput<T> } | "attempt" | "wait"> {
    switch (verdict.action) {
      case "complete":
        return { output: await this.complete<T>(record, verdict.output, this.execution.clock.now(), true) };
      case "fail":
        return this.fail(record, verdict.error);
      case "look-again":
        await this.retryLater(record, verdict.at, verdict.error);
        return "wait";
      case "repeat":
        return "attempt";
    }
  }

  /**
   * The task waits until `at` for its next attempt, or to ask its reconciler again (`why` says which); the log
   * keeps it, so a restart does the same, and adds it to the task's attempt history.
   */
  private async retryLater(record: TaskRecord, at: Date, why: IntegrationError): Promise<void> {
    const ex = this.execution;
    const error = ex.scrubber.error(why).toJSON();
    record.error = error;
    record.status = "waiting";
    record.retryAt = at.toISOString();
    recordAttemptError(record, error, ex.now(), record.retryAt);
    await ex.save(record);
    ex.emit({
      type: "task.retrying",
      runId: ex.runId,
      task: eventInfo(record),
      attempt: record.attempts,
      error,
      retryAt: record.retryAt,
    });
  }

  /** What to do about an attempt of `record` whose outcome is unknown (see `judgeUnknownOutcome`). */
  private judge(
    record: TaskRecord,
    options: RunTaskOptions,
    error: IntegrationError,
  ): Promise<UnknownOutcomeVerdict> {
    const ex = this.execution;
    const callStartedAt = new Date(record.attemptStartedAt ?? record.startedAt);
    // In the task's frame, as its attempts run: a reconciler's calls keep the run's clock.
    return currentTask.run({ execution: ex, taskId: record.id }, () =>
      judgeUnknownOutcome({
        error,
        task: this.ioTask(record, options, ex.cancelSignal),
        record,
        options,
        job: ex.unknownOutcome,
        callStartedAt,
        now: new Date(ex.clock.now()),
        onReconciled: (result, cause) =>
          ex.emit({
            type: "task.reconciled",
            runId: ex.runId,
            task: eventInfo(record),
            attempt: record.attempts,
            result,
            error: ex.scrubber.error(cause).toJSON(),
          }),
      }),
    );
  }

  /** Finds or creates the task's log entry and claims its key for this execution. */
  private claim(key: IntegrationTaskKey, options: RunTaskOptions): TaskRecord {
    const ex = this.execution;
    ex.throwIfSuspended();
    // Before anything is written: also on a replay, where the task's own record is not rewritten.
    if (options.secrets) ex.scrubber.add(...options.secrets);
    const frame = currentTask.getStore();
    const parentId = frame?.execution === ex ? frame.taskId : undefined;
    const keyText = serializeTaskKey(key);
    const id = taskIdFor(parentId, keyText);
    if (!ex.claimKey(id, parentId)) throw new DuplicateTaskKeyError(id);

    const existing = ex.task(id);
    if (existing && (existing.status === "completed" || existing.status === "failed")) return existing;
    const record: TaskRecord = existing ?? {
      runId: ex.runId,
      id,
      key: keyText,
      idempotencyKey: idempotencyKeyFor(ex.runId, id),
      name: keyText,
      status: "running",
      attempts: 0,
      startedAt: ex.now(),
      sequence: ex.nextSequence(),
      ...(parentId !== undefined && { parentId }),
    };
    // Display data and params come from this execution's code, which may be newer than the log's.
    record.name = options.name ?? keyText;
    if (options.icon !== undefined) record.icon = options.icon;
    record.properties = ex.scrubber.json((options.properties ?? []) as Json) as TaskRecord["properties"];
    if (options.params !== undefined) {
      record.params = ex.scrubber.copy(options.params, options.redact?.paths);
    }
    return record;
  }

  private ioTask(record: TaskRecord, options: RunTaskOptions, signal: AbortSignal): IOTask {
    return {
      signal,
      id: record.id,
      key: record.key,
      idempotencyKey: record.idempotencyKey,
      runId: record.runId,
      name: record.name,
      attempt: record.attempts,
      properties: record.properties ?? [],
      ...(record.parentId !== undefined && { parentId: record.parentId }),
      ...(record.icon !== undefined && { icon: record.icon }),
      ...(record.params !== undefined && { params: record.params }),
      ...(options.connectionKey !== undefined && { connectionKey: options.connectionKey }),
    };
  }

  private log(
    level: "debug" | "info" | "warn" | "error",
    message: string,
    data?: Record<string, unknown>,
  ): void {
    const ex = this.execution;
    const scrubbedData = ex.scrubber.copy(data) as Record<string, unknown> | undefined;
    ex.emit({
      type: "log",
      runId: ex.runId,
      level,
      message: ex.scrubber.text(message),
      ...(scrubbedData !== undefined && { data: scrubbedData }),
    });
  }
}

import { toIntegrationError } from "../classify";
import { IntegrationError } from "../errors";
import type { ConnectionAuth, TriggerIntegration } from "../integration";
import type { IOLogger } from "../io";
import { type Json, type TaskOutput, toJson } from "../json";
import { nodeCrypto } from "../node-crypto";
import { TASK_OUTPUT_LIMITS, truncateJson } from "../truncate-json";
import { type Clock, systemClock } from "./clock";
import type { RunEvent, RunEventListener } from "./events";
import type { Job, JobIntegrations, JobIO, RunContext } from "./job";
import { MemoryTaskStore } from "./memory-task-store";
import { RunExecution } from "./run-execution";
import { RunIO } from "./run-io";
import { Scrubber } from "./scrubber";
import { isCancelSignal, isControlFlowSignal } from "./signals";
import {
  isFinishedRunStatus,
  type RunFailedTask,
  type RunRecord,
  type RunStatus,
  type TaskStore,
} from "./task-store";
import { loadOpenTelemetry, type TracingListener, tracingListener } from "./telemetry";

/**
 * Supplies auth for HOSTED integrations: asked when a run starts and again before every provider call's
 * attempt (the connection service refreshes tokens that are about to expire), and with `forceRefresh`
 * when the provider refused a token it should have accepted (an access token revoked or expired early).
 */
export type AuthResolver = (request: {
  integration: TriggerIntegration;
  connectionKey: string;
  runId: string;
  jobId: string;
  /** Refresh the token even if it is not near its expiry: the provider just answered 401 to it. */
  forceRefresh?: boolean;
}) => Promise<ConnectionAuth | undefined> | ConnectionAuth | undefined;

export interface JobRunnerOptions {
  /** The durable task log. Defaults to an in-memory store (nothing survives the process). */
  store?: TaskStore;
  resolveAuth?: AuthResolver;
  /** Waits longer than this suspend the run instead of sleeping in process. Default 30 s. */
  maxInProcessWaitMs?: number;
  /**
   * Everything a run does, as it happens (tasks starting, retrying, completing, failing; `io.logger` lines as
   * `log` events): give it `consoleReporter()` for a live display, or your own listener for logs and metrics.
   */
  onEvent?: RunEventListener;
  /**
   * Where the runner reports: one line for every failed run (`error` level), and `io.logger` lines when there
   * is no `onEvent` listener to take them. Default `console`, except that a `consoleReporter()` listener prints
   * failed runs itself (so the failure is told once); `false` reports nothing.
   */
  logger?: RunnerLogger | false;
  /** Add the error's stack (and its cause's) to the failed-run line. Default false: one line. */
  logStacks?: boolean;
  /** Extra values to scrub from every log entry (e.g. tokens the job reads from the environment). */
  secrets?: readonly string[];
  clock?: Clock;
  random?: () => number;
  /**
   * Spans for every run and task attempt when `@opentelemetry/api` is installed (an optional peer dependency,
   * loaded on the first run), through the tracer provider the application registered. Default true; `false`
   * never loads it.
   */
  telemetry?: boolean;
}

/** Where a `JobRunner` reports failed runs and, without an `onEvent` listener, `io.logger` lines. `console` is one. */
export type RunnerLogger = IOLogger;

export type RunResult<TOutput> =
  | { runId: string; status: "completed"; output: TaskOutput<TOutput> }
  | {
      runId: string;
      status: "failed";
      error: IntegrationError;
      /** The task the run failed at; absent when the job failed outside a task. */
      task?: RunFailedTask;
    }
  | { runId: string; status: "suspended"; resumeAt: Date }
  /** Cancelled by `JobRunner.cancel` (or the service's cancel route): never resumed or retried. */
  | { runId: string; status: "cancelled" };

/**
 * What `JobRunner.cancel` did: `cancelled`, the run has ended cancelled (it was suspended, or executing in this
 * process and has now stopped); `requested`, another process is executing it (or it waits in a queue) and ends
 * it cancelled before its next task; `finished`, it had already ended (`status` says how); `not_found`.
 */
export type CancelRunResult =
  | { runId: string; outcome: "cancelled" }
  | { runId: string; outcome: "requested" }
  | { runId: string; outcome: "finished"; status: RunStatus }
  | { runId: string; outcome: "not_found" };

type FailedOrSuspended = Exclude<RunResult<unknown>, { status: "completed" }>;

export interface RunOptions<TPayload> {
  /** Reusing an id resumes (or replays) that run from its task log. Defaults to a new UUID. */
  runId?: string;
  /** Ignored when the run already exists: a resume always sees the payload it started with. */
  payload?: TPayload;
}

/** Executes job runs against a task log: replays completed tasks, retries, suspends and resumes. */
export class JobRunner {
  readonly store: TaskStore;
  private readonly options: JobRunnerOptions;
  private readonly clock: Clock;
  /** Runs executing in this process: their execution once it exists, and their end. */
  private readonly active = new Map<string, { execution?: RunExecution; done: Promise<unknown> }>();
  private tracing: Promise<TracingListener | undefined> | undefined;
  private readonly logger: RunnerLogger | undefined;
  /** The logger failed runs go to: none by default when the listener is a reporter that prints them. */
  private readonly failureLogger: RunnerLogger | undefined;
  private readonly listener: RunEventListener;

  constructor(options: JobRunnerOptions = {}) {
    this.options = options;
    this.store = options.store ?? new MemoryTaskStore();
    this.clock = options.clock ?? systemClock;
    this.logger = options.logger === false ? undefined : (options.logger ?? console);
    const { onEvent } = options;
    const reporterPrintsFailures = (onEvent as { reportsRunFailures?: unknown } | undefined)
      ?.reportsRunFailures;
    this.failureLogger =
      options.logger === undefined && reporterPrintsFailures === true ? undefined : this.logger;
    // Without a listener, `io.logger` lines would go nowhere: the runner's logger prints them.
    this.listener = onEvent ?? ((event) => this.logLine(event));
  }

  /** Starts a run, or resumes it when `runId` names one that is suspended or was interrupted. */
  async run<TIntegrations extends JobIntegrations, TPayload, TOutput>(
    job: Job<TIntegrations, TPayload, TOutput>,
    options: RunOptions<TPayload> = {},
  ): Promise<RunResult<TOutput>> {
    const runId = options.runId ?? nodeCrypto().randomUUID();
    if (this.active.has(runId)) throw new Error(`Run ${runId} is already executing in this process`);
    const entry: { execution?: RunExecution; done: Promise<unknown> } = { done: Promise.resolve() };
    this.active.set(runId, entry);
    const done = this.execute(job, runId, options.payload, entry);
    entry.done = done.catch(() => {});
    try {
      return await done;
    } finally {
      this.active.delete(runId);
    }
  }

  /**
   * Cancels a run, in this process or another sharing the store: the request is recorded in the store, a run
   * executing here stops at once (its running task's `signal` aborts, no further task starts) and this resolves
   * once it has; a run executing elsewhere stops before its next task attempt (its runner asks the store), a
   * suspended run ends at once. A cancelled run ends `cancelled` and is never resumed or retried.
   */
  async cancel(runId: string): Promise<CancelRunResult> {
    const before = await this.store.requestCancel(runId, new Date(this.clock.now()).toISOString());
    if (!before) return { runId, outcome: "not_found" };
    if (before.status !== "cancelled" && isFinishedRunStatus(before.status)) {
      return { runId, outcome: "finished", status: before.status };
    }
    if (before.status === "cancelled" && before.cancelRequestedAt === undefined) {
      return { runId, outcome: "finished", status: before.status };
    }
    const here = this.active.get(runId);
    if (here) {
      here.execution?.cancel();
      await here.done;
    }
    const after = (await this.store.loadRun(runId))?.run;
    if (after?.status === "cancelled") return { runId, outcome: "cancelled" };
    if (after && after.status !== "running" && after.status !== "suspended") {
      return { runId, outcome: "finished", status: after.status };
    }
    return { runId, outcome: "requested" };
  }

  /** Resumes every suspended run that is due, with the job of the same id. Call it from a timer or a worker loop. */
  async resumeDue(jobs: readonly Job[], limit = 100): Promise<RunResult<unknown>[]> {
    const byId = new Map(jobs.map((job) => [job.id, job]));
    const due = await this.store.listDueRuns(new Date(this.clock.now()), limit);
    const results: RunResult<unknown>[] = [];
    for (const run of due) {
      const job = byId.get(run.jobId);
      if (job && !this.active.has(run.id)) results.push(await this.run(job, { runId: run.id }));
    }
    return results;
  }

  /**
   * Polls the store and resumes suspended runs as they fall due, so a long wait (a rate-limit reset
   * minutes away) costs no process while it lasts. `stop()` waits for the poll in progress.
   */
  schedule(
    jobs: readonly Job[],
    options: { intervalMs?: number; onError?: (error: unknown) => void } = {},
  ): {
    stop(): Promise<void>;
  } {
    let current: Promise<unknown> = Promise.resolve();
    const timer = setInterval(() => {
      current = current.then(() => this.resumeDue(jobs)).catch((error) => options.onError?.(error));
    }, options.intervalMs ?? 1_000);
    timer.unref();
    return {
      stop: async () => {
        clearInterval(timer);
        await current;
      },
    };
  }

  private async execute<TIntegrations extends JobIntegrations, TPayload, TOutput>(
    job: Job<TIntegrations, TPayload, TOutput>,
    runId: string,
    payload: TPayload | undefined,
    entry: { execution?: RunExecution },
  ): Promise<RunResult<TOutput>> {
    const { listener, activateTask } = await this.listenerWithTracing();
    const loaded = await this.store.loadRun(runId);
    const previous = loaded?.run;
    if (previous && previous.jobId !== job.id) {
      throw new Error(`Run ${runId} belongs to job "${previous.jobId}", not "${job.id}"`);
    }
    if (previous?.status === "completed") {
      return { runId, status: "completed", output: previous.output as TaskOutput<TOutput> };
    }
    if (previous?.status === "failed" && previous.error) {
      return {
        runId,
        status: "failed",
        error: IntegrationError.fromJSON(previous.error),
        ...(previous.failedTask !== undefined && { task: previous.failedTask }),
      };
    }
    if (previous?.status === "cancelled") return { runId, status: "cancelled" };

    const now = new Date(this.clock.now()).toISOString();
    const run: RunRecord = previous
      ? { ...previous, status: "running", updatedAt: now }
      : { id: runId, jobId: job.id, status: "running", createdAt: now, updatedAt: now };
    if (!previous) {
      const json = toJson(payload) as Json | undefined;
      if (json !== undefined) run.payload = json;
    }
    delete run.resumeAt;
    // A run is resumed when it made progress before; a record saved ahead of the first execution (a
    // queued workflow run) is not progress. Every later save spreads `run`, so this execution keeps it.
    const resumed = (loaded?.tasks.length ?? 0) > 0;
    if (resumed) run.resumedAt = now;
    else delete run.resumedAt;
    await this.store.saveRun(run);

    const scrubber = new Scrubber();
    scrubber.add(...(this.options.secrets ?? []));
    const execution = new RunExecution({
      runId,
      jobId: job.id,
      store: this.store,
      tasks: loaded?.tasks ?? [],
      afterSuspension: previous?.status === "suspended",
      clock: this.clock,
      random: this.options.random ?? Math.random,
      scrubber,
      maxInProcessWaitMs: this.options.maxInProcessWaitMs ?? 30_000,
      onEvent: listener,
      activateTask,
      unknownOutcome: job.retry,
    });
    entry.execution = execution;
    // Asked to stop while nothing executed it (suspended, queued, or its worker gone): it ends here.
    if (run.cancelRequestedAt !== undefined) execution.cancel();
    const startedAt = this.clock.now();
    execution.emit({ type: "run.started", runId, jobId: job.id, resumed });

    const ctx: RunContext = { runId, jobId: job.id, isReplay: execution.isReplay };
    let output: TOutput;
    try {
      const io = await this.createIO(job, execution, scrubber);
      output = await job.run(run.payload as TPayload, io, ctx);
      await execution.settle();
    } catch (error) {
      await execution.settle();
      if (execution.cancelled || isCancelSignal(error)) return this.cancelled(run, execution, startedAt);
      const signal = execution.pendingSignal ?? (isControlFlowSignal(error) ? error : undefined);
      if (signal && "resumeAt" in signal) return this.suspend(run, signal.resumeAt, execution);
      const task = execution.failedTaskOf(error);
      return this.fail(run, scrubber.error(toIntegrationError(error, job.id)), execution, task, startedAt);
    }
    // The job caught a cancel or a suspension with a bare try/catch and returned: it is still cancelled or suspended.
    if (execution.cancelled) return this.cancelled(run, execution, startedAt);
    if (execution.pendingSignal) return this.suspend(run, execution.pendingSignal.resumeAt, execution);

    // Bounded like task outputs: a job returning every step's output must not store them all whole again.
    const result = truncateJson(scrubber.copy(output), TASK_OUTPUT_LIMITS).value;
    const completed: RunRecord = { ...run, status: "completed", updatedAt: execution.now() };
    if (result !== undefined) completed.output = result;
    await this.store.saveRun(completed);
    execution.emit({ type: "run.completed", runId, jobId: job.id, durationMs: this.clock.now() - startedAt });
    return { runId, status: "completed", output: result as TaskOutput<TOutput> };
  }

  /** Builds `io` with one run-bound clone per integration: `cloneForRun` is called once per run, not per access. */
  private async createIO<TIntegrations extends JobIntegrations>(
    job: Job<TIntegrations, unknown, unknown>,
    execution: RunExecution,
    scrubber: Scrubber,
  ): Promise<JobIO<TIntegrations>> {
    const io = new RunIO(execution);
    for (const [name, integration] of Object.entries(job.integrations ?? {})) {
      const connectionKey = integration.id;
      let auth: ConnectionAuth | undefined;
      if (integration.authSource === "HOSTED") {
        const resolve = async (forceRefresh: boolean): Promise<ConnectionAuth> => {
          const resolved = await this.options.resolveAuth?.({
            integration,
            connectionKey,
            runId: execution.runId,
            jobId: job.id,
            ...(forceRefresh && { forceRefresh }),
          });
          if (!resolved) {
            throw new IntegrationError({
              type: "auth",
              provider: integration.metadata.id,
              message: `No connection found for integration "${integration.id}": connect it, or pass a token`,
            });
          }
          // A refreshed token is a new secret: scrub it from everything the run logs from now on.
          scrubber.add(resolved.accessToken, ...Object.values(resolved.additionalFields ?? {}));
          return resolved;
        };
        auth = {
          ...(await resolve(false)),
          current: (options) => resolve(options?.forceRefresh === true),
        };
      }
      const clone = integration.cloneForRun(io, connectionKey, auth);
      scrubber.add(...(clone.secretValues?.() ?? []));
      Object.defineProperty(io, name, { value: clone, enumerable: true });
    }
    return io as unknown as JobIO<TIntegrations>;
  }

  /**
   * The telemetry listener joined to the runner's listener, and its way of making a task's span active during the
   * call, once `@opentelemetry/api` is known to be there or not.
   */
  private async listenerWithTracing(): Promise<{
    listener: RunEventListener;
    activateTask?: TracingListener["activate"];
  }> {
    if (this.options.telemetry === false) return { listener: this.listener };
    this.tracing ??= loadOpenTelemetry().then((api) => (api ? tracingListener(api) : undefined));
    const trace = await this.tracing;
    if (!trace) return { listener: this.listener };
    return {
      listener: (event: RunEvent) => {
        trace(event);
        this.listener(event);
      },
      activateTask: trace.activate,
    };
  }

  private async cancelled(
    run: RunRecord,
    execution: RunExecution,
    startedAt: number,
  ): Promise<FailedOrSuspended> {
    const record: RunRecord = { ...run, status: "cancelled", updatedAt: execution.now() };
    delete record.resumeAt;
    await this.store.saveRun(record);
    execution.emit({
      type: "run.cancelled",
      runId: run.id,
      jobId: run.jobId,
      durationMs: this.clock.now() - startedAt,
    });
    return { runId: run.id, status: "cancelled" };
  }

  private async suspend(run: RunRecord, resumeAt: Date, execution: RunExecution): Promise<FailedOrSuspended> {
    const record: RunRecord = {
      ...run,
      status: "suspended",
      resumeAt: resumeAt.toISOString(),
      updatedAt: execution.now(),
    };
    await this.store.saveRun(record);
    execution.emit({
      type: "run.suspended",
      runId: run.id,
      jobId: run.jobId,
      resumeAt: record.resumeAt ?? "",
    });
    return { runId: run.id, status: "suspended", resumeAt };
  }

  private async fail(
    run: RunRecord,
    error: IntegrationError,
    execution: RunExecution,
    task: RunFailedTask | undefined,
    startedAt: number,
  ): Promise<FailedOrSuspended> {
    const serialized = error.toJSON();
    await this.store.saveRun({
      ...run,
      status: "failed",
      error: serialized,
      ...(task !== undefined && { failedTask: task }),
      updatedAt: execution.now(),
    });
    execution.emit({
      type: "run.failed",
      runId: run.id,
      jobId: run.jobId,
      error: serialized,
      ...(task !== undefined && { task }),
      durationMs: this.clock.now() - startedAt,
    });
    this.reportFailure(run, error, task, execution.scrubber);
    return { runId: run.id, status: "failed", error, ...(task !== undefined && { task }) };
  }

  /** A failed run is never silent: one line through the logger, naming the run, its job and what failed. */
  private reportFailure(
    run: RunRecord,
    error: IntegrationError,
    task: RunFailedTask | undefined,
    scrubber: Scrubber,
  ): void {
    if (!this.failureLogger) return;
    const where =
      task === undefined || error.message.includes(JSON.stringify(task.key))
        ? ""
        : ` at task ${JSON.stringify(task.id)} (${task.name})`;
    // A provider task's message already says its type: `[acme] widgets.create "add" failed (schema, ...)`.
    const type = error.method === undefined ? `${error.type}: ` : "";
    let line = `✖ run ${run.id} (${run.jobId}) failed${where}: ${type}${error.message}`;
    // A cause is the SDK's error as thrown: scrubbed like everything else the run writes down.
    if (this.options.logStacks) line += `\n${scrubber.text(stackOf(error))}`;
    this.failureLogger.error(line);
  }

  /** Prints an `io.logger` line through the runner's logger (used when no `onEvent` listener takes them). */
  private logLine(event: RunEvent): void {
    if (event.type !== "log" || !this.logger) return;
    if (event.data === undefined) this.logger[event.level](event.message);
    else this.logger[event.level](event.message, event.data);
  }
}

/** The error's stack and its causes' (3 deep), for `logStacks`. */
function stackOf(error: Error): string {
  const stacks: string[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current instanceof Error; depth++) {
    stacks.push(depth === 0 ? (current.stack ?? String(current)) : `Caused by: ${current.stack ?? current}`);
    current = current.cause;
  }
  return stacks.join("\n");
}

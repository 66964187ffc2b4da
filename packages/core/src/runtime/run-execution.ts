import type { Clock } from "./clock";
import type { RunEvent, RunEventListener, TaskEventInfo } from "./events";
import type { UnknownOutcomeOptions } from "./idempotency";
import type { ResourceMappingStore } from "./resource-mappings";
import type { Scrubber } from "./scrubber";
import { RunCancelledSignal, RunSuspendedSignal } from "./signals";
import type { RunFailedTask, TaskRecord, TaskStore } from "./task-store";

export interface RunExecutionOptions {
  runId: string;
  jobId: string;
  store: TaskStore;
  tasks: readonly TaskRecord[];
  clock: Clock;
  random: () => number;
  scrubber: Scrubber;
  maxInProcessWaitMs: number;
  onEvent?: RunEventListener | undefined;
  /** Runs a task's call inside its attempt's context (the tracing listener's span), when telemetry is on. */
  activateTask?: (<T>(runId: string, taskId: string, fn: () => T) => T) | undefined;
  /** The job's choice for tasks whose outcome is unknown and that declare no safe repeat. */
  unknownOutcome?: UnknownOutcomeOptions | undefined;
  /**
   * The last execution ended in a clean suspension: a task still `running` in the log is a parent whose child
   * suspended the run (its callback was unwound by the suspension), not a call cut off by a dying worker.
   */
  afterSuspension?: boolean | undefined;
}

/** The state of one execution of a run: the loaded task log, keys seen so far, a pending suspension. */
export class RunExecution {
  readonly runId: string;
  readonly jobId: string;
  readonly clock: Clock;
  readonly random: () => number;
  readonly scrubber: Scrubber;
  readonly isReplay: boolean;
  readonly unknownOutcome: UnknownOutcomeOptions | undefined;
  private readonly store: TaskStore;
  private readonly maxInProcessWaitMs: number;
  private readonly onEvent: RunEventListener | undefined;
  private readonly activateTask: RunExecutionOptions["activateTask"];
  private readonly tasks = new Map<string, TaskRecord>();
  private readonly seen = new Set<string>();
  /** Keys claimed under each parent, so a retried parent frees its children without scanning every key. */
  private readonly children = new Map<string, string[]>();
  private readonly inflight = new Set<Promise<unknown>>();
  /** Tasks the log says were `running` when this execution began: the worker died during their call. */
  private readonly interrupted = new Set<string>();
  /** The error each task failed with, as thrown to the job, so the run's failure can name its task. */
  private readonly failures = new WeakMap<object, RunFailedTask>();
  private lastFailure: { key: string; task: RunFailedTask } | undefined;
  private sequence = 0;
  private signal: RunSuspendedSignal | undefined;
  /** Aborted (with a `RunCancelledSignal`) when the run is cancelled: every attempt's signal follows it. */
  private readonly cancellation = new AbortController();

  constructor(options: RunExecutionOptions) {
    this.runId = options.runId;
    this.jobId = options.jobId;
    this.store = options.store;
    this.clock = options.clock;
    this.random = options.random;
    this.scrubber = options.scrubber;
    this.maxInProcessWaitMs = options.maxInProcessWaitMs;
    this.onEvent = options.onEvent;
    this.activateTask = options.activateTask;
    this.unknownOutcome = options.unknownOutcome;
    for (const task of options.tasks) {
      this.tasks.set(task.id, task);
      if (task.status === "running" && !options.afterSuspension) this.interrupted.add(task.id);
      this.sequence = Math.max(this.sequence, task.sequence + 1);
    }
    this.isReplay = options.tasks.length > 0;
  }

  get pendingSignal(): RunSuspendedSignal | undefined {
    return this.signal;
  }

  /** Aborted when the run is cancelled, with a `RunCancelledSignal` as its reason. */
  get cancelSignal(): AbortSignal {
    return this.cancellation.signal;
  }

  get cancelled(): boolean {
    return this.cancellation.signal.aborted;
  }

  /** Cancels this execution: the running tasks' signals abort and nothing else starts. */
  cancel(): void {
    if (!this.cancelled) this.cancellation.abort(new RunCancelledSignal(this.runId));
  }

  /**
   * Once a suspension was raised or the run was cancelled, nothing else may run in this execution, even if
   * user code caught the signal.
   */
  throwIfSuspended(): void {
    if (this.cancelled) throw this.cancellation.signal.reason;
    if (this.signal) throw this.signal;
  }

  /** The task store's resource mappings (see `ResourceMappingStore`), when it keeps them. */
  get mappings(): ResourceMappingStore | undefined {
    return this.store.mappings;
  }

  /** Before an attempt: also asks the store, where another process (the cancel route, the CLI) records a cancel. */
  async throwIfCancelled(): Promise<void> {
    if (!this.cancelled && (await this.store.isCancelRequested(this.runId))) this.cancel();
    this.throwIfSuspended();
  }

  /** Marks a key as used in this execution; false when it already was. */
  claimKey(taskId: string, parentId: string | undefined): boolean {
    if (this.seen.has(taskId)) return false;
    this.seen.add(taskId);
    if (parentId !== undefined) {
      const siblings = this.children.get(parentId);
      if (siblings) siblings.push(taskId);
      else this.children.set(parentId, [taskId]);
    }
    return true;
  }

  /** A retried parent runs its children again: their keys become free (they replay from the log). */
  releaseDescendants(taskId: string): void {
    const children = this.children.get(taskId);
    if (!children) return;
    this.children.delete(taskId);
    for (const child of children) {
      this.seen.delete(child);
      this.releaseDescendants(child);
    }
  }

  /** Whether the task's last attempt was cut off by the worker's death (asked once: true only the first time). */
  takeInterrupted(taskId: string): boolean {
    return this.interrupted.delete(taskId);
  }

  /** Notes that `task` failed with `error` (the object thrown to the job). */
  noteFailure(error: object, task: TaskRecord): void {
    const failed: RunFailedTask = {
      id: task.id,
      key: task.key,
      name: task.name,
      ...(task.icon !== undefined && { provider: task.icon }),
    };
    this.failures.set(error, failed);
    this.lastFailure = { key: task.key, task: failed };
  }

  /**
   * The task a run-ending error came from: the task that threw this very error, else the last task that failed
   * under the error's `taskKey` (a job that caught a task's error and threw a copy of it).
   */
  failedTaskOf(error: unknown): RunFailedTask | undefined {
    if (typeof error !== "object" || error === null) return undefined;
    const found = this.failures.get(error);
    if (found) return found;
    const { taskKey } = error as { taskKey?: unknown };
    return taskKey !== undefined && this.lastFailure?.key === taskKey ? this.lastFailure.task : undefined;
  }

  task(taskId: string): TaskRecord | undefined {
    return this.tasks.get(taskId);
  }

  nextSequence(): number {
    return this.sequence++;
  }

  async save(task: TaskRecord): Promise<void> {
    this.tasks.set(task.id, task);
    await this.store.saveTask({ ...task });
  }

  /** Runs a task's call in its attempt's context (its span active), or as is without telemetry. */
  inTaskContext<T>(taskId: string, fn: () => T): T {
    return this.activateTask ? this.activateTask(this.runId, taskId, fn) : fn();
  }

  emit(event: RunEvent): void {
    this.onEvent?.(event);
  }

  /** Waits until `until`: in process when short, otherwise suspends the run (the returned promise rejects). */
  async waitUntil(until: Date, reason: string): Promise<void> {
    const delay = until.getTime() - this.clock.now();
    if (delay <= 0) return;
    if (delay > this.maxInProcessWaitMs) throw this.suspend(until, reason);
    // A cancel ends the wait at once (the clock's sleep itself cannot be stopped; its end is then ignored).
    const signal = this.cancellation.signal;
    let onAbort: () => void = () => {};
    const aborted = new Promise<void>((resolve) => {
      onAbort = () => resolve();
      signal.addEventListener("abort", onAbort, { once: true });
    });
    try {
      await Promise.race([this.clock.sleep(delay), aborted]);
    } finally {
      signal.removeEventListener("abort", onAbort);
    }
    this.throwIfSuspended();
  }

  /** Raises (or joins) the run's suspension; parallel branches resume at the earliest time any asked for. */
  suspend(until: Date, reason: string): RunSuspendedSignal {
    if (!this.signal || until < this.signal.resumeAt) this.signal = new RunSuspendedSignal(until, reason);
    return this.signal;
  }

  /** Tracks task work so the run is finalized only after every branch has written its log entry. */
  track<T>(work: Promise<T>): Promise<T> {
    this.inflight.add(work);
    const done = () => this.inflight.delete(work);
    work.then(done, done);
    return work;
  }

  async settle(): Promise<void> {
    while (this.inflight.size > 0) await Promise.allSettled([...this.inflight]);
  }

  now(): string {
    return new Date(this.clock.now()).toISOString();
  }
}

export function eventInfo(task: TaskRecord): TaskEventInfo {
  return {
    id: task.id,
    key: task.key,
    name: task.name,
    properties: task.properties ?? [],
    ...(task.icon !== undefined && { icon: task.icon }),
    ...(task.parentId !== undefined && { parentId: task.parentId }),
  };
}

import { MemoryResourceMappings } from "./resource-mappings";
import {
  assertListRunsLimit,
  type ListRunsOptions,
  type LoadedRun,
  type RunRecord,
  type RunSummary,
  runSummary,
  type TaskRecord,
  type TaskStore,
  withCancelRequest,
} from "./task-store";

/**
 * A `TaskStore` held in process memory, for tests and single-process demos. Records are deep-copied in and
 * out, so a caller mutating an object it saved or loaded changes nothing stored, as with a real database.
 */
export class MemoryTaskStore implements TaskStore {
  private readonly runs = new Map<string, RunRecord>();
  /** Tasks are kept serialized, as a database would: one stringify per save, one parse per load. */
  private readonly tasks = new Map<string, Map<string, string>>();
  private closed = false;
  readonly mappings = new MemoryResourceMappings();

  async loadRun(runId: string): Promise<LoadedRun | undefined> {
    this.assertOpen();
    const run = this.runs.get(runId);
    if (run === undefined) return undefined;
    const tasks = [...(this.tasks.get(runId)?.values() ?? [])]
      .map((text) => JSON.parse(text) as TaskRecord)
      .sort((a, b) => a.sequence - b.sequence);
    return { run: copy(run), tasks };
  }

  async saveRun(run: RunRecord): Promise<void> {
    this.assertOpen();
    const requested = this.runs.get(run.id)?.cancelRequestedAt;
    const saved =
      run.cancelRequestedAt === undefined && requested !== undefined
        ? { ...run, cancelRequestedAt: requested }
        : run;
    this.runs.set(run.id, copy(saved));
  }

  async requestCancel(runId: string, at: string): Promise<RunRecord | undefined> {
    this.assertOpen();
    const run = this.runs.get(runId);
    if (run === undefined) return undefined;
    const updated = withCancelRequest(run, at);
    this.runs.set(runId, copy(updated));
    return copy(updated);
  }

  async isCancelRequested(runId: string): Promise<boolean> {
    this.assertOpen();
    return this.runs.get(runId)?.cancelRequestedAt !== undefined;
  }

  async saveTask(task: TaskRecord): Promise<void> {
    this.assertOpen();
    let runTasks = this.tasks.get(task.runId);
    if (runTasks === undefined) {
      runTasks = new Map();
      this.tasks.set(task.runId, runTasks);
    }
    runTasks.set(task.id, JSON.stringify(task));
  }

  async listRuns(options: ListRunsOptions): Promise<RunSummary[]> {
    this.assertOpen();
    assertListRunsLimit(options);
    const { jobId, status, before } = options;
    const newestFirst = (a: RunRecord, b: RunRecord) =>
      compare(b.createdAt, a.createdAt) || compare(b.id, a.id);
    let runs = [...this.runs.values()].filter(
      (run) =>
        (jobId === undefined || run.jobId === jobId) && (status === undefined || run.status === status),
    );
    if (before !== undefined) {
      const cursor = this.runs.get(before);
      runs = cursor === undefined ? [] : runs.filter((run) => newestFirst(cursor, run) < 0);
    }
    return runs
      .sort(newestFirst)
      .slice(0, options.limit)
      .map((run) => runSummary(copy(run), this.tasks.get(run.id)?.size ?? 0));
  }

  async listDueRuns(now: Date, limit?: number): Promise<RunRecord[]> {
    this.assertOpen();
    assertLimit(limit);
    const cutoff = now.toISOString();
    const due = [...this.runs.values()]
      .filter(
        (run): run is RunRecord & { resumeAt: string } =>
          run.status === "suspended" && run.resumeAt !== undefined && run.resumeAt <= cutoff,
      )
      .sort((a, b) => compare(a.resumeAt, b.resumeAt) || compare(a.id, b.id));
    return copy(due.slice(0, limit));
  }

  async close(): Promise<void> {
    this.closed = true;
  }

  private assertOpen(): void {
    if (this.closed) throw new Error("MemoryTaskStore is closed; create a new store to keep using it");
  }
}

// Timestamps compare as strings, like the SQL stores, so all stores agree on the same ISO-8601 values.
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function assertLimit(limit: number | undefined): void {
  if (limit !== undefined && !(Number.isSafeInteger(limit) && limit >= 0)) {
    throw new RangeError(`listDueRuns limit must be a non-negative integer, got ${limit}`);
  }
}

/** Records are plain JSON by contract; a JSON copy is several times faster than structuredClone for them. */
function copy<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

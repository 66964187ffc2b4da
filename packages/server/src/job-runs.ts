import {
  type CancelRunResult,
  type RunSummary as JobRunSummary,
  type Json,
  type RunStatus,
  type SerializedIntegrationError,
  type TaskStore,
  truncateJson,
} from "@autoflow/core";
import { RUN_VIEW_LIMITS } from "./run-view";
import { type TaskView, toTaskViews } from "./task-view";

/** A code job's run as `GET /api/job-runs/:id` shows it: its state and every task of its log. */
export interface JobRunView {
  id: string;
  jobId: string;
  status: RunStatus;
  createdAt: string;
  updatedAt: string;
  /** When a suspended run resumes. */
  resumeAt?: string;
  /** When the current execution began on a run that had already recorded tasks (see `TaskView.fromLog`). */
  resumedAt?: string;
  error?: SerializedIntegrationError;
  output?: Json;
  outputTruncated?: true;
  tasks: TaskView[];
}

/** Which of the code jobs' runs `list` answers, newest first. */
export interface JobRunsFilter {
  jobId?: string;
  status?: RunStatus;
  /** With `jobId`: the next page after this run id. */
  before?: string;
  limit: number;
}

/** The code jobs' runs (`startServer({ jobs })`), seen by the one user who owns those jobs (`jobsUserId`). */
export interface JobRunService {
  list(userId: string, filter: JobRunsFilter): Promise<JobRunSummary[]>;
  /** `undefined` for another user, a workflow's run or an unknown id. */
  get(userId: string, runId: string): Promise<JobRunView | undefined>;
  /** `undefined` when `get` would be. */
  cancel(userId: string, runId: string): Promise<CancelRunResult | undefined>;
}

export interface JobRunServiceOptions {
  tasks: TaskStore;
  /** The code jobs' ids: the task store also holds every workflow run, which are never listed here. */
  jobIds: readonly string[];
  /** Who owns the jobs; without one, nobody sees their runs. */
  ownerId?: string;
  cancel(runId: string): Promise<CancelRunResult>;
}

const newestFirst = (a: JobRunSummary, b: JobRunSummary) =>
  b.startedAt.localeCompare(a.startedAt) || b.id.localeCompare(a.id);

export function createJobRunService(options: JobRunServiceOptions): JobRunService {
  const { tasks, ownerId } = options;
  const jobIds = new Set(options.jobIds);
  const owns = (userId: string) => ownerId !== undefined && userId === ownerId;

  const get: JobRunService["get"] = async (userId, runId) => {
    if (!owns(userId)) return undefined;
    const loaded = await tasks.loadRun(runId);
    if (!loaded || !jobIds.has(loaded.run.jobId)) return undefined;
    const { run } = loaded;
    const output = truncateJson(run.output, RUN_VIEW_LIMITS);
    return {
      id: run.id,
      jobId: run.jobId,
      status: run.status,
      createdAt: run.createdAt,
      updatedAt: run.updatedAt,
      ...(run.resumeAt && { resumeAt: run.resumeAt }),
      ...(run.resumedAt && { resumedAt: run.resumedAt }),
      ...(run.error && { error: run.error }),
      ...(output.value !== undefined && { output: output.value }),
      ...(output.truncated && { outputTruncated: true as const }),
      tasks: toTaskViews(loaded),
    };
  };

  return {
    async list(userId, filter) {
      if (!owns(userId)) return [];
      const { status, limit } = filter;
      if (filter.jobId !== undefined) {
        if (!jobIds.has(filter.jobId)) return [];
        return tasks.listRuns({
          jobId: filter.jobId,
          limit,
          ...(status && { status }),
          ...(filter.before && { before: filter.before }),
        });
      }
      // One page per job, merged: the store lists one job's runs or everyone's (workflows' included).
      const pages = await Promise.all(
        [...jobIds].map((jobId) => tasks.listRuns({ jobId, limit, ...(status && { status }) })),
      );
      return pages.flat().sort(newestFirst).slice(0, limit);
    },
    get,
    async cancel(userId, runId) {
      return (await get(userId, runId)) ? options.cancel(runId) : undefined;
    },
  };
}

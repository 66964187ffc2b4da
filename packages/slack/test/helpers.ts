import {
  defineJob,
  type JobIO,
  JobRunner,
  type JobRunnerOptions,
  MemoryTaskStore,
  type RunResult,
  type TaskRecord,
} from "@autoflow/core";
import type { SlackEmulator } from "@autoflow/emulators";
import { Slack } from "../src/index";

/** A Slack integration pointed at the emulator, as a job declares it. */
// Generous: a post that times out client-side after the emulator handled it would be retried and duplicated.
export function slackFor(emulator: SlackEmulator, token: string, timeoutMs = 15_000): Slack {
  return new Slack({ id: "slack", token, slackApiUrl: emulator.apiUrl, timeoutMs });
}

/** What `runJob` answers: the run, its task records, and the job's output when it completed. */
export interface JobRun<T> {
  result: RunResult<T>;
  tasks: TaskRecord[];
  /**
   * The job's output as the task log keeps it. Typed `T`, not `TaskOutput<T>`: a test's body returns task outputs,
   * which are JSON already (so `TaskOutput<T>` is `T`), and proving that structurally over Slack's response types
   * costs `tsc` about 0.3 s per call.
   */
  output: T | undefined;
}

/**
 * Runs `body` as a one-off job with `io.slack` bound to the emulator, through the real JobRunner. The runner's
 * logger is off (runs fail on purpose here; the result carries the failure); pass `logger` to see or collect it.
 */
export async function runJob<T>(
  slack: Slack,
  body: (io: JobIO<{ slack: Slack }>) => Promise<T>,
  options: JobRunnerOptions = {},
): Promise<JobRun<T>> {
  const store = new MemoryTaskStore();
  const job = defineJob({ id: "slack-test", integrations: { slack }, run: async (_payload, io) => body(io) });
  const result = await new JobRunner({ store, logger: false, ...options }).run(job);
  const tasks = (await store.loadRun(result.runId))?.tasks ?? [];
  const output = result.status === "completed" ? (result.output as T) : undefined;
  return { result, tasks, output };
}

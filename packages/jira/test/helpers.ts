import { defineJob, type JobIO, JobRunner, type JobRunnerOptions, MemoryTaskStore } from "@autoflow/core";
import type { JiraEmulator } from "@autoflow/emulators";
import { Jira } from "../src/index";

/**
 * A Jira integration pointed at the emulator's OAuth gateway, as a job declares it. `searchSettleMs` is how long a
 * JQL miss waits for the search index before it is trusted (Jira's 5 s by default; tests shorten it).
 */
export function jiraFor(
  emulator: JiraEmulator,
  token: string,
  options: { timeoutMs?: number; searchSettleMs?: number } = {},
): Jira {
  return new Jira({
    id: "jira",
    token,
    apiBaseUrl: emulator.apiUrl,
    cloudId: emulator.cloudId,
    timeoutMs: options.timeoutMs ?? 15_000,
    ...(options.searchSettleMs !== undefined && { searchSettleMs: options.searchSettleMs }),
  });
}

/**
 * Runs `body` as a one-off job with `io.jira` bound to the emulator, through the real JobRunner (logger off: runs
 * fail on purpose here; the result carries the failure). `store` is shared by runs that must see one another's
 * mappings.
 */
export async function runJob<T>(
  jira: Jira,
  body: (io: JobIO<{ jira: Jira }>) => Promise<T>,
  options: JobRunnerOptions & { store?: MemoryTaskStore } = {},
) {
  const { store = new MemoryTaskStore(), ...runner } = options;
  const job = defineJob({ id: "jira-test", integrations: { jira }, run: async (_payload, io) => body(io) });
  const result = await new JobRunner({ store, logger: false, ...runner }).run(job);
  const tasks = (await store.loadRun(result.runId))?.tasks ?? [];
  const output = result.status === "completed" ? result.output : undefined;
  return { result, tasks, output };
}

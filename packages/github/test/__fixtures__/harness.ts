import { defineJob, JobRunner, type JobRunnerOptions, MemoryTaskStore, type RunResult } from "@autoflow/core";
import type { GithubEmulator } from "@autoflow/emulators";
import { Github, type GithubIntegrationOptions } from "../../src/index";

/** `octo-org/hello`, the emulator's seeded repository. */
export const REPO = { owner: "octo-org", repo: "hello" } as const;

/**
 * Runs `body` as a one-off job with a `Github` integration pointed at the emulator; returns the result and the task
 * log. The runner's logger is off (the result carries a failure); pass `runner.logger` to see or collect it.
 */
export async function runWithGithub<T>(
  emulator: GithubEmulator,
  body: (github: Github) => Promise<T>,
  options: { github?: Partial<GithubIntegrationOptions>; runner?: JobRunnerOptions; token?: string } = {},
): Promise<{ result: RunResult<T>; store: MemoryTaskStore; runId: string }> {
  const store = new MemoryTaskStore();
  const github = new Github({
    id: "github",
    token: options.token ?? emulator.mintToken(),
    baseUrl: emulator.url,
    // Generous: a create that times out client-side after the emulator handled it would be retried and duplicated.
    timeoutMs: 15_000,
    ...options.github,
  });
  const job = defineJob({
    id: "github-test",
    integrations: { github },
    run: async (_payload, io) => body(io.github),
  });
  const runId = `run-${Math.random().toString(36).slice(2)}`;
  const result = await new JobRunner({ store, logger: false, ...options.runner }).run(job, { runId });
  return { result, store, runId };
}

/**
 * The completed output, or a thrown error that shows why the run did not complete. Typed `T`, not `TaskOutput<T>`:
 * a test's body returns task outputs, which are JSON already (so `TaskOutput<T>` is `T`), and proving that
 * structurally over GitHub's response types costs `tsc` about 0.3 s per call.
 */
export function outputOf<T>(result: RunResult<T>): T {
  if (result.status !== "completed") throw new Error(`run ${result.status}: ${JSON.stringify(result)}`);
  return result.output as T;
}

/** Opens a pull request from a fresh branch through the emulator's API directly (test setup, not under test). */
export async function openPullRequest(emulator: GithubEmulator, title = "Fixture PR"): Promise<number> {
  const branch = `fixture-${Math.random().toString(36).slice(2)}`;
  emulator.createBranch("octo-org/hello", branch);
  const response = await fetch(`${emulator.url}/repos/octo-org/hello/pulls`, {
    method: "POST",
    headers: { authorization: `token ${emulator.mintToken()}`, "content-type": "application/json" },
    body: JSON.stringify({ title, head: branch, base: "main" }),
  });
  if (response.status !== 201) throw new Error(`setup failed: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { number: number }).number;
}

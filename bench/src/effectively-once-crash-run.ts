/**
 * @module
 * The run the "Effectively once" crash trials kill: every listed provider's steps (`effectivelyOnce.crashRun`
 * of its bench), in list order, in one job. The bench builds it in each worker process from the emulators'
 * access.
 */
import { defineJob, type JobIntegrations } from "@autoflow/core";
import type { StartedProvider } from "./bench-emulators";
import type { AnyProviderBench, EmulatorAccess } from "./provider-bench";

/** Every step of the run, in order: its task and its side effect. */
export function crashRunSteps(benches: readonly AnyProviderBench[]): { task: string; effect: string }[] {
  return benches.flatMap((bench) => bench.effectivelyOnce.crashRun.steps);
}

/** What a worker process is handed (as JSON): each provider's emulator access, by provider id. */
export function crashRunTargets(providers: readonly StartedProvider[]): Record<string, EmulatorAccess> {
  return Object.fromEntries(providers.map(({ id, access }) => [id, access]));
}

/**
 * The job: each provider's integration, pointed at its emulator, and each provider's steps for the run's
 * `mark`.
 */
export function crashRunJob(
  benches: readonly { bench: AnyProviderBench; access: EmulatorAccess }[],
  timeoutMs: number,
) {
  const integrations: JobIntegrations = Object.assign(
    {},
    ...benches.map(({ bench, access }) => bench.integrations(access, timeoutMs)),
  );
  return defineJob({
    id: "effectively-once",
    integrations,
    run: async (payload: { mark: string }, io) => {
      for (const { bench } of benches) await bench.effectivelyOnce.crashRun.run(io, payload.mark);
    },
  });
}

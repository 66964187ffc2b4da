import { defineJob, type JobIO, JobRunner, type JobRunnerOptions, MemoryTaskStore } from "@autoflow/core";
import type { StripeEmulator } from "@autoflow/emulators";
import { Stripe } from "../src/index";

/** A Stripe integration pointed at the emulator, as a job declares it. */
export function stripeFor(emulator: StripeEmulator, token: string, timeoutMs = 15_000): Stripe {
  return new Stripe({ id: "stripe", token, apiBaseUrl: emulator.apiUrl, timeoutMs });
}

/**
 * Runs `body` as a one-off job with `io.stripe` bound to the emulator, through the real JobRunner (logger off:
 * runs fail on purpose here; the result carries the failure).
 */
export async function runJob<T>(
  stripe: Stripe,
  body: (io: JobIO<{ stripe: Stripe }>) => Promise<T>,
  options: JobRunnerOptions = {},
) {
  const store = new MemoryTaskStore();
  const job = defineJob({
    id: "stripe-test",
    integrations: { stripe },
    run: async (_payload, io) => body(io),
  });
  const result = await new JobRunner({ store, logger: false, ...options }).run(job);
  const tasks = (await store.loadRun(result.runId))?.tasks ?? [];
  const output = result.status === "completed" ? result.output : undefined;
  return { result, tasks, output };
}

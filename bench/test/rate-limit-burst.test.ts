import { defineJob, JobRunner, MemoryTaskStore } from "@autoflow/core";
import { ManualClock } from "@autoflow/emulators";
import { describe, expect, it } from "vitest";
import { listedProviderBenches } from "../src/provider-benches";

// The client-side rate limiter seen from the provider's side: its own refusals, counted by its emulator, for
// every listed provider's bench (its `rateLimit` call as a task). One manual clock for the emulator's windows
// and the runtime (its retries and the rate-limit bucket): a wait for a reset jumps time to the reset, so the
// emulator and the bucket agree on every window whatever the machine's load, and the test spends no real time
// waiting.
const CALLS = 100;
const IN_FLIGHT = 10;
const PER_SECOND = 20;

describe.each(await listedProviderBenches())("$id", ({ bench }) => {
  it("refuses calls only in the first window of a burst: the bucket waits for the reset, then paces at the learned limit", async () => {
    const clock = new ManualClock();
    const emulator = bench.emulator({ clock });
    await emulator.start();
    try {
      const access = { apiUrl: emulator.apiUrl, token: emulator.mintToken() };
      const job = defineJob({
        id: "paced-burst",
        integrations: bench.integrations(access, 15_000),
        run: async (_payload, io) => {
          let next = 0;
          const worker = async () => {
            while (next < CALLS) {
              const i = next++;
              await bench.rateLimit.runtime.task(io, i);
            }
          };
          await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
        },
      });
      emulator.rateLimit(PER_SECOND, 1_000);
      emulator.server.clearRequests();

      const result = await new JobRunner({ store: new MemoryTaskStore(), clock }).run(job);

      expect(result.status, JSON.stringify(result).slice(0, 500)).toBe("completed");
      const { requests } = emulator.server;
      const refused = requests.filter(
        (r) => typeof r.outcome === "number" && bench.rateLimit.refusedWith.includes(r.outcome),
      );
      // The first window is how the limit is learned: the calls in flight when the first refusal came back
      // are refused.
      expect(refused.length).toBeGreaterThan(0);
      expect(refused.length).toBeLessThanOrEqual(IN_FLIGHT);
      // Without the bucket every later window would end in another round of refusals; with it, none comes
      // after the first window's reset (times on the shared manual clock).
      const firstReset = (refused[0]?.at ?? 0) + 1_000;
      expect(refused.filter((r) => r.at > firstReset)).toEqual([]);
      // Every call done exactly once.
      const accepted = requests.filter((r) => r.outcome === 200 || r.outcome === 201);
      expect(accepted).toHaveLength(CALLS);
      // And the limit held: 100 calls at 20 per window took at least 5 windows of the clock, no real waits.
      const started = requests[0]?.at ?? 0;
      expect(clock.now() - started).toBeGreaterThanOrEqual(4 * 1_000);
    } finally {
      await emulator.stop();
    }
  }, 20_000);
});

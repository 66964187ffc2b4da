import { defineJob, JobRunner, MemoryTaskStore } from "@autoflow/core";
import { ManualClock, SlackEmulator } from "@autoflow/emulators";
import { Slack } from "@autoflow/slack";
import { afterAll, beforeAll, expect, it } from "vitest";

// The client-side rate limiter seen from the provider's side: Slack's own 429s, counted by the emulator.
// One manual clock for the emulator's windows and the runtime (its retries and the rate-limit bucket): a
// wait for a reset jumps time to the reset, so the emulator and the bucket agree on every window whatever
// the machine's load, and the test spends no real time waiting.
const clock = new ManualClock();
const emulator = new SlackEmulator({ clock });
let token: string;
beforeAll(async () => {
  await emulator.start();
  token = emulator.mintToken();
});
afterAll(() => emulator.stop());

const CALLS = 100;
const IN_FLIGHT = 10;
const PER_SECOND = 20;

it("refuses calls only in the first window of a burst: the bucket waits for the reset, then paces at the learned limit", async () => {
  emulator.workspace.addChannel("C0PACED", "paced", "U0001", ["U0BOT"]);
  const slack = new Slack({ id: "slack", token, slackApiUrl: emulator.apiUrl, timeoutMs: 15_000 });
  const job = defineJob({
    id: "paced-burst",
    integrations: { slack },
    run: async (_payload, io) => {
      let next = 0;
      const worker = async () => {
        while (next < CALLS) {
          const i = next++;
          await io.slack.chat.postMessage(["post", i], { channel: "C0PACED", text: `paced ${i}` });
        }
      };
      await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
    },
  });
  emulator.rateLimit(PER_SECOND, 1_000);
  emulator.server.clearRequests();

  const result = await new JobRunner({ store: new MemoryTaskStore(), clock }).run(job);

  expect(result.status, JSON.stringify(result).slice(0, 500)).toBe("completed");
  const posted = emulator.history("C0PACED").map((m) => m.text);
  expect(posted).toHaveLength(CALLS);
  expect(new Set(posted).size).toBe(CALLS);

  const refused = emulator.server.requests.filter((r) => r.outcome === 429);
  // The first window is how the limit is learned: the calls in flight when the first 429 came back are refused.
  expect(refused.length).toBeGreaterThan(0);
  expect(refused.length).toBeLessThanOrEqual(IN_FLIGHT);
  // Without the bucket every later window would end in another round of 429s; with it, none comes after
  // the first window's reset (times on the shared manual clock).
  const firstReset = (refused[0]?.at ?? 0) + 1_000;
  expect(refused.filter((r) => r.at > firstReset)).toEqual([]);
  const accepted = emulator.server.requests.filter((r) => r.outcome === 200);
  expect(accepted).toHaveLength(CALLS);
  // And the limit held: 100 calls at 20 per window took at least 5 windows of the clock, no real waits.
  const started = emulator.server.requests[0]?.at ?? 0;
  expect(clock.now() - started).toBeGreaterThanOrEqual(4 * 1_000);
}, 20_000);

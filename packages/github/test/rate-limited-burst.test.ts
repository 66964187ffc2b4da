import type { RunEvent } from "@autoflow/core";
import { GithubEmulator, ManualClock } from "@autoflow/emulators";
import { afterAll, beforeAll, expect, it } from "vitest";
import { REPO, runWithGithub } from "./__fixtures__/harness";

// The emulator's windows and the runtime's waits on one manual clock: waiting for retry-after jumps time to
// the reset, so which calls are limited never depends on how fast this machine is, and no real second passes.
const clock = new ManualClock();
const emulator = new GithubEmulator({ clock });
beforeAll(() => emulator.start());
afterAll(() => emulator.stop());

it("completes a burst of 50 issues.create under a 20-per-second limit, each issue created exactly once", async () => {
  emulator.rateLimit(20, 1_000);
  const events: RunEvent[] = [];
  const titles = Array.from({ length: 50 }, (_, i) => `Burst issue ${i}`);
  const { result } = await runWithGithub(
    emulator,
    (github) => Promise.all(titles.map((title, i) => github.issues.create(["burst", i], { ...REPO, title }))),
    { runner: { clock, onEvent: (event) => events.push(event) } },
  );

  expect(result.status, JSON.stringify(result)).toBe("completed");
  if (result.status !== "completed") return;
  expect(result.output.map((issue) => issue.title)).toEqual(titles);

  const created =
    emulator.state.repo("octo-org", "hello")?.issues.filter((i) => i.title.startsWith("Burst issue ")) ?? [];
  expect(created).toHaveLength(50);
  expect(new Set(created.map((i) => i.title)).size).toBe(50);
  expect(new Set(result.output.map((issue) => issue.number)).size).toBe(50);

  // The limit did bite: GitHub's secondary-limit answer came back, and the runtime waited for its retry-after.
  const limited = emulator.requests.filter((r) => r.outcome === 403);
  // 20 go through in the first window; the 30 sent at once with them are limited and retried after the reset.
  expect(limited.length).toBeGreaterThan(0);
  expect(limited.length).toBeLessThanOrEqual(50 - 20);
  // 50 requests at 20 per window: at least three windows of the clock went by.
  expect(clock.now() - (emulator.requests[0]?.at ?? clock.now())).toBeGreaterThanOrEqual(2_000);
  const retries = events.filter((e) => e.type === "task.retrying");
  expect(retries.length).toBe(limited.length);
  for (const retry of retries) {
    if (retry.type === "task.retrying")
      expect(retry.error).toMatchObject({ type: "rate-limit", status: 403 });
  }
});

import type { RunEvent } from "@autoflow/core";
import { GithubEmulator } from "@autoflow/emulators";
import { afterAll, beforeAll, expect, it } from "vitest";
import { REPO, runWithGithub } from "./__fixtures__/harness";

const emulator = new GithubEmulator();
beforeAll(() => emulator.start());
afterAll(() => emulator.stop());

it("completes a burst of 50 issues.create under a 20-per-second limit, each issue created exactly once", async () => {
  emulator.rateLimit(20, 1_000);
  const events: RunEvent[] = [];
  const titles = Array.from({ length: 50 }, (_, i) => `Burst issue ${i}`);
  const { result } = await runWithGithub(
    emulator,
    (github) => Promise.all(titles.map((title, i) => github.issues.create(["burst", i], { ...REPO, title }))),
    { runner: { onEvent: (event) => events.push(event) } },
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
  // How many are limited depends on how the 50 requests spread over windows on a loaded machine; that some are is the point.
  expect(limited.length).toBeGreaterThan(0);
  const retries = events.filter((e) => e.type === "task.retrying");
  expect(retries.length).toBe(limited.length);
  for (const retry of retries) {
    if (retry.type === "task.retrying")
      expect(retry.error).toMatchObject({ type: "rate-limit", status: 403 });
  }
}, 30_000);

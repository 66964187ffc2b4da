import type { RunEvent } from "@autoflow/core";
import { ManualClock, SlackEmulator } from "@autoflow/emulators";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runJob, slackFor } from "./helpers";

// The emulator's windows and the runtime's waits on one manual clock: waiting for Retry-After jumps time to
// the reset, so which calls are refused never depends on how fast this machine is, and no real second passes.
const clock = new ManualClock();
const emulator = new SlackEmulator({ clock });
let token: string;

beforeAll(async () => {
  await emulator.start();
  token = emulator.mintToken();
});
afterAll(() => emulator.stop());

describe("a rate-limited burst", () => {
  it("posts 50 messages under a 20-per-second limit: every one succeeds, each exactly once", async () => {
    // A channel of its own so the count is the burst's alone.
    emulator.workspace.addChannel("C0BURST", "burst", "U0001", ["U0BOT"]);
    emulator.rateLimit(20, 1_000);
    const events: RunEvent[] = [];
    const texts = Array.from({ length: 50 }, (_, i) => `burst message ${i}`);

    const { result, tasks } = await runJob(
      slackFor(emulator, token),
      (io) =>
        Promise.all(
          texts.map((text, i) => io.slack.chat.postMessage(["burst", i], { channel: "C0BURST", text })),
        ),
      { clock, onEvent: (e) => events.push(e) },
    );

    expect(result.status, JSON.stringify(result).slice(0, 500)).toBe("completed");
    expect(tasks.filter((t) => t.status === "completed")).toHaveLength(50);

    const posted = emulator.history("C0BURST").filter((m) => m.text.startsWith("burst message "));
    expect(posted).toHaveLength(50);
    expect(new Set(posted.map((m) => m.text))).toEqual(new Set(texts));

    // The limit really bit: 429s were answered and the runtime retried them at Slack's Retry-After.
    const throttled = emulator.requests.filter(
      (r) => r.path === "/api/chat.postMessage" && r.outcome === 429,
    );
    // The calls in flight when the first 429 came back are refused; every later window is paced by the bucket.
    expect(throttled.length).toBeGreaterThan(0);
    expect(throttled.length).toBeLessThanOrEqual(50 - 20);
    // 50 calls at 20 per window: at least three windows of the clock went by.
    expect(clock.now() - (emulator.requests[0]?.at ?? clock.now())).toBeGreaterThanOrEqual(2_000);
    const retries = events.filter((e) => e.type === "task.retrying");
    expect(retries.length).toBe(throttled.length);
    expect(
      retries.every((e) => e.type === "task.retrying" && e.error.type === "rate-limit" && e.error.retryAt),
    ).toBe(true);
  });
});

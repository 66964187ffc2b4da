import type { RunEvent } from "@autoflow/core";
import { SlackEmulator } from "@autoflow/emulators";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runJob, slackFor } from "./helpers";

const emulator = new SlackEmulator();
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
      { onEvent: (e) => events.push(e) },
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
    // How many are throttled depends on how the 50 calls spread over windows on a loaded machine; that some are is the point.
    expect(throttled.length).toBeGreaterThan(0);
    const retries = events.filter((e) => e.type === "task.retrying");
    expect(retries.length).toBe(throttled.length);
    expect(
      retries.every((e) => e.type === "task.retrying" && e.error.type === "rate-limit" && e.error.retryAt),
    ).toBe(true);
  });
});

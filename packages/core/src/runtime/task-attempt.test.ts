import { getEventListeners } from "node:events";
import { describe, expect, it } from "vitest";
import { TaskAttempt } from "./task-attempt";

// The run's cancel signal lives as long as the run; an attempt must not leave anything on it (a run of many
// tasks would keep every attempt's signal and listeners until the run ends).
describe("TaskAttempt", () => {
  it("follows the run's cancel while it runs, and leaves no listener on it after", async () => {
    const cancel = new AbortController();
    const done = new TaskAttempt(cancel.signal, 60_000, "acme");
    expect(await done.run(async () => 1)).toBe(1);
    await expect(done.run(async () => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    expect(getEventListeners(cancel.signal, "abort")).toHaveLength(0);

    const held = new TaskAttempt(cancel.signal, undefined, "acme");
    const running = held.run(() => new Promise(() => {}));
    cancel.abort(new Error("cancelled"));
    await expect(running).rejects.toThrow("cancelled");
    expect(held.signal.reason).toEqual(new Error("cancelled"));
  });

  it("a run cancelled before the attempt starts aborts it at once", async () => {
    const attempt = new TaskAttempt(AbortSignal.abort(new Error("cancelled first")), undefined, "acme");
    let called = false;
    await expect(
      attempt.run(async () => {
        called = true;
      }),
    ).rejects.toThrow("cancelled first");
    expect(called).toBe(false);
  });
});

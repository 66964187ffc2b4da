import type { IOTask, ReconcileResult } from "@autoflow/core";
import { describe, expect, it } from "vitest";
import { createGmailClient } from "../src/client";
import { lookPastSearchLag, SEARCH_INDEX_LAG_MS, searchLagOf } from "../src/search-lag";

// A reconciler's search against an index that lags: "not found" is trusted only past the window.
const client = createGmailClient("ya29.search_lag_test", { searchIndexLagMs: 200 });
const task = (signal = new AbortController().signal) => ({ signal }) as IOTask;

function looks(...answers: ReconcileResult<string>[]) {
  const calls: number[] = [];
  return {
    calls,
    look: async () => {
      calls.push(Date.now());
      return answers[calls.length - 1] ?? { found: false };
    },
  };
}

describe("lookPastSearchLag", () => {
  it("is the client's window, else Gmail's 30 s", () => {
    expect(searchLagOf(client)).toBe(200);
    expect(searchLagOf(createGmailClient("ya29.other"))).toBe(SEARCH_INDEX_LAG_MS);
  });

  it("answers a find, and an unknown, at once", async () => {
    const found = looks({ found: true, output: "m1" });
    expect(await lookPastSearchLag(client, { callStartedAt: new Date(), task: task() }, found.look)).toEqual({
      found: true,
      output: "m1",
    });
    const unknown = looks({ unknown: true });
    expect(
      await lookPastSearchLag(client, { callStartedAt: new Date(), task: task() }, unknown.look),
    ).toEqual({
      unknown: true,
    });
    expect([found.calls.length, unknown.calls.length]).toEqual([1, 1]);
  });

  it("trusts a miss at once when the attempt started longer ago than the window (a worker resumed later)", async () => {
    const { calls, look } = looks({ found: false });
    const callStartedAt = new Date(Date.now() - 1_000);
    expect(await lookPastSearchLag(client, { callStartedAt, task: task() }, look)).toEqual({ found: false });
    expect(calls).toHaveLength(1);
  });

  it("waits out the rest of the window after a miss inside it, then looks again", async () => {
    const { calls, look } = looks({ found: false }, { found: true, output: "late" });
    const callStartedAt = new Date(Date.now() - 50);
    expect(await lookPastSearchLag(client, { callStartedAt, task: task() }, look)).toEqual({
      found: true,
      output: "late",
    });
    expect(calls).toHaveLength(2);
    expect((calls[1] ?? 0) - callStartedAt.getTime()).toBeGreaterThanOrEqual(195);
  });

  it("stops waiting when the run is cancelled", async () => {
    const controller = new AbortController();
    const { look } = looks({ found: false });
    const pending = lookPastSearchLag(
      client,
      { callStartedAt: new Date(), task: task(controller.signal) },
      look,
    );
    controller.abort(new Error("cancelled"));
    await expect(pending).rejects.toThrow("cancelled");
  });
});

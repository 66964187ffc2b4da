import type { ReconcileResult } from "@autoflow/core";
import { describe, expect, it } from "vitest";
import { createGmailClient } from "../src/client";
import { lookPastSearchLag, SEARCH_INDEX_LAG_MS, searchLagOf } from "../src/search-lag";

// A reconciler's search against an index that lags: "not found" is trusted only past the window; inside it the
// runtime is asked to look again at the window's end (on the run's clock: `now` is given, no waiting here).
const client = createGmailClient("ya29.search_lag_test", { searchIndexLagMs: 200 });
const T0 = Date.UTC(2026, 0, 1);

function looks(...answers: ReconcileResult<string>[]) {
  let calls = 0;
  return {
    calls: () => calls,
    look: async () => answers[calls++] ?? { found: false },
  };
}

describe("lookPastSearchLag", () => {
  it("is the client's window, else Gmail's 30 s", () => {
    expect(searchLagOf(client)).toBe(200);
    expect(searchLagOf(createGmailClient("ya29.other"))).toBe(SEARCH_INDEX_LAG_MS);
  });

  it("answers a find, and an unknown, as they are", async () => {
    const at = { callStartedAt: new Date(T0), now: new Date(T0 + 10) };
    expect(await lookPastSearchLag(client, at, looks({ found: true, output: "m1" }).look)).toEqual({
      found: true,
      output: "m1",
    });
    expect(await lookPastSearchLag(client, at, looks({ unknown: true }).look)).toEqual({ unknown: true });
  });

  it("trusts a miss once the window has passed since the attempt started (a worker resumed later)", async () => {
    const { calls, look } = looks({ found: false });
    const at = { callStartedAt: new Date(T0), now: new Date(T0 + 200) };
    expect(await lookPastSearchLag(client, at, look)).toEqual({ found: false });
    expect(calls()).toBe(1);
  });

  it("asks to look again at the window's end after a miss inside it, never answering not-found early", async () => {
    const at = { callStartedAt: new Date(T0), now: new Date(T0 + 50) };
    expect(await lookPastSearchLag(client, at, looks({ found: false }).look)).toEqual({
      unknown: true,
      lookAgainAt: new Date(T0 + 200),
    });
  });
});

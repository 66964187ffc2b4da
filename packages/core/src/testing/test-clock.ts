import type { Clock } from "../runtime/clock";

/** A clock whose `sleep` returns at once and moves time forward, recording every sleep: backoff tests run in microseconds. */
export interface TestClock extends Clock {
  /** Every duration passed to `sleep`, in order. */
  readonly sleeps: number[];
  /** Moves time forward without sleeping (e.g. to make a suspended run due). */
  advance(ms: number): void;
  set(epochMs: number): void;
}

export function createTestClock(startEpochMs = Date.UTC(2026, 0, 1)): TestClock {
  let now = startEpochMs;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => now,
    sleep: async (ms) => {
      sleeps.push(ms);
      now += ms;
    },
    advance: (ms) => {
      now += ms;
    },
    set: (epochMs) => {
      now = epochMs;
    },
  };
}

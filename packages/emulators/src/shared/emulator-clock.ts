/**
 * Time as an emulator sees it: rate-limit windows, token expiry, timestamps in answers and webhook
 * signatures all read `now()`, so a test that injects a {@link ManualClock} never waits for the wall clock.
 */
export interface EmulatorClock {
  /** Epoch milliseconds. */
  now(): number;
  /**
   * Calls `callback` once this clock reads `epochMs` or later; returns a function that cancels it. Optional:
   * without it, {@link setClockTimer} waits in real time.
   */
  setTimer?(epochMs: number, callback: () => void): () => void;
}

/** The wall clock: what an emulator uses unless given another. */
export const systemEmulatorClock: EmulatorClock = { now: () => Date.now() };

/**
 * A clock that moves only when told to. `advance(ms)` opens a rate-limit window or expires a token at
 * once. It also has `sleep(ms)`, so the same instance can be the runtime's clock (`JobRunner`'s `clock`
 * option): a sleep jumps time to its wake-up moment and resolves on the next microtask, so waiting out a
 * `Retry-After` costs no real time and the emulator sees exactly the time the client waited for.
 */
export class ManualClock implements EmulatorClock {
  private current: number;
  private timers: { at: number; callback: () => void }[] = [];

  /** Starts at `startEpochMs`; a fixed date by default, so answers and logs read the same on every run. */
  constructor(startEpochMs: number = Date.UTC(2026, 0, 1)) {
    this.current = checkedEpoch(startEpochMs);
  }

  now(): number {
    return this.current;
  }

  /** Moves time forward by `ms` (never back: a window that opened stays open). */
  advance(ms: number): this {
    if (!Number.isFinite(ms) || ms < 0)
      throw new RangeError(`advance: ms must be a finite number >= 0, got ${ms}`);
    this.current += ms;
    this.fireDue();
    return this;
  }

  /** Sets the time to `epochMs`, e.g. to start a test at a chosen date; refuses to go back. */
  set(epochMs: number): this {
    const next = checkedEpoch(epochMs);
    if (next < this.current) {
      throw new RangeError(`set: the clock does not go back (now ${this.current}, asked ${next})`);
    }
    this.current = next;
    this.fireDue();
    return this;
  }

  /**
   * Waits `ms` of this clock's time without waiting real time. Sleepers that start together and ask for
   * the same wait wake at the same moment (time jumps to the deadline, it does not add up per sleeper),
   * which is how concurrent calls waiting for one rate-limit reset behave on a real clock.
   */
  async sleep(ms: number): Promise<void> {
    const until = this.current + Math.max(0, ms);
    await Promise.resolve();
    if (until > this.current) this.current = until;
    this.fireDue();
  }

  /**
   * Calls `callback` when `advance`, `set` or `sleep` brings the clock to `epochMs` (on the next microtask
   * if it is already there), so a webhook retry waits for a test to move time instead of for real time.
   */
  setTimer(epochMs: number, callback: () => void): () => void {
    const timer = { at: epochMs, callback };
    this.timers.push(timer);
    if (epochMs <= this.current) queueMicrotask(() => this.fireDue());
    return () => {
      this.timers = this.timers.filter((t) => t !== timer);
    };
  }

  /** Runs the timers that are due, earliest first (in the order set when due together). */
  private fireDue(): void {
    const due = this.timers.filter((t) => t.at <= this.current).sort((a, b) => a.at - b.at);
    if (due.length === 0) return;
    this.timers = this.timers.filter((t) => t.at > this.current);
    for (const timer of due) timer.callback();
  }
}

function checkedEpoch(epochMs: number): number {
  if (!Number.isFinite(epochMs)) throw new RangeError(`the clock needs a finite epoch in ms, got ${epochMs}`);
  return epochMs;
}

/** Calls `callback` once `clock` reads `epochMs`: on the clock's own timer when it has one, else in real time. */
export function setClockTimer(clock: EmulatorClock, epochMs: number, callback: () => void): () => void {
  if (clock.setTimer) return clock.setTimer(epochMs, callback);
  const timer = setTimeout(callback, Math.max(0, epochMs - clock.now()));
  return () => clearTimeout(timer);
}

/** A clock, or an older `now` function made into one (with no timer of its own). */
export function asEmulatorClock(clock: EmulatorClock | (() => number)): EmulatorClock {
  return typeof clock === "function" ? { now: clock } : clock;
}

/** The clock an emulator's options ask for: `clock`, else the older `now` function, else the wall clock. */
export function clockFromOptions(options: { clock?: EmulatorClock; now?: () => number }): EmulatorClock {
  if (options.clock) return options.clock;
  const { now } = options;
  return now ? { now: () => now() } : systemEmulatorClock;
}

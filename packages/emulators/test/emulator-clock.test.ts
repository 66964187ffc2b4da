import { afterEach, describe, expect, it } from "vitest";
import { ManualClock } from "../src/shared/emulator-clock";
import { EmulatorServer } from "../src/shared/emulator-server";

const START = Date.UTC(2030, 5, 1);

describe("ManualClock", () => {
  it("stands still until advanced, and never goes back", () => {
    const clock = new ManualClock(START);
    expect(clock.now()).toBe(START);
    expect(clock.now()).toBe(START);
    expect(clock.advance(1_500).now()).toBe(START + 1_500);
    expect(clock.set(START + 10_000).now()).toBe(START + 10_000);
    expect(() => clock.set(START)).toThrow(/does not go back/);
    expect(() => clock.advance(-1)).toThrow(RangeError);
    expect(() => clock.advance(Number.NaN)).toThrow(RangeError);
    expect(() => new ManualClock(Number.POSITIVE_INFINITY)).toThrow(RangeError);
    expect(clock.now()).toBe(START + 10_000);
  });

  it("starts at a fixed date by default, not at the wall clock", () => {
    expect(new ManualClock().now()).toBe(Date.UTC(2026, 0, 1));
  });

  it("sleep jumps to the wake-up moment at once; sleepers waiting for the same reset wake together", async () => {
    const clock = new ManualClock(START);
    const realStart = performance.now();
    await Promise.all([clock.sleep(60_000), clock.sleep(60_000), clock.sleep(60_000)]);
    // Three concurrent one-minute waits are one minute of clock time, not three.
    expect(clock.now()).toBe(START + 60_000);
    // A shorter sleep that ends before now leaves the clock where it is.
    const shorter = clock.sleep(10);
    clock.advance(1_000);
    await shorter;
    expect(clock.now()).toBe(START + 61_000);
    // Wide margin: a minute of clock time must cost nowhere near a real second.
    expect(performance.now() - realStart).toBeLessThan(1_000);
  });

  it("fires timers when advance, set or sleep reaches them, earliest first; cancelled ones never", async () => {
    const clock = new ManualClock(START);
    const fired: string[] = [];
    clock.setTimer(START + 2_000, () => fired.push("two"));
    clock.setTimer(START + 1_000, () => fired.push("one"));
    const cancel = clock.setTimer(START + 1_500, () => fired.push("cancelled"));
    cancel();
    clock.advance(999);
    expect(fired).toEqual([]);
    clock.advance(5_000);
    expect(fired).toEqual(["one", "two"]);
    clock.setTimer(START + 10_000, () => fired.push("set"));
    clock.set(START + 10_000);
    clock.setTimer(START + 70_000, () => fired.push("slept"));
    await clock.sleep(60_000);
    // A timer already due fires on the next microtask, not inside setTimer.
    clock.setTimer(START, () => fired.push("due"));
    expect(fired).toEqual(["one", "two", "set", "slept"]);
    await Promise.resolve();
    expect(fired).toEqual(["one", "two", "set", "slept", "due"]);
  });
});

describe("an emulator's rate-limit window on a manual clock", () => {
  let server: EmulatorServer | undefined;
  afterEach(() => server?.stop());

  async function limitedServer(clock: ManualClock): Promise<string> {
    server = new EmulatorServer({
      name: "clocked",
      clock,
      rateLimitResponse: ({ retryAfterSeconds, resetAtEpochSeconds }) => ({
        status: 429,
        headers: { "retry-after": String(retryAfterSeconds), "x-reset": String(resetAtEpochSeconds) },
        body: { error: "slow down" },
      }),
    });
    server.route("GET", "/ping", () => ({ body: { ok: true } }));
    const url = await server.start();
    server.faults.rateLimit({ limit: 2, windowMs: 60_000 });
    return url;
  }

  it("stays shut however much real time passes, and opens the moment the clock reaches the reset", async () => {
    const clock = new ManualClock(START);
    const url = await limitedServer(clock);
    const statuses = async (n: number) => {
      const out: number[] = [];
      for (let i = 0; i < n; i++) out.push((await fetch(`${url}/ping`)).status);
      return out;
    };

    expect(await statuses(3)).toEqual([200, 200, 429]);
    const refused = await fetch(`${url}/ping`);
    // The answer's times come from the emulator's clock: a full minute left, reset at START + 60 s.
    expect(refused.headers.get("retry-after")).toBe("60");
    expect(refused.headers.get("x-reset")).toBe(String((START + 60_000) / 1000));

    // One millisecond short of the window: still refused.
    clock.advance(59_999);
    expect(await statuses(1)).toEqual([429]);
    expect((await fetch(`${url}/ping`)).headers.get("retry-after")).toBe("1");

    clock.advance(1);
    expect(await statuses(3)).toEqual([200, 200, 429]);
  });

  it("stamps the request log with the emulator's clock", async () => {
    const clock = new ManualClock(START);
    const url = await limitedServer(clock);
    await fetch(`${url}/ping`);
    clock.advance(250);
    await fetch(`${url}/ping`);
    expect(server?.requests.map((r) => r.at)).toEqual([START, START + 250]);
  });
});

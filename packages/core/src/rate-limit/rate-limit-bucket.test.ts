import { describe, expect, it } from "vitest";
import { createTestClock } from "../testing/test-clock";
import { RateLimitBucket } from "./rate-limit-bucket";

const START = Date.UTC(2026, 0, 1);

/** A bucket on a test clock, and a helper that admits `count` calls that all succeed. */
function bucketOnTestClock(options: { maxWaitMs?: number; forgetAfterMs?: number } = {}) {
  const clock = createTestClock(START);
  const bucket = new RateLimitBucket({ clock, ...options });
  const succeed = async (count: number) => {
    for (let i = 0; i < count; i++) bucket.succeeded(await bucket.acquire());
  };
  return { clock, bucket, succeed };
}

describe("RateLimitBucket", () => {
  it("admits calls at once while the provider has refused nothing", async () => {
    const { clock, succeed, bucket } = bucketOnTestClock();
    await succeed(100);
    expect(clock.sleeps).toEqual([]);
    expect(bucket.learned).toBeUndefined();
  });

  it("holds every call until the reset the provider named, then paces at the limit it learned", async () => {
    const { clock, bucket, succeed } = bucketOnTestClock();
    await succeed(5);
    clock.advance(100);
    const refusedGrant = await bucket.acquire();
    bucket.refused(refusedGrant, new Date(START + 1_000));
    expect(bucket.learned).toEqual({ limit: 5, windowMs: 1_000 });

    // The next call waits for the reset; the five after it fit the window; the sixth waits for the next one.
    await succeed(5);
    expect(clock.sleeps).toEqual([900]);
    expect(clock.now()).toBe(START + 1_000);
    await succeed(1);
    expect(clock.sleeps).toEqual([900, 1_000]);
    expect(clock.now()).toBe(START + 2_000);
  });

  it("counts a success answered after the refusal towards the window that taught the limit", async () => {
    const { bucket } = bucketOnTestClock();
    const grants = [await bucket.acquire(), await bucket.acquire(), await bucket.acquire()];
    bucket.succeeded(grants[0]!);
    bucket.refused(grants[2]!, new Date(START + 1_000));
    bucket.succeeded(grants[1]!);
    expect(bucket.learned).toEqual({ limit: 2, windowMs: 1_000 });
  });

  it("learns nothing from a refusal when no call of the window succeeded (someone else spent the limit)", async () => {
    const { clock, bucket } = bucketOnTestClock();
    bucket.refused(await bucket.acquire(), new Date(START + 2_000));
    expect(bucket.learned).toBeUndefined();
    await bucket.acquire();
    expect(clock.sleeps).toEqual([2_000]);
  });

  it("leaves a pause longer than maxWaitMs to the runtime: the call goes at once", async () => {
    const { clock, bucket, succeed } = bucketOnTestClock({ maxWaitMs: 5_000 });
    await succeed(1);
    bucket.refused(await bucket.acquire(), new Date(START + 30_000));
    await succeed(3);
    expect(clock.sleeps).toEqual([]);
  });

  it("pauses at a spent budget reported in the headers until x-ratelimit-reset", async () => {
    const { clock, bucket } = bucketOnTestClock();
    bucket.observeHeaders({ "x-ratelimit-remaining": "12", "x-ratelimit-reset": String(START / 1000 + 3) });
    await bucket.acquire();
    expect(clock.sleeps).toEqual([]);
    bucket.observeHeaders({ "x-ratelimit-remaining": "0", "x-ratelimit-reset": String(START / 1000 + 3) });
    await bucket.acquire();
    expect(clock.sleeps).toEqual([3_000]);
  });

  it("forgets a learned limit once the provider has refused nothing for forgetAfterMs", async () => {
    const { clock, bucket, succeed } = bucketOnTestClock({ forgetAfterMs: 10_000 });
    await succeed(2);
    bucket.refused(await bucket.acquire(), new Date(START + 1_000));
    expect(bucket.learned).toEqual({ limit: 2, windowMs: 1_000 });
    clock.advance(11_000);
    await succeed(10);
    expect(bucket.learned).toBeUndefined();
    expect(clock.sleeps).toEqual([]);
  });
});

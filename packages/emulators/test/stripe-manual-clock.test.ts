import { afterEach, describe, expect, it } from "vitest";
import { ManualClock, StripeEmulator } from "../src/index";

const START = Date.UTC(2030, 5, 1, 12, 0, 0);
const DAY_MS = 24 * 3_600_000;

const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const stop of stops.splice(0)) await stop();
});

async function startedStripe(clock: ManualClock) {
  const stripe = new StripeEmulator({ clock });
  await stripe.start();
  stops.push(() => stripe.stop());
  const key = stripe.mintToken();
  const post = (path: string, body: string, idempotencyKey?: string) =>
    fetch(`${stripe.apiUrl}${path}`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${key}`,
        "content-type": "application/x-www-form-urlencoded",
        ...(idempotencyKey !== undefined && { "idempotency-key": idempotencyKey }),
      },
      body,
    });
  return { stripe, post };
}

describe("Stripe emulator on a manual clock", () => {
  it("replays an idempotency key for 24 hours, then forgets it", async () => {
    const clock = new ManualClock(START);
    const { stripe, post } = await startedStripe(clock);
    const first = (await (await post("/v1/customers", "name=Ada", "k")).json()) as {
      id: string;
      created: number;
    };
    expect(first.created).toBe(START / 1000);
    clock.advance(DAY_MS - 1);
    const replayed = await post("/v1/customers", "name=Ada", "k");
    expect(replayed.headers.get("idempotent-replayed")).toBe("true");
    expect(((await replayed.json()) as { id: string }).id).toBe(first.id);
    clock.advance(1);
    const fresh = await post("/v1/customers", "name=Ada", "k");
    expect(fresh.headers.get("idempotent-replayed")).toBeNull();
    expect(((await fresh.json()) as { id: string }).id).not.toBe(first.id);
    expect(stripe.state.list("customers")).toHaveLength(2);
  });

  it("keeps a rate limit shut until the clock passes the window, with Retry-After", async () => {
    const clock = new ManualClock(START);
    const { stripe, post } = await startedStripe(clock);
    stripe.rateLimit(1, 10_000);
    expect((await post("/v1/customers", "")).status).toBe(200);
    const limited = await post("/v1/customers", "");
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("10");
    expect(((await limited.json()) as { error: { code: string } }).error.code).toBe("rate_limit");
    clock.advance(10_000);
    expect((await post("/v1/customers", "")).status).toBe(200);
  });

  it("signs webhook events at the emulator clock's time", async () => {
    const clock = new ManualClock(START);
    const { stripe } = await startedStripe(clock);
    const event = stripe.events.emit("customer.created", { id: "cus_1", object: "customer" }, undefined);
    expect(event.created).toBe(START / 1000);
  });
});

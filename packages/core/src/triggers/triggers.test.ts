import { createHmac, timingSafeEqual } from "node:crypto";
import { describe, expect, it } from "vitest";
import { defineJob } from "../runtime/job";
import { MemoryTaskStore } from "../runtime/memory-task-store";
import { JobRunner } from "../runtime/runner";
import type { PollingTrigger, WebhookTrigger } from "./trigger";
import { TriggerDispatcher } from "./trigger-dispatcher";
import { handleWebhook } from "./webhook-handler";
import { MemoryWebhookInbox } from "./webhook-inbox";
import { parseJsonBody, WebhookRejection, type WebhookVerifier } from "./webhook-verifier";

// A minimal HMAC verifier shaped like a provider's, to drive the provider-independent intake.
const SECRET = "test-webhook-secret";
const sign = (body: string) => `sha256=${createHmac("sha256", SECRET).update(body).digest("hex")}`;
const verifier: WebhookVerifier = {
  provider: "test",
  verify({ headers, body }) {
    const signature = headers.get("x-signature");
    if (!signature) throw new WebhookRejection("missing_signature", "no signature");
    const expected = Buffer.from(sign(Buffer.from(body).toString("utf8")));
    const given = Buffer.from(signature);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      throw new WebhookRejection("bad_signature", "bad signature");
    }
    const payload = parseJsonBody(body) as { kind: string; repo: string };
    const deliveryId = headers.get("x-delivery");
    if (!deliveryId) throw new WebhookRejection("missing_delivery_id", "no delivery id");
    return { kind: "delivery", delivery: { provider: "test", deliveryId, event: payload.kind, payload } };
  },
};

const request = (payload: unknown, deliveryId: string, signature?: string) => {
  const body = typeof payload === "string" ? payload : JSON.stringify(payload);
  const headers = new Headers({ "x-delivery": deliveryId, "x-signature": signature ?? sign(body) });
  return [headers, new TextEncoder().encode(body)] as const;
};

const opened = (repo: string): WebhookTrigger<{ kind: string; repo: string }> => ({
  kind: "webhook",
  provider: "test",
  title: `opened in ${repo}`,
  matches: (d) => d.event === "opened" && (d.payload as { repo: string }).repo === repo,
  payloadOf: (d) => d.payload as { kind: string; repo: string },
});

describe("webhook intake", () => {
  it("writes a verified delivery to the inbox before answering, and acknowledges a redelivery without storing it twice", async () => {
    const inbox = new MemoryWebhookInbox();
    let woken = 0;
    const options = { verifier, inbox, onAccepted: () => woken++ };
    expect(await handleWebhook(options, ...request({ kind: "opened", repo: "a" }, "d-1"))).toEqual({
      status: 200,
      body: { ok: true },
    });
    expect(await inbox.pending()).toHaveLength(1);
    expect(await handleWebhook(options, ...request({ kind: "opened", repo: "a" }, "d-1"))).toEqual({
      status: 200,
      body: { ok: true, duplicate: true },
    });
    expect(await inbox.pending()).toHaveLength(1);
    expect(woken).toBe(1);
  });

  it.each([
    [
      "a wrong signature",
      () => request({ kind: "opened" }, "d-2", sign("something else")),
      401,
      "bad_signature",
    ],
    [
      "no signature",
      () => [new Headers({ "x-delivery": "d-3" }), new TextEncoder().encode("{}")] as const,
      401,
      "missing_signature",
    ],
    ["a signed body that is not JSON", () => request("not json", "d-4"), 400, "not_json"],
    ["an oversized body", () => request({ kind: "opened", pad: "x".repeat(2_000) }, "d-5"), 413, "too_large"],
  ])("refuses %s and stores nothing", async (_name, make, status, error) => {
    const inbox = new MemoryWebhookInbox();
    const [headers, body] = make();
    expect(await handleWebhook({ verifier, inbox, maxBodyBytes: 1_000 }, headers, body)).toEqual({
      status,
      body: { ok: false, error },
    });
    expect(await inbox.pending()).toEqual([]);
  });
});

describe("TriggerDispatcher", () => {
  function setup() {
    const inbox = new MemoryWebhookInbox();
    const store = new MemoryTaskStore();
    const calls: string[] = [];
    const job = defineJob({
      id: "on-opened",
      trigger: opened("a"),
      run: async (payload, io) => io.runTask("side-effect", async () => calls.push(payload.repo)),
    });
    const other = defineJob({ id: "other-repo", trigger: opened("b"), run: async () => calls.push("other") });
    const dispatcher = () =>
      new TriggerDispatcher({ inbox, runner: new JobRunner({ store }), jobs: [job, other] });
    return { inbox, store, calls, dispatcher };
  }

  it("starts one run per delivery and matching job, and never a second one", async () => {
    const { inbox, calls, dispatcher } = setup();
    await handleWebhook({ verifier, inbox }, ...request({ kind: "opened", repo: "a" }, "d-1"));
    await handleWebhook({ verifier, inbox }, ...request({ kind: "opened", repo: "a" }, "d-2"));
    await handleWebhook({ verifier, inbox }, ...request({ kind: "closed", repo: "a" }, "d-3"));
    const first = dispatcher();
    expect(await first.dispatchPending()).toBe(3);
    expect(calls).toEqual(["a", "a"]);
    expect(await first.dispatchPending()).toBe(0);
    expect(await inbox.pending()).toEqual([]);
  });

  it("re-dispatches after a crash between the run and the inbox update without running twice", async () => {
    const { inbox, store, calls } = setup();
    await handleWebhook({ verifier, inbox }, ...request({ kind: "opened", repo: "a" }, "d-1"));
    // The first process ran the job and died before marking the delivery dispatched.
    const crashing = new MemoryWebhookInbox();
    const entry = (await inbox.pending())[0];
    if (!entry) throw new Error("no entry");
    const job = defineJob({
      id: "on-opened",
      trigger: opened("a"),
      run: async (payload, io) => io.runTask("side-effect", async () => calls.push(payload.repo)),
    });
    await new TriggerDispatcher({
      inbox: crashing,
      runner: new JobRunner({ store }),
      jobs: [job],
    }).dispatchPending();
    await crashing.accept(entry);
    await new TriggerDispatcher({
      inbox: crashing,
      runner: new JobRunner({ store }),
      jobs: [job],
    }).dispatchPending();
    // The restarted process finds it pending and dispatches it again: the same run id, so no second run.
    await new TriggerDispatcher({ inbox, runner: new JobRunner({ store }), jobs: [job] }).dispatchPending();
    expect(calls).toEqual(["a"]);
  });
});

describe("polling triggers", () => {
  it("keeps the cursor in the store, so a restart neither misses nor repeats an item", async () => {
    const inbox = new MemoryWebhookInbox();
    const store = new MemoryTaskStore();
    const stars: { id: number; user: string }[] = [{ id: 1, user: "old" }];
    const seen: string[] = [];
    const trigger: PollingTrigger<{ id: number; user: string }> = {
      kind: "polling",
      provider: "test",
      id: "stars:a",
      title: "new stars",
      intervalMs: 1_000,
      poll: async (cursor) => {
        const after = typeof cursor === "number" ? cursor : (stars.at(-1)?.id ?? 0);
        const items = cursor === undefined ? [] : stars.filter((s) => s.id > after);
        return { items, cursor: items.at(-1)?.id ?? after };
      },
      itemId: (item) => String(item.id),
    };
    const job = defineJob({ id: "on-star", trigger, run: async (star) => seen.push(star.user) });
    // A second job on the same trigger sees every item too: the poll and the cursor are shared.
    const thanks: string[] = [];
    const second = defineJob({ id: "thank-star", trigger, run: async (star) => thanks.push(star.user) });
    const dispatcher = () =>
      new TriggerDispatcher({ inbox, cursors: inbox, runner: new JobRunner({ store }), jobs: [job, second] });

    expect(await dispatcher().pollOnce()).toBe(0);
    stars.push({ id: 2, user: "ada" }, { id: 3, user: "lin" });
    expect(await dispatcher().pollOnce()).toBe(4);
    expect(await dispatcher().pollOnce()).toBe(0);
    stars.push({ id: 4, user: "kay" });
    expect(await dispatcher().pollOnce()).toBe(2);
    expect(seen).toEqual(["ada", "lin", "kay"]);
    expect(thanks).toEqual(["ada", "lin", "kay"]);
  });
});

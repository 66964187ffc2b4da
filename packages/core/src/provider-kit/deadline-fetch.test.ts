import { getEventListeners } from "node:events";
import { createServer, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defineJob } from "../runtime/job";
import { MemoryTaskStore } from "../runtime/memory-task-store";
import { JobRunner } from "../runtime/runner";
import { createTestClock } from "../testing/test-clock";
import { createDeadlineFetch } from "./deadline-fetch";
import { ResponseTooLargeError } from "./response-limit";

interface Hold {
  arrived: Promise<void>;
  cut: Promise<void>;
  onArrive(): void;
  onCut(): void;
}

// A loopback API: `/ok` answers at once; any other path never answers, and its hold says when the request
// arrived and when it was cut (a path per test, so a late request cannot be taken for another test's).
let url: string;
let server: Server;
const openResponses: ServerResponse[] = [];
const holds = new Map<string, Hold>();
beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url === "/ok") {
      res.writeHead(200, { "content-type": "application/json" }).end('{"ok":true}');
      return;
    }
    openResponses.push(res);
    const hold = holds.get(req.url ?? "");
    res.on("close", () => hold?.onCut());
    hold?.onArrive();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  for (const response of openResponses) response.destroy();
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

/** A path the API holds, with promises for its request arriving and being cut. */
function hold(path: string): Hold {
  const entry = {} as Hold;
  entry.arrived = new Promise((resolve) => {
    entry.onArrive = resolve;
  });
  entry.cut = new Promise((resolve) => {
    entry.onCut = resolve;
  });
  holds.set(path, entry);
  return entry;
}

describe("createDeadlineFetch", () => {
  it("answers with the body read in full, and leaves no listener on the caller's signal", async () => {
    const caller = new AbortController();
    const response = await createDeadlineFetch({})(`${url}/ok`, { signal: caller.signal });
    expect(await response.json()).toEqual({ ok: true });
    expect(getEventListeners(caller.signal, "abort")).toHaveLength(0);
  });

  it.each([
    {
      how: "in `init`",
      path: "/caller-abort-init",
      send: (target: string, signal: AbortSignal) => createDeadlineFetch({})(target, { signal }),
    },
    {
      how: "on a Request it is handed (as axios's fetch adapter sends one)",
      path: "/caller-abort-request",
      send: (target: string, signal: AbortSignal) => createDeadlineFetch({})(new Request(target, { signal })),
    },
  ])(
    "the caller's abort (its signal $how) cuts the request in flight, with its reason",
    async ({ path, send }) => {
      const caller = new AbortController();
      const held = hold(path);
      const pending = send(`${url}${path}`, caller.signal);
      await held.arrived;
      caller.abort(new Error("caller gave up"));
      await expect(pending).rejects.toThrow("caller gave up");
      await held.cut;
      expect(getEventListeners(caller.signal, "abort")).toHaveLength(0);
    },
  );

  it("reads a custom fetch's answer in full, under the deadline, and hands it on as fetch's", async () => {
    const seen: string[] = [];
    const recorder: typeof fetch = (input, init) => {
      seen.push(String(input));
      return fetch(input, init);
    };
    const response = await createDeadlineFetch({ fetch: recorder })(`${url}/ok`);
    expect(seen).toEqual([`${url}/ok`]);
    expect(response.url).toBe(`${url}/ok`);
    expect(await response.json()).toEqual({ ok: true });
  });

  it("bounds the answer by maxResponseBytes, from its own fetch and from a custom one", async () => {
    // `/ok` answers 11 bytes.
    await expect(createDeadlineFetch({ maxResponseBytes: 10 })(`${url}/ok`)).rejects.toBeInstanceOf(
      ResponseTooLargeError,
    );
    const custom = createDeadlineFetch({ maxResponseBytes: 10, fetch: (input, init) => fetch(input, init) });
    await expect(custom(`${url}/ok`)).rejects.toMatchObject({
      name: "ResponseTooLargeError",
      url: `${url}/ok`,
      status: 200,
    });
    expect(await (await createDeadlineFetch({ maxResponseBytes: 11 })(`${url}/ok`)).json()).toEqual({
      ok: true,
    });
  });

  it("the deadline cuts a request that gets no answer", async () => {
    // Short, and no race with the wall clock: the request never gets an answer whatever the machine's load.
    const pending = createDeadlineFetch({ timeoutMs: 50 })(`${url}/deadline`);
    await expect(pending).rejects.toMatchObject({ name: "TimeoutError" });
  });

  it("inside a task, cancelling the run cuts the task's request in flight", async () => {
    const held = hold("/cancelled-run");
    const send = createDeadlineFetch({});
    const job = defineJob({
      id: "held-request",
      run: async (_payload, io) =>
        io.runTask("call", async () => (await send(`${url}/cancelled-run`)).status),
    });
    const runner = new JobRunner({ store: new MemoryTaskStore(), clock: createTestClock(), logger: false });
    const running = runner.run(job, { runId: "held-1" });
    await held.arrived;
    expect(await runner.cancel("held-1")).toMatchObject({ outcome: "cancelled" });
    await held.cut;
    expect(await running).toEqual({ runId: "held-1", status: "cancelled" });
  });
});

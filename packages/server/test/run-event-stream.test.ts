import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { createRunEventStreams } from "../src/http/run-event-stream";

// The live run view's stream, on Hono's in-memory fetch: no socket that could end it from outside.

/** Reads the stream to its end, or fails after `marginMs` (a margin for a loaded machine, not a measure). */
async function readToEnd(body: ReadableStream<Uint8Array>, marginMs = 10_000): Promise<string> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let text = "";
  const deadline = new Promise<never>((_, reject) => {
    setTimeout(() => reject(new Error(`the stream did not end; it sent:\n${text}`)), marginMs).unref();
  });
  for (;;) {
    const { done, value } = await Promise.race([reader.read(), deadline]);
    if (done) return text;
    text += decoder.decode(value);
  }
}

function appWith(
  load: () => Promise<{ status: string; step?: number } | undefined>,
  maxStreamsPerUser?: number,
) {
  // Reads follow one another on the next turn of the event loop: no timer, no wall clock.
  const sleep = () => new Promise<void>((resolve) => setImmediate(resolve));
  const streams = createRunEventStreams({ sleep, ...(maxStreamsPerUser && { maxStreamsPerUser }) });
  const app = new Hono();
  app.get(
    "/events",
    async (c) => (await streams.stream(c, "user-1", load)) ?? c.json({ missing: true }, 404),
  );
  return { app, streams };
}

describe("run event streams", () => {
  it("send the view when it changes, then `end` once the run ended", async () => {
    const states = ["running", "running", "running", "completed"];
    let reads = 0;
    const { app } = appWith(async () => ({
      status: states[Math.min(reads++, states.length - 1)] ?? "completed",
    }));
    const text = await readToEnd((await app.request("/events")).body as ReadableStream<Uint8Array>);
    // An unchanged view is not sent again.
    expect(text).toBe(
      'event: run\ndata: {"status":"running"}\n\nevent: run\ndata: {"status":"completed"}\n\n' +
        'event: end\ndata: {"status":"completed"}\n\n',
    );
  });

  it("end before their next read once closed (the service is closing its stores)", async () => {
    let reads = 0;
    const { app, streams } = appWith(async () => {
      reads += 1;
      return { status: "running" };
    });
    const response = await app.request("/events");
    const body = response.body as ReadableStream<Uint8Array>;
    streams.close();
    const readsAtClose = reads;
    expect(await readToEnd(body)).toBe('event: run\ndata: {"status":"running"}\n\n');
    expect(reads).toBe(readsAtClose);
  });

  it("end quietly when the store stops answering, and answer 404 for a run that is not there", async () => {
    let reads = 0;
    const { app } = appWith(async () => {
      reads += 1;
      if (reads > 1) throw new Error("the store is closed");
      return { status: "running" };
    });
    expect(await readToEnd((await app.request("/events")).body as ReadableStream<Uint8Array>)).toBe(
      'event: run\ndata: {"status":"running"}\n\n',
    );
    const missing = appWith(async () => undefined);
    expect((await missing.app.request("/events")).status).toBe(404);
  });

  it("refuse a user's streams past the bound with a 429", async () => {
    const { app, streams } = appWith(async () => ({ status: "running" }), 2);
    const open = [await app.request("/events"), await app.request("/events")];
    const third = await app.request("/events");
    expect(third.status).toBe(429);
    expect(((await third.json()) as { error: { code: string } }).error.code).toBe("too_many_streams");
    streams.close();
    for (const response of open) await readToEnd(response.body as ReadableStream<Uint8Array>);
  });
});

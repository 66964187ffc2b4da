import type { Context } from "hono";
import { streamSSE } from "hono/streaming";

/** How a run page is kept live: the view is read again this often and sent when it changed. */
export interface RunEventStreamOptions {
  /** Default 250 ms. */
  pollMs?: number;
  /** A stream ends after this long (the browser's EventSource reconnects): no request lives forever. Default 10 min. */
  maxStreamMs?: number;
  /** How a stream waits between reads. Default a timer of `pollMs`; a test passes its own, so no test waits on the wall clock. */
  sleep?: (ms: number) => Promise<void>;
  /** At most this many open streams per user; more are a 429. Default 16. */
  maxStreamsPerUser?: number;
}

const FINISHED = new Set(["completed", "failed", "cancelled"]);

/**
 * Server-sent events for one run: a `run` event with the whole view when the stream opens and whenever it
 * changes, and an `end` event once the run has ended (or is gone), after which the stream closes. The view is
 * read from the stores, so a run executed by another process (a pg-boss worker) is live too.
 */
export function createRunEventStreams(options: RunEventStreamOptions = {}): RunEventStreams {
  const pollMs = options.pollMs ?? 250;
  const maxStreamMs = options.maxStreamMs ?? 10 * 60 * 1000;
  const maxStreams = options.maxStreamsPerUser ?? 16;
  const open = new Map<string, number>();
  let closed = false;

  async function stream<V extends { status: string }>(
    c: Context,
    userId: string,
    load: () => Promise<V | undefined>,
  ): Promise<Response | undefined> {
    const first = await load();
    if (!first) return undefined;
    const count = open.get(userId) ?? 0;
    if (count >= maxStreams) {
      return c.json(
        { error: { code: "too_many_streams", message: `At most ${maxStreams} live run views at once` } },
        429,
      );
    }
    open.set(userId, count + 1);
    c.header("cache-control", "no-cache");
    c.header("x-accel-buffering", "no");
    return streamSSE(c, async (sse) => {
      let aborted = false;
      sse.onAbort(() => {
        aborted = true;
      });
      const started = performance.now();
      let view: V | undefined = first;
      let sent = "";
      try {
        while (!aborted && !closed) {
          if (!view) {
            await sse.writeSSE({ event: "end", data: JSON.stringify({ status: "not_found" }) });
            break;
          }
          const text = JSON.stringify(view);
          if (text !== sent) {
            await sse.writeSSE({ event: "run", data: text });
            sent = text;
          }
          if (FINISHED.has(view.status)) {
            await sse.writeSSE({ event: "end", data: JSON.stringify({ status: view.status }) });
            break;
          }
          if (performance.now() - started > maxStreamMs) break;
          await (options.sleep ? options.sleep(pollMs) : sse.sleep(pollMs));
          // The service closing: its stores are about to close, nothing more is read (the browser reconnects).
          if (closed) break;
          try {
            view = await load();
          } catch {
            // A store that stopped answering ends the stream; the browser's EventSource tries again.
            break;
          }
        }
      } finally {
        const left = (open.get(userId) ?? 1) - 1;
        if (left > 0) open.set(userId, left);
        else open.delete(userId);
      }
    });
  }

  return {
    stream,
    close() {
      closed = true;
    },
  };
}

/** Live run views: `stream` answers one run's view to a user as server-sent events. */
export interface RunEventStreams {
  stream<V extends { status: string }>(
    c: Context,
    userId: string,
    load: () => Promise<V | undefined>,
  ): Promise<Response | undefined>;
  /** Ends every open stream before its next read (the service is closing its stores). */
  close(): void;
}

import { forwardAbort } from "../abort-forwarding";
import type { HeadersLike } from "../http-headers";
import { currentTaskSignal, noteTaskRequestSent } from "../runtime/run-io";

// Statuses whose responses cannot carry a body (the Response constructor refuses one).
const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);

/** How long a provider's request may take, body included, unless its options say otherwise. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;

/** The client options every provider takes besides its SDK's own: the request deadline and a custom fetch. */
export interface ProviderClientOptions {
  /** Per-request deadline in ms, body included; a request that takes longer fails as a `network` error. Default 30 000. */
  timeoutMs?: number | undefined;
  /** A custom fetch (a proxy agent, a recorder); the deadline still applies. Default: the global fetch. */
  fetch?: typeof fetch | undefined;
}

/** Options for `createDeadlineFetch`: a provider hands its client options' `timeoutMs` and `fetch` on as they are. */
export interface DeadlineFetchOptions extends ProviderClientOptions {
  /** Sees every answer's headers (the rate-limit bucket reads `x-ratelimit-*` here). */
  onHeaders?(headers: HeadersLike): void;
}

/**
 * The fetch a provider's SDK is given: one deadline for the whole request, the body read in full before
 * the SDK sees the response (an SDK that parses the body itself may turn a connection cut mid-body into
 * an empty answer; read here, the cut is a transport error), and a timer cleared as soon as the answer is
 * in. `AbortSignal.timeout()` is not used on purpose: its timer lives its whole duration, and a timer
 * keeps the async context it was created in (the run) alive until it fires, so a worker running thousands
 * of short runs would hold the last 30 seconds of them in memory.
 *
 * Called inside a task attempt, the request also follows the attempt's `signal` (a cancel of the run, the
 * task's `timeoutMs`), and tells the runtime it left, so a task timeout after it is an unknown outcome.
 */
export function createDeadlineFetch(options: DeadlineFetchOptions): typeof fetch {
  const baseFetch = options.fetch ?? globalThis.fetch;
  const timeoutMs = options.timeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  return async (input, init) => {
    const controller = new AbortController();
    const timer = setTimeout(
      () => controller.abort(new DOMException(`No answer within ${timeoutMs} ms`, "TimeoutError")),
      timeoutMs,
    );
    const unlink = forwardAbort(controller, [init?.signal, currentTaskSignal()]);
    try {
      noteTaskRequestSent();
      const response = await baseFetch(input, { ...init, signal: controller.signal });
      options.onHeaders?.(response.headers);
      const body = NULL_BODY_STATUSES.has(response.status) ? null : await response.arrayBuffer();
      const buffered = new Response(body, {
        status: response.status,
        statusText: response.statusText,
        headers: response.headers,
      });
      Object.defineProperty(buffered, "url", { value: response.url });
      return buffered;
    } finally {
      clearTimeout(timer);
      unlink();
    }
  };
}

import { forwardAbort } from "../abort-forwarding";
import type { HeadersLike } from "../http-headers";
import { currentTaskSignal, noteTaskRequestSent } from "../runtime/run-io";
import { NULL_BODY_STATUSES } from "./http-exchange";
import { nodeHttpFetch } from "./node-http-fetch";

/** How long a provider's request may take, body included, unless its options say otherwise. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;

/** The client options every provider takes besides its SDK's own: the request deadline and a custom fetch. */
export interface ProviderClientOptions {
  /** Per-request deadline in ms, body included; a request that takes longer fails as a `network` error. Default 30 000. */
  timeoutMs?: number | undefined;
  /**
   * A custom fetch (a proxy agent, a recorder); the deadline still applies. Default: a fetch on node:http(s)
   * (`nodeHttpFetch`), which behaves as the global one and keeps a worker's memory flat.
   */
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
  const baseFetch = options.fetch ?? nodeHttpFetch;
  const timeoutMs = options.timeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  return async (input, init) => {
    const controller = new AbortController();
    const timer = setTimeout(
      () => controller.abort(new DOMException(`No answer within ${timeoutMs} ms`, "TimeoutError")),
      timeoutMs,
    );
    // A Request's own signal counts unless `init` names another, as in fetch.
    const callerSignal =
      init?.signal !== undefined ? init.signal : input instanceof Request ? input.signal : null;
    const unlink = forwardAbort(controller, [callerSignal, currentTaskSignal()]);
    try {
      noteTaskRequestSent();
      const response = await baseFetch(input, { ...init, signal: controller.signal });
      options.onHeaders?.(response.headers);
      // `nodeHttpFetch` has read the body already; a custom fetch's is read here, under the deadline.
      if (baseFetch === nodeHttpFetch) return response;
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

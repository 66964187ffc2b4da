import { forwardAbort } from "../abort-forwarding";
import type { HeadersLike } from "../http-headers";
import { currentTaskSignal, noteTaskRequestSent } from "../runtime/run-io";
import { createNodeHttpFetch, fetchInputUrl } from "./node-http-fetch";
import { DEFAULT_MAX_RESPONSE_BYTES, readBoundedResponse } from "./response-limit";

/** How long a provider's request may take, body included, unless its options say otherwise. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;

/**
 * The client options every provider takes besides its SDK's own: the request deadline, the bound on an answer's
 * size and a custom fetch.
 */
export interface ProviderClientOptions {
  /** Per-request deadline in ms, body included; a request that takes longer fails as a `network` error. Default 30 000. */
  timeoutMs?: number | undefined;
  /**
   * The most bytes of one answer's body (decoded) the SDK is handed; a larger answer fails the task as a `schema`
   * error with `reason: "response_too_large"`, not retried. Default 64 MiB (`DEFAULT_MAX_RESPONSE_BYTES`); raise
   * it for a callback that downloads archives or attachments through the SDK.
   */
  maxResponseBytes?: number | undefined;
  /**
   * A custom fetch (a proxy agent, a recorder); the deadline still applies. Default: a fetch on node:http(s)
   * (`nodeHttpFetch`), which behaves as the global one and keeps a worker's memory flat.
   */
  fetch?: typeof fetch | undefined;
}

/** Options for `createDeadlineFetch`: a provider hands its client options on as they are. */
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
 * task's `timeoutMs`), and tells the runtime it left, so a task timeout after it is an unknown outcome. An
 * answer over `maxResponseBytes` fails with `ResponseTooLargeError`, which the kit's error mapper finds inside
 * whatever the SDK wraps it in.
 */
export function createDeadlineFetch(options: DeadlineFetchOptions): typeof fetch {
  const customFetch = options.fetch;
  const maxBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  const baseFetch = customFetch ?? createNodeHttpFetch({ maxResponseBytes: maxBytes });
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
      // The kit's own fetch has read (and bounded) the body; a custom fetch's is read here, under the deadline.
      return customFetch ? await readBoundedResponse(response, maxBytes, fetchInputUrl(input)) : response;
    } finally {
      clearTimeout(timer);
      unlink();
    }
  };
}

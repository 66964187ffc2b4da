/** Why an attempt failed: a failure answer, no answer within the timeout, or no connection at all. */
export type WebhookFailure = "http_error" | "http_timeout" | "connection_failed";

/** What one POST came to. */
export interface WebhookAnswer {
  /** `ok` for an answer the provider counts as delivered. */
  outcome: "ok" | WebhookFailure;
  /** The receiver's HTTP status, when an answer came in time. */
  status?: number;
  /** The answer's body text (its first {@link MAX_RESPONSE_BODY} characters), when an answer came in time. */
  responseBody?: string;
  /** Why no answer came (connection refused, timed out, not sent). */
  error?: string;
  /** Real time from the request to the answer: how long the receiver really took. */
  durationMs: number;
  /** The receiver asked not to be retried (the provider's "no retry" response header). */
  declined: boolean;
}

/** How much of an answer's body the log keeps, as providers' delivery logs do. */
export const MAX_RESPONSE_BODY = 2_000;

/** One POST of signed bytes, as a provider's delivery agent makes it. */
export interface WebhookPost {
  url: string;
  headers: Record<string, string>;
  body: string;
  timeoutMs: number;
  /** Aborts the request (the emulator is stopping). */
  signal: AbortSignal;
  /** Which answers count as failures. */
  isFailure: (status: number) => boolean;
  /** Whether an answer asks for no retry. */
  declined: (headers: Headers) => boolean;
}

/**
 * POSTs once and says what came of it, never throwing. Fire and forget, as providers do: the request
 * starts on a later turn, so the API answer that caused the event never waits for it.
 */
export async function postWebhook(post: WebhookPost): Promise<WebhookAnswer> {
  await new Promise((resolve) => setImmediate(resolve));
  if (!isLoopback(post.url)) {
    const error = "not sent: the emulator delivers to loopback addresses only";
    return { outcome: "connection_failed", error, durationMs: 0, declined: false };
  }
  // Real time, not the emulator clock: this measures how long the receiver really took.
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const timeout = AbortSignal.timeout(post.timeoutMs);
  try {
    const response = await fetch(post.url, {
      method: "POST",
      headers: post.headers,
      body: post.body,
      signal: AbortSignal.any([timeout, post.signal]),
    });
    const text = await response.text();
    return {
      outcome: post.isFailure(response.status) ? "http_error" : "ok",
      status: response.status,
      responseBody: text.slice(0, MAX_RESPONSE_BODY),
      durationMs: elapsed(),
      declined: post.declined(response.headers),
    };
  } catch (error) {
    return {
      outcome: timeout.aborted ? "http_timeout" : "connection_failed",
      error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
      durationMs: elapsed(),
      declined: false,
    };
  }
}

/** Tests must not reach the network: a URL elsewhere (`https://example.com/hook`) is logged, never called. */
function isLoopback(url: string): boolean {
  try {
    const { hostname } = new URL(url);
    return hostname === "localhost" || hostname === "[::1]" || /^127(\.\d{1,3}){3}$/.test(hostname);
  } catch {
    return false;
  }
}

import type { RetryOptions } from "@autoflow/core";

/** How the `http.request` step sends requests. */
export interface HttpActionOptions {
  /** A custom fetch (a proxy agent, a recorder). Default: the global fetch. */
  fetch?: typeof fetch;
  /** Per-request deadline in ms. Default 30 000. */
  timeoutMs?: number;
  /** Backoff for 5xx, 408, 429 and network failures. Default `retry.standardBackoff`. */
  retry?: RetryOptions;
}

/**
 * How actions and triggers reach each provider, by provider id: the provider class's own client options (base
 * URL, timeout), as its manifest's `clientOptions` builds them from the service's configuration (the emulators
 * in tests and the demo); `http` for the `http.request` fallback.
 */
export interface ActionProviders {
  [provider: string]: object | undefined;
  http?: HttpActionOptions;
}

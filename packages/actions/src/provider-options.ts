import type { RetryOptions } from "@autoflow/core";
import type { EgressLookup, EgressPolicy } from "./egress/index";

/** How the `http.request` step sends requests. */
export interface HttpActionOptions {
  /**
   * Where requests may go: by default nothing inside (loopback, private, link-local and metadata, CGNAT,
   * multicast, ...), at most 1 MiB read, 5 redirects each checked. The service reads `AUTOFLOW_EGRESS_*`.
   */
  egress?: EgressPolicy;
  /** The DNS lookup the egress check resolves with (tests answer a private address for a public name). */
  lookup?: EgressLookup;
  /** A custom fetch (a proxy agent, a recorder) instead of the checked agent: only URL checks apply then. */
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

import type { RetryOptions } from "@autoflow/core";
import type { GithubClientOptions } from "@autoflow/github";
import type { SlackClientOptions } from "@autoflow/slack";

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
 * How actions reach each provider, by provider slug: the provider packages' own client options
 * (point them at the emulators in tests and the demo). Later providers add their key here.
 */
export interface ActionProviders {
  slack?: SlackClientOptions;
  github?: GithubClientOptions;
  http?: HttpActionOptions;
}

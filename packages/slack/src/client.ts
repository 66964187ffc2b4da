import { createDeadlineFetch, type ProviderClientOptions } from "@autoflow/core";
import { LogLevel, WebClient, type WebClientOptions } from "@slack/web-api";

/** WebClient options the integration owns: the runtime alone retries, so these are fixed. */
type FixedClientOptions = "slackApiUrl" | "timeout" | "retryConfig" | "rejectRateLimitedCalls";

/** How the integration and the lifecycle build their WebClient. */
export interface SlackClientOptions extends Pick<ProviderClientOptions, "timeoutMs"> {
  /** The Web API base URL. Default `https://slack.com/api/` (point it at an emulator in tests). */
  slackApiUrl?: string;
  /** Any other WebClient option (`headers`, `teamId`, `logger`, `fetch`, ...). */
  clientOptions?: Omit<WebClientOptions, FixedClientOptions>;
}

/**
 * A WebClient with its own retries and rate-limit queueing off (it would otherwise retry for about
 * 30 minutes and hold the request queue on a 429), so the runtime owns every retry. The deadline is the
 * kit's fetch, not the SDK's `timeout` (an `AbortSignal.timeout()` per request, whose timer would keep each
 * finished run in memory until it fires). The SDK logs only errors by default; it never logs the token.
 */
export function createWebClient(token: string | undefined, options: SlackClientOptions = {}): WebClient {
  const { clientOptions = {} } = options;
  return new WebClient(token, {
    ...(clientOptions.logger === undefined && { logLevel: LogLevel.ERROR }),
    ...clientOptions,
    ...(options.slackApiUrl !== undefined && { slackApiUrl: options.slackApiUrl }),
    fetch: createDeadlineFetch({
      timeoutMs: options.timeoutMs,
      // The SDK types its fetch as a narrower function than the global one; any fetch it accepts is one.
      fetch: clientOptions.fetch as typeof fetch | undefined,
    }),
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
  });
}

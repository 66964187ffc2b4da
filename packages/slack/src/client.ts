import { createDeadlineFetch, type ProviderClientOptions } from "@autoflow/core";
import { LogLevel, WebClient, type WebClientOptions } from "@slack/web-api";

/** WebClient options the integration owns: the runtime alone retries, so these are fixed. */
type FixedClientOptions = "slackApiUrl" | "timeout" | "retryConfig" | "rejectRateLimitedCalls";

/** How the integration and the lifecycle build their WebClient. */
export interface SlackClientOptions extends Pick<ProviderClientOptions, "timeoutMs" | "maxResponseBytes"> {
  /** The Web API base URL. Default `https://slack.com/api/` (point it at an emulator in tests). */
  slackApiUrl?: string;
  /** Any other WebClient option (`headers`, `teamId`, `logger`, `fetch`, ...). */
  clientOptions?: Omit<WebClientOptions, FixedClientOptions>;
}

/**
 * A WebClient whose own retries and 429 queueing are off (they retry for ~30 min and hold the queue): the
 * runtime owns every retry. The deadline is the kit's fetch: the SDK's `timeout` is an
 * `AbortSignal.timeout()` per request, whose timer keeps each finished run in memory until it fires.
 */
export function createWebClient(token: string | undefined, options: SlackClientOptions = {}): WebClient {
  const { clientOptions = {} } = options;
  return new WebClient(token, {
    ...(clientOptions.logger === undefined && { logLevel: LogLevel.ERROR }),
    ...clientOptions,
    ...(options.slackApiUrl !== undefined && { slackApiUrl: options.slackApiUrl }),
    fetch: createDeadlineFetch({
      timeoutMs: options.timeoutMs,
      maxResponseBytes: options.maxResponseBytes,
      // The SDK types its fetch as a narrower function than the global one; any fetch it accepts is one.
      fetch: clientOptions.fetch as typeof fetch | undefined,
    }),
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
  });
}

import { createDeadlineFetch, type ProviderClientOptions } from "@autoflow/core";
import StripeSdk from "stripe";

/** Stripe's REST API. */
export const STRIPE_API_URL = "https://api.stripe.com";

/**
 * The API version every request and every webhook endpoint this package registers uses: the one the installed
 * `stripe` SDK is pinned to (its types describe exactly this version).
 */
export const STRIPE_API_VERSION: typeof StripeSdk.API_VERSION = StripeSdk.API_VERSION;

/** How the integration and the lifecycle build their Stripe client. */
export interface StripeClientOptions extends ProviderClientOptions {
  /** The API base URL. Default `https://api.stripe.com` (point it at an emulator in tests). */
  apiBaseUrl?: string;
  /** Act on a connected account (`Stripe-Account` on every request), as a Connect platform. */
  stripeAccount?: string;
}

/**
 * A `stripe` client on the SDK's pinned `apiVersion`, with its own retries off (`maxNetworkRetries: 0`; the SDK
 * would otherwise retry 409s, 5xx and lost connections itself) so the runtime owns every retry, and the kit's
 * deadline fetch as its HTTP client (one deadline per request, body included; the SDK's own timer is left at
 * its default as a backstop). Telemetry headers are off: they would send the previous request's id and
 * timing with every request.
 */
export function createStripeClient(token: string, options: StripeClientOptions = {}): StripeSdk {
  const base = new URL(options.apiBaseUrl ?? STRIPE_API_URL);
  const https = base.protocol === "https:";
  return new StripeSdk(token, {
    apiVersion: STRIPE_API_VERSION,
    maxNetworkRetries: 0,
    httpClient: StripeSdk.createFetchHttpClient(createDeadlineFetch(options)),
    host: base.hostname,
    port: base.port || (https ? "443" : "80"),
    protocol: https ? "https" : "http",
    telemetry: false,
    ...(options.stripeAccount !== undefined && { stripeAccount: options.stripeAccount }),
  });
}

import { createDeadlineFetch, type ProviderClientOptions } from "@autoflow/core";
import { gmail_v1 } from "@googleapis/gmail";

/** Gmail's REST API (`https://gmail.googleapis.com/gmail/v1/...`). */
export const GMAIL_API_URL = "https://gmail.googleapis.com";

/** How the integration and the lifecycle build their Gmail client. */
export interface GmailClientOptions extends ProviderClientOptions {
  /** The API root URL. Default `https://gmail.googleapis.com` (point it at an emulator in tests). */
  apiBaseUrl?: string;
}

/**
 * A `@googleapis/gmail` client that sends the OAuth access token as a Bearer header (no google-auth-library client:
 * the connection service refreshes tokens), with gaxios's own retries off (`retry: false`) so the runtime owns every
 * retry, and the kit's deadline fetch as gaxios's `fetchImplementation` (one deadline per request, body included).
 */
export function createGmailClient(token: string, options: GmailClientOptions = {}): gmail_v1.Gmail {
  const rootUrl = `${(options.apiBaseUrl ?? GMAIL_API_URL).replace(/\/+$/, "")}/`;
  return new gmail_v1.Gmail({
    rootUrl,
    retry: false,
    headers: { Authorization: `Bearer ${token}` },
    fetchImplementation: createDeadlineFetch({ timeoutMs: options.timeoutMs, fetch: options.fetch }),
  });
}

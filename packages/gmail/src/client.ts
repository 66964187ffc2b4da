import { createDeadlineFetch, type ProviderClientOptions } from "@autoflow/core";
import { gmail_v1 } from "@googleapis/gmail";
import { rememberSearchLag } from "./search-lag";

/** Gmail's REST API (`https://gmail.googleapis.com/gmail/v1/...`). */
export const GMAIL_API_URL = "https://gmail.googleapis.com";

/** How the integration and the lifecycle build their Gmail client. */
export interface GmailClientOptions extends ProviderClientOptions {
  /** The API root URL. Default `https://gmail.googleapis.com` (point it at an emulator in tests). */
  apiBaseUrl?: string;
  /**
   * How long Gmail's search index may lag a write, in ms (default 30 000). A reconciler that does not find a send
   * looks again once this long has passed since the attempt started before the send may be repeated; the new-message
   * trigger holds a message its query does not find yet until it is this old. Tests against an emulator shorten it.
   */
  searchIndexLagMs?: number;
}

/**
 * A `@googleapis/gmail` client that sends the OAuth access token as a Bearer header (no google-auth-library client:
 * the connection service refreshes tokens), with gaxios's own retries off (`retry: false`) so the runtime owns every
 * retry, and the kit's deadline fetch as gaxios's `fetchImplementation` (one deadline per request, body included).
 */
export function createGmailClient(token: string, options: GmailClientOptions = {}): gmail_v1.Gmail {
  const rootUrl = `${(options.apiBaseUrl ?? GMAIL_API_URL).replace(/\/+$/, "")}/`;
  const client = new gmail_v1.Gmail({
    rootUrl,
    retry: false,
    headers: { Authorization: `Bearer ${token}` },
    fetchImplementation: createDeadlineFetch(options),
  });
  rememberSearchLag(client, options.searchIndexLagMs);
  return client;
}

/**
 * How the connection service's HTTP contract tests drive one provider's emulator, whatever the provider:
 * where its API and OAuth pages are, its OAuth app, a token it accepts, and how to make it refuse.
 */
export interface ServiceHarness {
  start(): Promise<void>;
  stop(): Promise<void>;
  /** The API base URL and the browser-facing (OAuth) base URL the service is pointed at. */
  endpoints(): { apiUrl: string; webUrl: string };
  /** The OAuth app the emulator knows. */
  oauthClient(): { clientId: string; clientSecret: string };
  /** A token the emulator accepts and the OAuth app may revoke. */
  mintToken(): string;
  /** Revokes a token at the provider, as a user removing the app would. */
  revokeToken(token: string): Promise<void>;
  /** Every API call answers the provider's rate-limit response until `clearFaults`. */
  rateLimit(): void;
  clearFaults(): Promise<void>;
  /** Metadata every public connection made through this emulator must carry. */
  expectedMetadata: Record<string, unknown>;
  /**
   * For providers whose pasted credential is more than a token: the body `POST .../connections` takes for one
   * the emulator accepts (an API token with its account's email and its site). Absent for the others.
   */
  pastedCredential?(): { apiKey: string; email?: string; siteUrl?: string };
}

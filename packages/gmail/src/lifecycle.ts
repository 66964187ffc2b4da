import { createDeadlineFetch, type ProviderLifecycleFactory, providerLifecycle } from "@autoflow/core";
import { GMAIL_PROVIDER_DEFINITION, type GmailIntegrationOptions } from "./definition";
import { toGmailError } from "./errors";

/** How a Gmail connection was made: Google OAuth 2.0, or a pasted access token. */
export type GmailAuthMethod = "oauth2" | "access_token";

/** What a public Gmail connection shows besides the common fields (spec 003). */
export interface GmailConnectionMetadata {
  /** The scopes Google granted (`https://www.googleapis.com/auth/gmail.send`, ...). */
  scopes: string[];
  /** The mailbox's address, from `users.getProfile`. */
  emailAddress: string;
}

/** Google's OAuth 2.0 endpoints. */
export const GOOGLE_AUTHORIZE_URL = "https://accounts.google.com/o/oauth2/v2/auth";
export const GOOGLE_TOKEN_URL = "https://oauth2.googleapis.com/token";
export const GOOGLE_REVOKE_URL = "https://oauth2.googleapis.com/revoke";

/** The scopes asked for unless the OAuth client names its own: send, read, and change labels. */
export const GMAIL_DEFAULT_SCOPES = [
  "https://www.googleapis.com/auth/gmail.send",
  "https://www.googleapis.com/auth/gmail.readonly",
  "https://www.googleapis.com/auth/gmail.modify",
];

/**
 * The spec-003 lifecycle for Gmail over a connection store: Google OAuth 2.0 with PKCE, `access_type=offline` and
 * `prompt=consent` (so Google issues a refresh token, which the service refreshes single-flight), pasted access
 * tokens; `users.getProfile` to read and test a token and for health (`emailAddress`); Google's revoke endpoint
 * on disconnect. Takes the store, the Google OAuth client and the client options (`apiBaseUrl`, `timeoutMs`,
 * `fetch`); `oauthBaseUrl` points the OAuth endpoints at an emulator (`<base>/o/oauth2/v2/auth`, `<base>/token`,
 * `<base>/revoke`).
 */
export const createGmailLifecycle: ProviderLifecycleFactory<
  GmailIntegrationOptions,
  GmailAuthMethod,
  GmailConnectionMetadata,
  {
    /** Where Google's OAuth endpoints live (an emulator). Default Google's own hosts. */
    oauthBaseUrl?: string;
  }
> = providerLifecycle(GMAIL_PROVIDER_DEFINITION, {
  oauthAuthMethod: "oauth2",
  apiKeyAuthMethod: "access_token",
  apiKeyAuthType: "bearer_token",
  oauth: ({ oauthBaseUrl }) => ({
    authorizeUrl: oauthBaseUrl ? `${trim(oauthBaseUrl)}/o/oauth2/v2/auth` : GOOGLE_AUTHORIZE_URL,
    tokenUrl: oauthBaseUrl ? `${trim(oauthBaseUrl)}/token` : GOOGLE_TOKEN_URL,
    defaultScopes: GMAIL_DEFAULT_SCOPES,
    extraAuthorizeParams: { access_type: "offline", prompt: "consent", include_granted_scopes: "true" },
    // The token endpoint answers `{ error: "invalid_grant" }` and the like.
    errorCodeType: toGmailError.typeOfCode,
  }),
  async describe(gmail, credential) {
    const { data } = await gmail.users.getProfile({ userId: "me" });
    const scopes = credential.scopes ?? [];
    const emailAddress = data.emailAddress ?? "";
    return {
      metadata: { scopes, emailAddress },
      test: { emailAddress, historyId: data.historyId ?? undefined, scopes: scopes.join(" ") },
    };
  },
  async revoke(_gmail, credential, { options }) {
    const url = options.oauthBaseUrl ? `${trim(options.oauthBaseUrl)}/revoke` : GOOGLE_REVOKE_URL;
    const fetch = createDeadlineFetch(options);
    const token = credential.refreshToken ?? credential.accessToken;
    const response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ token }).toString(),
    });
    // 400 `invalid_token`: already revoked or expired, which is what disconnecting wants.
    if (!response.ok && response.status !== 400) {
      throw toGmailError(new Error(`Google revoke answered ${response.status}`));
    }
  },
});

function trim(url: string): string {
  return url.replace(/\/+$/, "");
}

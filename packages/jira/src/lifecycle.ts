import { IntegrationError, type ProviderLifecycleFactory, providerLifecycle } from "@autoflow/core";
import { ATLASSIAN_API_URL, apiError } from "./client";
import { JIRA_PROVIDER_DEFINITION, type JiraIntegrationOptions } from "./definition";
import { toJiraError } from "./errors";

/** How a Jira connection was made: Atlassian OAuth 2.0 (3LO), or an API token with its account's email and site. */
export type JiraAuthMethod = "oauth2" | "api_token";

/** What a public Jira connection shows besides the common fields (spec 003). */
export interface JiraConnectionMetadata {
  /** The site's cloud id (the tenant webhooks are checked against). */
  cloudId: string;
  /** The site, `https://your-domain.atlassian.net`. */
  siteUrl: string;
  /** The Atlassian account the connection acts as. */
  accountId: string;
  displayName: string;
  /** The scopes Atlassian granted (OAuth); empty for an API token, which acts with the account's permissions. */
  scopes: string[];
}

/** Atlassian's OAuth 2.0 (3LO) host. */
export const ATLASSIAN_AUTH_URL = "https://auth.atlassian.com";

/** The scopes asked for unless the OAuth client names its own: read and write issues, users, webhooks, refresh. */
export const JIRA_DEFAULT_SCOPES = [
  "read:jira-work",
  "write:jira-work",
  "read:jira-user",
  "manage:jira-webhook",
  "offline_access",
];

const trim = (url: string) => url.replace(/\/+$/, "");

/**
 * The spec-003 lifecycle for Jira Cloud: Atlassian OAuth 2.0 (3LO) with PKCE, `audience=api.atlassian.com`,
 * `prompt=consent` and `offline_access` (rotating refresh tokens: each refresh's new refresh token replaces the old
 * one atomically, in the kit), the site found through `accessible-resources`; or an API token with the account's
 * `email` and the `siteUrl`, the site's `cloudId` read from `<siteUrl>/_edge/tenant_info`. `myself` reads and tests a
 * token and answers health. Atlassian has no endpoint to revoke a 3LO grant or an API token: disconnecting forgets
 * it (the user revokes the app at id.atlassian.com). `oauthBaseUrl` and `apiBaseUrl` point Atlassian's hosts at an
 * emulator.
 */
export const createJiraLifecycle: ProviderLifecycleFactory<
  JiraIntegrationOptions,
  JiraAuthMethod,
  JiraConnectionMetadata,
  {
    /** Where Atlassian's OAuth endpoints live (an emulator). Default `https://auth.atlassian.com`. */
    oauthBaseUrl?: string;
  }
> = providerLifecycle(JIRA_PROVIDER_DEFINITION, {
  oauthAuthMethod: "oauth2",
  apiKeyAuthMethod: "api_token",
  apiKeyAuthType: "api_key",
  // An Atlassian API token is sent with its account's email (Basic auth), to the customer's own site.
  apiKeyFields: ["email", "siteUrl"],
  oauth: ({ oauthBaseUrl = ATLASSIAN_AUTH_URL }) => ({
    authorizeUrl: `${trim(oauthBaseUrl)}/authorize`,
    tokenUrl: `${trim(oauthBaseUrl)}/oauth/token`,
    defaultScopes: JIRA_DEFAULT_SCOPES,
    extraAuthorizeParams: { audience: "api.atlassian.com", prompt: "consent" },
    errorCodeType: toJiraError.typeOfCode,
  }),
  async connectionFields(credential, { fetch, options }) {
    const fields = credential.additionalFields ?? {};
    if (fields.email !== undefined) {
      // An API token for one site: its cloud id from the site itself.
      const siteUrl = fields.siteUrl ?? options.siteUrl;
      if (!siteUrl) {
        throw new IntegrationError({
          type: "schema",
          provider: "jira",
          code: "missing_site",
          message: "Jira: an API-token connection needs `siteUrl` (https://your-domain.atlassian.net)",
        });
      }
      const answer = await fetch(`${trim(siteUrl)}/_edge/tenant_info`, {
        headers: { Accept: "application/json" },
      });
      if (!answer.ok) throw toJiraError(apiError(answer, await answer.text()));
      const { cloudId } = (await answer.json()) as { cloudId?: string };
      return { siteUrl: trim(siteUrl), ...(cloudId && { cloudId }) };
    }
    // OAuth: the first site the grant reaches (an app asking for several sites would let the user pick).
    const answer = await fetch(
      `${trim(options.apiBaseUrl ?? ATLASSIAN_API_URL)}/oauth/token/accessible-resources`,
      {
        headers: { Accept: "application/json", Authorization: `Bearer ${credential.accessToken}` },
      },
    );
    if (!answer.ok) throw toJiraError(apiError(answer, await answer.text()));
    const [site] = (await answer.json()) as Array<{ id?: string; url?: string }>;
    if (!site?.id || !site.url) {
      throw new IntegrationError({
        type: "auth",
        provider: "jira",
        code: "no_site",
        message: "Jira: the grant reaches no Jira site (consent to a site when authorizing)",
      });
    }
    return { cloudId: site.id, siteUrl: trim(site.url) };
  },
  async describe(jira, credential) {
    const user = await jira.myself.getCurrentUser();
    const fields = credential.additionalFields ?? {};
    const metadata: JiraConnectionMetadata = {
      cloudId: fields.cloudId ?? "",
      siteUrl: fields.siteUrl ?? "",
      accountId: user.accountId ?? "",
      displayName: user.displayName ?? "",
      scopes: credential.scopes ?? [],
    };
    return {
      metadata,
      test: {
        accountId: metadata.accountId,
        displayName: metadata.displayName,
        cloudId: metadata.cloudId,
        siteUrl: metadata.siteUrl,
      },
    };
  },
});

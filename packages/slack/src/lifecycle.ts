import { type ProviderLifecycleFactory, providerLifecycle } from "@autoflow/core";
import { SLACK_PROVIDER_DEFINITION, type SlackIntegrationOptions } from "./definition";
import { toSlackError } from "./errors";

/** How a Slack connection was made: the OAuth v2 install flow, or a pasted bot/user token. */
export type SlackAuthMethod = "oauth2" | "bot_token";

/** The account data a Slack connection carries (spec 003: `{ scopes, teamId, teamName? }`). */
export interface SlackConnectionMetadata {
  scopes: string[];
  teamId: string;
  teamName?: string;
}

export const SLACK_AUTHORIZE_URL = "https://slack.com/oauth/v2/authorize";

const SLACK_API_URL = "https://slack.com/api/";

/** The bot scopes an install asks for unless the OAuth client names its own. */
export const SLACK_DEFAULT_SCOPES = [
  "chat:write",
  "channels:read",
  "channels:history",
  "users:read",
  "reactions:write",
];

/** Slack's connection lifecycle: OAuth v2 with PKCE; `auth.test` reads a token, `auth.revoke` revokes it. */
export const createSlackLifecycle: ProviderLifecycleFactory<
  SlackIntegrationOptions,
  SlackAuthMethod,
  SlackConnectionMetadata,
  {
    /** Where the user is sent to install the app. Default `https://slack.com/oauth/v2/authorize`. */
    authorizeUrl?: string;
  }
> = providerLifecycle(SLACK_PROVIDER_DEFINITION, {
  oauthAuthMethod: "oauth2",
  apiKeyAuthMethod: "bot_token",
  oauth: ({ authorizeUrl, slackApiUrl = SLACK_API_URL }) => ({
    authorizeUrl: authorizeUrl ?? SLACK_AUTHORIZE_URL,
    // `oauth.v2.access` does both grants: the code exchange, and refresh when token rotation is on.
    tokenUrl: `${slackApiUrl.endsWith("/") ? slackApiUrl : `${slackApiUrl}/`}oauth.v2.access`,
    defaultScopes: SLACK_DEFAULT_SCOPES,
    scopeSeparator: ",",
    // Slack fails with HTTP 200 `{ ok: false, error }`: its codes go through the Web API's own table
    // (a 429 or 5xx keeps the standard reading, which takes `retryAt` from Retry-After).
    errorCodeType: toSlackError.typeOfCode,
  }),
  async describe(client, credential) {
    const result = await client.auth.test();
    const teamId = result.team_id ?? "";
    const teamName = result.team;
    return {
      metadata: {
        // Slack sends the token's scopes in the x-oauth-scopes header; the SDK puts them here.
        scopes: result.response_metadata?.scopes ?? credential.scopes ?? [],
        teamId,
        ...(teamName !== undefined && { teamName }),
      },
      test: { teamId, teamName, userId: result.user_id, botId: result.bot_id, url: result.url },
    };
  },
  async revoke(client) {
    await client.auth.revoke();
  },
});

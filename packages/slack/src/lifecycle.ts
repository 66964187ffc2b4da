import {
  type Clock,
  type ConnectorLifecycle,
  type ConnectorLifecycleOptions,
  createOAuth2,
  defineProviderLifecycle,
  IntegrationError,
  type ProviderAdapter,
  systemClock,
} from "@autoflow/core";
import { createWebClient } from "./client";
import { platformErrorType, toSlackError } from "./errors";

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

export interface SlackAdapterOptions {
  /** The Web API base URL. Default `https://slack.com/api/`. */
  slackApiUrl?: string;
  /** Where the user is sent to install the app. Default `https://slack.com/oauth/v2/authorize`. */
  authorizeUrl?: string;
  timeoutMs?: number;
  clock?: Clock;
}

/** The Slack provider adapter for core's ConnectorLifecycle: OAuth v2 with PKCE, `auth.test`, `auth.revoke`. */
export function slackAdapter(
  options: SlackAdapterOptions = {},
): ProviderAdapter<SlackAuthMethod, SlackConnectionMetadata> {
  const clock = options.clock ?? systemClock;
  const client = (token?: string) =>
    createWebClient(token, {
      ...(options.slackApiUrl !== undefined && { slackApiUrl: options.slackApiUrl }),
      ...(options.timeoutMs !== undefined && { timeoutMs: options.timeoutMs }),
    });
  const apiUrl = options.slackApiUrl ?? SLACK_API_URL;

  return {
    provider: "slack",
    oauthAuthMethod: "oauth2",
    apiKeyAuthMethod: "bot_token",
    oauth: createOAuth2({
      provider: "slack",
      authorizeUrl: options.authorizeUrl ?? SLACK_AUTHORIZE_URL,
      // `oauth.v2.access` does both grants: the code exchange, and refresh when token rotation is on.
      tokenUrl: `${apiUrl.endsWith("/") ? apiUrl : `${apiUrl}/`}oauth.v2.access`,
      defaultScopes: SLACK_DEFAULT_SCOPES,
      scopeSeparator: ",",
      clock,
      ...(options.timeoutMs !== undefined && { timeoutMs: options.timeoutMs }),
      // Slack fails with HTTP 200 `{ ok: false, error }`: its codes go through the Web API's own table.
      // A 429 or 5xx keeps the standard reading, which takes `retryAt` from Retry-After.
      toError: ({ error, status }) =>
        error === undefined || status === 429 || status >= 500
          ? undefined
          : new IntegrationError({
              type: platformErrorType(error),
              provider: "slack",
              status,
              code: error,
              message: `Slack OAuth error: ${error}`,
            }),
    }),
    async describe(credential) {
      const result = await client(credential.accessToken).auth.test();
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
    async revoke(credential) {
      await client(credential.accessToken).auth.revoke();
    },
    toIntegrationError: (error) => toSlackError(error, clock.now()),
  };
}

/** Options for `createSlackLifecycle`: the store and the Slack app (`oauthClient`, for OAuth) beside the adapter's. */
export interface SlackLifecycleOptions extends ConnectorLifecycleOptions, SlackAdapterOptions {}

/** The spec-003 connection lifecycle for Slack over core's ConnectorLifecycle. */
export const createSlackLifecycle: (
  options: SlackLifecycleOptions,
) => ConnectorLifecycle<SlackAuthMethod, SlackConnectionMetadata> = defineProviderLifecycle(slackAdapter);

import {
  type Clock,
  type ConnectionStore,
  ConnectorLifecycle,
  type OAuthClientConfig,
  type ProviderAdapter,
  type ProviderCredential,
  systemClock,
} from "@autoflow/core";
import type { OAuthV2AccessArguments, OauthV2AccessResponse } from "@slack/web-api";
import { createWebClient } from "./client";
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

function toCredential(response: OauthV2AccessResponse, now: number): ProviderCredential {
  if (!response.access_token) throw new Error("oauth.v2.access returned no access_token");
  return {
    accessToken: response.access_token,
    ...(response.refresh_token && { refreshToken: response.refresh_token }),
    ...(response.expires_in !== undefined && {
      expiresAt: new Date(now + response.expires_in * 1000).toISOString(),
    }),
    scopes: (response.scope ?? "").split(",").filter(Boolean),
  };
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
  const access = async (args: OAuthV2AccessArguments & { code_verifier?: string }) =>
    toCredential(await client().oauth.v2.access(args), clock.now());

  return {
    provider: "slack",
    oauthAuthMethod: "oauth2",
    apiKeyAuthMethod: "bot_token",
    oauth: {
      pkce: true,
      defaultScopes: SLACK_DEFAULT_SCOPES,
      authorizeUrl({ client: app, state, scopes, codeChallenge }) {
        const url = new URL(options.authorizeUrl ?? SLACK_AUTHORIZE_URL);
        url.searchParams.set("client_id", app.clientId);
        url.searchParams.set("scope", scopes.join(","));
        url.searchParams.set("redirect_uri", app.redirectUri);
        url.searchParams.set("state", state);
        if (codeChallenge) {
          url.searchParams.set("code_challenge", codeChallenge);
          url.searchParams.set("code_challenge_method", "S256");
        }
        return url.toString();
      },
      exchangeCode: ({ client: app, code, codeVerifier }) =>
        access({
          client_id: app.clientId,
          client_secret: app.clientSecret,
          code,
          redirect_uri: app.redirectUri,
          ...(codeVerifier && { code_verifier: codeVerifier }),
        }),
      refresh: ({ client: app, refreshToken }) =>
        access({
          client_id: app.clientId,
          client_secret: app.clientSecret,
          grant_type: "refresh_token",
          refresh_token: refreshToken,
        }),
    },
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

/** Options for `createSlackLifecycle`. */
export interface SlackLifecycleOptions extends SlackAdapterOptions {
  store: ConnectionStore;
  /** The Slack app; required for `beginOAuth`/`completeOAuth`. */
  oauthClient?: OAuthClientConfig;
}

/** The spec-003 connection lifecycle for Slack over core's ConnectorLifecycle. */
export function createSlackLifecycle(
  options: SlackLifecycleOptions,
): ConnectorLifecycle<SlackAuthMethod, SlackConnectionMetadata> {
  const { store, oauthClient, clock, ...adapter } = options;
  return new ConnectorLifecycle(slackAdapter({ ...adapter, ...(clock && { clock }) }), {
    store,
    ...(oauthClient && { oauthClient }),
    ...(clock && { clock }),
  });
}

import {
  type Clock,
  type ConnectionStore,
  ConnectorLifecycle,
  type OAuthClientConfig,
  type ProviderAdapter,
  type ProviderCredential,
} from "@autoflow/core";
import { deleteToken, exchangeWebFlowCode, getWebFlowAuthorizationUrl } from "@octokit/oauth-methods";
import { createOctokit, GITHUB_API_URL, type GithubClientOptions } from "./client";
import { GITHUB_PROVIDER, toGithubError } from "./errors";
import { webUrlFor } from "./transport";

/** How a GitHub connection was made: the OAuth web flow, or a pasted personal access token. */
export type GithubAuthMethod = "oauth2" | "personal_token";

/** What a public GitHub connection shows besides the common fields (spec 003). */
export type GithubConnectionMetadata = {
  /** From `x-oauth-scopes`; fine-grained tokens send none, and then the scopes granted at OAuth time. */
  scopes: string[];
  login: string;
  /** The account's numeric id, as a string. */
  accountId: string;
};

/** Scopes asked for when the OAuth client names none. */
export const GITHUB_DEFAULT_SCOPES = ["repo", "read:user"];

export interface GithubLifecycleOptions extends GithubClientOptions {
  store: ConnectionStore;
  oauthClient?: OAuthClientConfig;
  /** The OAuth host (authorize and token endpoints). Default: derived from `baseUrl` (`github.com`, or the GHES host). */
  webBaseUrl?: string;
  clock?: Clock;
  stateTtlSeconds?: number;
  healthCacheSeconds?: number;
}

/**
 * GitHub's side of the shared connection lifecycle: the OAuth web flow through `@octokit/oauth-methods`
 * (with PKCE S256), `GET /user` to read and test a token, and `DELETE /applications/:client_id/token` to
 * revoke one. A personal access token cannot be revoked through the API: disconnecting one only forgets it.
 */
export function createGithubAdapter(
  options: GithubClientOptions & { webBaseUrl?: string } = {},
): ProviderAdapter<GithubAuthMethod, GithubConnectionMetadata> {
  const api = () => createOctokit(undefined, options).request;
  // oauth-methods derives the OAuth host from the request's base URL (`/api/v3` stripped, api.github.com -> github.com).
  const web = () =>
    createOctokit(undefined, {
      ...options,
      baseUrl: options.webBaseUrl ?? webUrlFor(options.baseUrl ?? GITHUB_API_URL),
    }).request;

  return {
    provider: GITHUB_PROVIDER,
    oauthAuthMethod: "oauth2",
    apiKeyAuthMethod: "personal_token",
    oauth: {
      pkce: true,
      defaultScopes: GITHUB_DEFAULT_SCOPES,
      authorizeUrl({ client, state, scopes, codeChallenge }) {
        const { url } = getWebFlowAuthorizationUrl({
          clientType: "oauth-app",
          clientId: client.clientId,
          redirectUrl: client.redirectUri,
          scopes,
          state,
          request: web(),
        });
        if (!codeChallenge) return url;
        // oauth-methods predates GitHub's PKCE support: the challenge is added to its URL here.
        const withChallenge = new URL(url);
        withChallenge.searchParams.set("code_challenge", codeChallenge);
        withChallenge.searchParams.set("code_challenge_method", "S256");
        return withChallenge.toString();
      },
      async exchangeCode({ client, code, codeVerifier }): Promise<ProviderCredential> {
        const request = web();
        const { data } = await exchangeWebFlowCode({
          clientType: "oauth-app",
          clientId: client.clientId,
          clientSecret: client.clientSecret,
          code,
          redirectUrl: client.redirectUri,
          // The verifier rides along as an extra body parameter: exchangeWebFlowCode has no option for it.
          request: codeVerifier ? request.defaults({ code_verifier: codeVerifier }) : request,
        });
        // GitHub separates the granted scopes with commas, where oauth-methods splits on spaces.
        const scopes = data.scope.split(/[\s,]+/).filter(Boolean);
        return { accessToken: data.access_token, scopes };
      },
    },
    async describe(credential) {
      const { data, headers } = await createOctokit(
        credential.accessToken,
        options,
      ).rest.users.getAuthenticated();
      const header = headers["x-oauth-scopes"];
      const scopes =
        typeof header === "string" ? header.split(/[\s,]+/).filter(Boolean) : (credential.scopes ?? []);
      return {
        metadata: { scopes, login: data.login, accountId: String(data.id) },
        test: { login: data.login, accountId: String(data.id), scopes: scopes.join(",") },
      };
    },
    async revoke(credential, client) {
      if (!client) return;
      try {
        await deleteToken({
          clientType: "oauth-app",
          clientId: client.clientId,
          clientSecret: client.clientSecret,
          token: credential.accessToken,
          request: api(),
        });
      } catch (error) {
        // 404: not a token this OAuth app issued (a personal access token), which only its owner can revoke.
        if (toGithubError(error).status === 404) return;
        throw error;
      }
    },
    toIntegrationError: (error) => toGithubError(error),
  };
}

/** The spec-003 lifecycle for GitHub over a connection store: OAuth, tokens, tests, health, disconnect. */
export function createGithubLifecycle(
  options: GithubLifecycleOptions,
): ConnectorLifecycle<GithubAuthMethod, GithubConnectionMetadata> {
  const { store, oauthClient, clock, stateTtlSeconds, healthCacheSeconds, ...client } = options;
  return new ConnectorLifecycle(createGithubAdapter(client), {
    store,
    ...(oauthClient !== undefined && { oauthClient }),
    ...(clock !== undefined && { clock }),
    ...(stateTtlSeconds !== undefined && { stateTtlSeconds }),
    ...(healthCacheSeconds !== undefined && { healthCacheSeconds }),
  });
}

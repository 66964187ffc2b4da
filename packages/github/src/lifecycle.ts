import {
  type Clock,
  type ConnectorLifecycle,
  type ConnectorLifecycleOptions,
  createOAuth2,
  defineProviderLifecycle,
  type ProviderAdapter,
} from "@autoflow/core";
import { deleteToken } from "@octokit/oauth-methods";
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

/** What the GitHub adapter needs: how to reach the API, and the OAuth host. */
export interface GithubAdapterOptions extends GithubClientOptions {
  /** The OAuth host (authorize and token endpoints). Default: derived from `baseUrl` (`github.com`, or the GHES host). */
  webBaseUrl?: string;
  /** Dates `expiresAt` of expiring user tokens (GitHub Apps). */
  clock?: Clock;
}

/** Options for `createGithubLifecycle`: the store and the OAuth app (`oauthClient`) beside the adapter's. */
export interface GithubLifecycleOptions extends ConnectorLifecycleOptions, GithubAdapterOptions {}

/**
 * GitHub's side of the shared connection lifecycle: the OAuth web flow through core's `createOAuth2`
 * (with PKCE S256), `GET /user` to read and test a token, and `DELETE /applications/:client_id/token`
 * (through `@octokit/oauth-methods`) to revoke one. A personal access token cannot be revoked through
 * the API: disconnecting one only forgets it.
 */
export function createGithubAdapter(
  options: GithubAdapterOptions = {},
): ProviderAdapter<GithubAuthMethod, GithubConnectionMetadata> {
  const { webBaseUrl, clock, ...clientOptions } = options;
  const api = () => createOctokit(undefined, clientOptions).request;
  const web = (webBaseUrl ?? webUrlFor(clientOptions.baseUrl ?? GITHUB_API_URL)).replace(/\/+$/, "");

  return {
    provider: GITHUB_PROVIDER,
    oauthAuthMethod: "oauth2",
    apiKeyAuthMethod: "personal_token",
    // The token endpoint answers form-encoded unless asked for JSON (createOAuth2 always asks), fails
    // with HTTP 200 `{ error }`, and separates the granted scopes with commas.
    oauth: createOAuth2({
      provider: GITHUB_PROVIDER,
      authorizeUrl: `${web}/login/oauth/authorize`,
      tokenUrl: `${web}/login/oauth/access_token`,
      defaultScopes: GITHUB_DEFAULT_SCOPES,
      scopeSeparator: ",",
      ...(clientOptions.fetch !== undefined && { fetch: clientOptions.fetch }),
      ...(clientOptions.timeoutMs !== undefined && { timeoutMs: clientOptions.timeoutMs }),
      ...(clock !== undefined && { clock }),
    }),
    async describe(credential) {
      const { data, headers } = await createOctokit(
        credential.accessToken,
        clientOptions,
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
export const createGithubLifecycle: (
  options: GithubLifecycleOptions,
) => ConnectorLifecycle<GithubAuthMethod, GithubConnectionMetadata> =
  defineProviderLifecycle(createGithubAdapter);

import { type ProviderLifecycleFactory, providerLifecycle } from "@autoflow/core";
import { deleteToken } from "@octokit/oauth-methods";
import { createOctokit, webUrlFor } from "./client";
import { GITHUB_PROVIDER_DEFINITION, type GithubIntegrationOptions } from "./definition";
import { toGithubError } from "./errors";

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

/**
 * GitHub's connection lifecycle: the OAuth web flow with PKCE; `GET /user` reads a token, the OAuth app's
 * `DELETE /applications/:client_id/token` revokes it (a personal access token is only forgotten).
 */
export const createGithubLifecycle: ProviderLifecycleFactory<
  GithubIntegrationOptions,
  GithubAuthMethod,
  GithubConnectionMetadata,
  {
    /** The OAuth host (authorize and token endpoints). Default: derived from `baseUrl` (`github.com`, or the GHES host). */
    webBaseUrl?: string;
  }
> = providerLifecycle(GITHUB_PROVIDER_DEFINITION, {
  oauthAuthMethod: "oauth2",
  apiKeyAuthMethod: "personal_token",
  // The token endpoint answers form-encoded unless asked for JSON (createOAuth2 always asks), fails
  // with HTTP 200 `{ error }`, and separates the granted scopes with commas.
  oauth: ({ webBaseUrl, baseUrl }) => {
    const web = (webBaseUrl ?? webUrlFor(baseUrl)).replace(/\/+$/, "");
    return {
      authorizeUrl: `${web}/login/oauth/authorize`,
      tokenUrl: `${web}/login/oauth/access_token`,
      defaultScopes: GITHUB_DEFAULT_SCOPES,
      scopeSeparator: ",",
    };
  },
  async describe(octokit, credential) {
    const { data, headers } = await octokit.rest.users.getAuthenticated();
    const header = headers["x-oauth-scopes"];
    const scopes =
      typeof header === "string" ? header.split(/[\s,]+/).filter(Boolean) : (credential.scopes ?? []);
    return {
      metadata: { scopes, login: data.login, accountId: String(data.id) },
      test: { login: data.login, accountId: String(data.id), scopes: scopes.join(",") },
    };
  },
  async revoke(_octokit, credential, { oauthClient, options }) {
    if (!oauthClient) return;
    try {
      await deleteToken({
        clientType: "oauth-app",
        clientId: oauthClient.clientId,
        clientSecret: oauthClient.clientSecret,
        token: credential.accessToken,
        // Unauthenticated: the app's basic auth is the request's, which a token's auth hook would replace.
        request: createOctokit(undefined, options).request,
      });
    } catch (error) {
      // 404: not a token this OAuth app issued (a personal access token), which only its owner can revoke.
      if (toGithubError(error).status === 404) return;
      throw error;
    }
  },
});

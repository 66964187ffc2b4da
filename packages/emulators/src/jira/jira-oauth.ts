import type { OAuthAuthority, OAuthFailure, TokenInfo } from "../shared/oauth-authority";
import { isOAuthFailure } from "../shared/oauth-authority";
import type { EmulatorRequest, EmulatorResponse, RouteHandler } from "../shared/types";
import { refreshKeepingAccessToken } from "./jira-token-rotation";

/** Who an Atlassian OAuth token acts for. */
export interface JiraSubject {
  accountId: string;
}

/** The scope that makes Atlassian answer a refresh token with the access token. */
export const OFFLINE_ACCESS = "offline_access";

function oauthError(status: number, error: string, description: string): EmulatorResponse {
  return { status, body: { error, error_description: description } };
}

/** The token request's fields: Atlassian takes JSON (what jira.js sends) or a form. */
function fieldsOf(request: EmulatorRequest): Record<string, string> {
  const body = request.body;
  if (body && typeof body === "object" && !Array.isArray(body)) {
    return Object.fromEntries(Object.entries(body).map(([k, v]) => [k, String(v)]));
  }
  return {};
}

/**
 * Atlassian's OAuth 2.0 (3LO) endpoints, as `auth.atlassian.com` and `api.atlassian.com` serve them:
 * `GET /authorize` (consents at once as `consentAccount()` and redirects with `code` and `state`; PKCE S256),
 * `POST /oauth/token` (`authorization_code` and `refresh_token`, JSON or form; every refresh answers a new refresh
 * token and the old one stops working, reuse is `403 invalid_grant`; the replaced access token lives on until it expires), and `GET /oauth/token/accessible-resources`
 * (the one site the emulator is).
 * @see https://developer.atlassian.com/cloud/jira/platform/oauth-2-3lo-apps/
 */
export function registerAtlassianOAuthRoutes(options: {
  keys: OAuthAuthority<JiraSubject>;
  route: (method: string, path: string, handler: RouteHandler) => void;
  consentAccount: () => string;
  /** Seconds an access token lives. */
  expiresIn: number;
  site: () => { cloudId: string; url: string; name: string };
}): void {
  const { keys } = options;

  options.route("GET", "/authorize", (request) => {
    const q = request.query;
    const redirectUri = q.get("redirect_uri");
    if (!redirectUri) return oauthError(400, "invalid_request", "redirect_uri is required");
    if (q.get("audience") !== "api.atlassian.com") {
      return oauthError(400, "invalid_request", "audience must be api.atlassian.com");
    }
    if (q.get("response_type") !== "code") {
      return oauthError(400, "unsupported_response_type", "response_type must be code");
    }
    const scopes = (q.get("scope") ?? "").split(/\s+/).filter(Boolean);
    if (scopes.length === 0) return oauthError(400, "invalid_scope", "scope is required");
    const result = keys.authorize({
      clientId: q.get("client_id") ?? "",
      redirectUri,
      scopes,
      subject: { accountId: options.consentAccount() },
      codeChallenge: q.get("code_challenge") ?? undefined,
      codeChallengeMethod: q.get("code_challenge_method") ?? undefined,
    });
    const redirect = new URL(redirectUri);
    if (isOAuthFailure(result)) {
      redirect.searchParams.set(
        "error",
        result.error === "invalid_client" ? "unauthorized_client" : "invalid_request",
      );
      redirect.searchParams.set("error_description", result.description);
    } else redirect.searchParams.set("code", result.code);
    const state = q.get("state");
    if (state) redirect.searchParams.set("state", state);
    return { status: 302, headers: { location: redirect.toString() } };
  });

  options.route("POST", "/oauth/token", (request) => {
    const body = fieldsOf(request);
    const grant = body.grant_type;
    const answer: TokenInfo<JiraSubject> | OAuthFailure | undefined =
      grant === "authorization_code"
        ? keys.exchangeCode({
            code: body.code ?? "",
            clientId: body.client_id ?? "",
            clientSecret: body.client_secret,
            redirectUri: body.redirect_uri,
            codeVerifier: body.code_verifier,
          })
        : grant === "refresh_token"
          ? refreshKeepingAccessToken(keys, {
              refreshToken: body.refresh_token ?? "",
              clientId: body.client_id ?? "",
              clientSecret: body.client_secret,
            })
          : undefined;
    if (!answer) return oauthError(400, "unsupported_grant_type", `Unsupported grant type: ${grant ?? ""}`);
    if (isOAuthFailure(answer)) {
      if (answer.error === "invalid_client") return oauthError(401, "access_denied", "Unauthorized");
      // Atlassian answers a used, revoked or unknown refresh token (or code) with 403.
      return oauthError(
        403,
        answer.error,
        grant === "refresh_token" ? "Unknown or invalid refresh token." : "Invalid authorization code",
      );
    }
    const offline = answer.scopes.includes(OFFLINE_ACCESS);
    return {
      status: 200,
      body: {
        access_token: answer.accessToken,
        expires_in: options.expiresIn,
        token_type: "Bearer",
        ...(offline && answer.refreshToken !== undefined && { refresh_token: answer.refreshToken }),
        scope: answer.scopes.join(" "),
      },
    };
  });

  options.route("GET", "/oauth/token/accessible-resources", (request) => {
    const info = keys.lookup(request.bearer);
    if (!info) return { status: 401, body: { code: 401, message: "Unauthorized" } };
    const site = options.site();
    return {
      status: 200,
      body: [
        {
          id: site.cloudId,
          url: site.url,
          name: site.name,
          scopes: info.scopes.filter((s) => s !== OFFLINE_ACCESS),
          avatarUrl: "https://site-admin-avatar-cdn.prod.public.atl-paas.net/avatars/240/rocket.png",
        },
      ],
    };
  });
}

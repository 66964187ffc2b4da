import type { OAuthAuthority } from "../shared/oauth-authority";
import { isOAuthFailure } from "../shared/oauth-authority";
import type { EmulatorRequest, EmulatorResponse, RouteHandler } from "../shared/types";

/** Who a Google token acts for: the mailbox's address. */
export interface GmailSubject {
  emailAddress: string;
}

function oauthError(status: number, error: string, description: string): EmulatorResponse {
  return { status, body: { error, error_description: description } };
}

function form(request: EmulatorRequest): URLSearchParams {
  return new URLSearchParams(request.rawBody.toString("utf8"));
}

/** Client credentials from the form (`client_secret_post`) or HTTP Basic (`client_secret_basic`). */
function clientOf(request: EmulatorRequest, body: URLSearchParams): { id: string; secret?: string } {
  const basic = /^Basic\s+(.+)$/i.exec(String(request.headers.authorization ?? ""));
  if (basic?.[1]) {
    const [id = "", secret] = Buffer.from(basic[1], "base64").toString().split(":");
    return {
      id: decodeURIComponent(id),
      ...(secret !== undefined && { secret: decodeURIComponent(secret) }),
    };
  }
  const secret = body.get("client_secret") ?? undefined;
  return { id: body.get("client_id") ?? "", ...(secret !== undefined && { secret }) };
}

/**
 * Google's OAuth 2.0 endpoints as `accounts.google.com` and `oauth2.googleapis.com` serve them:
 * `/o/oauth2/v2/auth` (consents at once as `defaultAccount()` and redirects with `code`, `scope` and `state`; PKCE
 * S256), `/token` (the `authorization_code` and `refresh_token` grants; answers `access_token`, `expires_in`,
 * `refresh_token` when `access_type=offline`, `scope`, `token_type`) and `/revoke` (an access or refresh token).
 * @see https://developers.google.com/identity/protocols/oauth2/web-server
 */
export function registerGoogleOAuthRoutes(options: {
  keys: OAuthAuthority<GmailSubject>;
  route: (method: string, path: string, handler: RouteHandler) => void;
  defaultAccount: () => string;
  /** Seconds an access token lives. */
  expiresIn: number;
  /** Refresh tokens by their access token's subject, for `/revoke` given a refresh token. */
  revokeRefresh: (token: string) => boolean;
}): void {
  const { keys } = options;
  const offline = new Set<string>();

  options.route("GET", "/o/oauth2/v2/auth", (request) => {
    const q = request.query;
    const redirectUri = q.get("redirect_uri");
    if (!redirectUri) return oauthError(400, "invalid_request", "Missing required parameter: redirect_uri");
    if (q.get("response_type") !== "code") {
      return oauthError(400, "unsupported_response_type", "response_type must be code");
    }
    const scopes = (q.get("scope") ?? "").split(/\s+/).filter(Boolean);
    if (scopes.length === 0) return oauthError(400, "invalid_request", "Missing required parameter: scope");
    const result = keys.authorize({
      clientId: q.get("client_id") ?? "",
      redirectUri,
      scopes,
      subject: { emailAddress: q.get("login_hint") ?? options.defaultAccount() },
      codeChallenge: q.get("code_challenge") ?? undefined,
      codeChallengeMethod: q.get("code_challenge_method") ?? undefined,
    });
    const redirect = new URL(redirectUri);
    if (isOAuthFailure(result)) {
      redirect.searchParams.set(
        "error",
        result.error === "invalid_client" ? "invalid_client" : "invalid_request",
      );
    } else {
      if (q.get("access_type") === "offline") offline.add(result.code);
      redirect.searchParams.set("code", result.code);
      redirect.searchParams.set("scope", scopes.join(" "));
    }
    const state = q.get("state");
    if (state) redirect.searchParams.set("state", state);
    return { status: 302, headers: { location: redirect.toString() } };
  });

  options.route("POST", "/token", (request) => {
    const body = form(request);
    const client = clientOf(request, body);
    const grant = body.get("grant_type");
    const answer =
      grant === "authorization_code"
        ? keys.exchangeCode({
            code: body.get("code") ?? "",
            clientId: client.id,
            clientSecret: client.secret,
            redirectUri: body.get("redirect_uri") ?? undefined,
            codeVerifier: body.get("code_verifier") ?? undefined,
          })
        : grant === "refresh_token"
          ? keys.refresh({
              refreshToken: body.get("refresh_token") ?? "",
              clientId: client.id,
              clientSecret: client.secret,
            })
          : undefined;
    if (!answer) return oauthError(400, "unsupported_grant_type", `Invalid grant_type: ${grant ?? ""}`);
    if (isOAuthFailure(answer)) {
      return answer.error === "invalid_client"
        ? oauthError(401, "invalid_client", "Unauthorized")
        : oauthError(
            400,
            answer.error,
            answer.error === "invalid_grant" ? "Bad Request" : answer.description,
          );
    }
    // Google sends a refresh token on the first exchange of an offline consent only.
    const withRefresh = grant === "refresh_token" || offline.delete(body.get("code") ?? "");
    return {
      status: 200,
      body: {
        access_token: answer.accessToken,
        expires_in: options.expiresIn,
        ...(withRefresh && answer.refreshToken !== undefined && { refresh_token: answer.refreshToken }),
        scope: answer.scopes.join(" "),
        token_type: "Bearer",
      },
    };
  });

  options.route("POST", "/revoke", (request) => {
    const token = form(request).get("token") ?? request.query.get("token") ?? "";
    if (keys.revoke(token) || options.revokeRefresh(token)) return { status: 200, body: {} };
    return oauthError(400, "invalid_token", "Token expired or revoked");
  });
}

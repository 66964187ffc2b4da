import { isOAuthFailure, type OAuthAuthority } from "../../shared/oauth-authority";
import type { EmulatorRequest, EmulatorResponse, RouteHandler } from "../../shared/types";
import type { GithubSubject } from "../api-context";
import type { GithubState } from "../github-state";
import { account, notFound } from "../github-wire";
import { bodyOf } from "./repo-lookup";

const OAUTH_DOCS =
  "https://docs.github.com/apps/managing-oauth-apps/troubleshooting-oauth-app-access-token-request-errors";

/** What the OAuth routes need from the emulator. */
export interface OAuthRouteOptions {
  oauth: OAuthAuthority<GithubSubject>;
  state: GithubState;
  /** client_id -> client secret. */
  clients: Map<string, string>;
  route: (method: string, path: string, handler: RouteHandler) => void;
  /** Registers at the root and under `/api/v3`. */
  apiRoute: (method: string, path: string, handler: RouteHandler) => void;
  apiBase: (request: EmulatorRequest) => { api: string; web: string };
}

/**
 * GitHub's OAuth web flow: `/login/oauth/authorize` (consents at once and redirects with code and state;
 * PKCE S256), `/login/oauth/access_token` (JSON with `Accept: application/json`, else form-encoded;
 * failures are HTTP 200 with `error`), and the OAuth app token API under `/applications/:client_id/token`.
 */
export function registerOAuthRoutes(options: OAuthRouteOptions): void {
  const { oauth, state, clients } = options;

  options.route("GET", "/login/oauth/authorize", (request): EmulatorResponse => {
    const q = request.query;
    const clientId = q.get("client_id") ?? "";
    const redirectUri = q.get("redirect_uri");
    if (!clients.has(clientId) || !redirectUri) {
      return {
        status: 404,
        headers: { "content-type": "text/html" },
        body: "<h1>404 - Application not found</h1>",
      };
    }
    const login =
      q.get("login") && state.accounts.has(q.get("login")?.toLowerCase() ?? "")
        ? (q.get("login") as string)
        : "octocat";
    const scopes = (q.get("scope") ?? "").split(/[\s,]+/).filter(Boolean);
    const redirect = new URL(redirectUri);
    const result = oauth.authorize({
      clientId,
      redirectUri,
      scopes,
      subject: { login },
      codeChallenge: q.get("code_challenge") ?? undefined,
      codeChallengeMethod: q.get("code_challenge_method") ?? undefined,
    });
    if (isOAuthFailure(result)) {
      redirect.searchParams.set("error", result.error);
      redirect.searchParams.set("error_description", result.description);
    } else redirect.searchParams.set("code", result.code);
    const stateParam = q.get("state");
    if (stateParam) redirect.searchParams.set("state", stateParam);
    return { status: 302, headers: { location: redirect.toString() } };
  });

  options.route("POST", "/login/oauth/access_token", (request) => {
    const params = { ...Object.fromEntries(request.query), ...stringsOf(bodyOf(request)) };
    const clientId = params.client_id ?? "";
    const secret = clients.get(clientId);
    if (secret === undefined || (params.client_secret !== undefined && params.client_secret !== secret)) {
      return tokenAnswer(request, {
        error: "incorrect_client_credentials",
        error_description: "The client_id and/or client_secret passed are incorrect.",
        error_uri: `${OAUTH_DOCS}#incorrect-client-credentials`,
      });
    }
    const issued = oauth.exchangeCode({
      code: params.code ?? "",
      clientId,
      clientSecret: params.client_secret,
      redirectUri: params.redirect_uri,
      codeVerifier: params.code_verifier,
    });
    if (isOAuthFailure(issued)) {
      const mismatch = issued.description.includes("redirect_uri");
      return tokenAnswer(request, {
        error: mismatch ? "redirect_uri_mismatch" : "bad_verification_code",
        error_description: mismatch
          ? "The redirect_uri MUST match the registered callback URL for this application."
          : "The code passed is incorrect or expired.",
        error_uri: `${OAUTH_DOCS}#${mismatch ? "redirect-uri-mismatch" : "bad-verification-code"}`,
      });
    }
    // GitHub joins scopes with commas here, unlike the space-separated OAuth 2.0 standard.
    return tokenAnswer(request, {
      access_token: issued.accessToken,
      token_type: "bearer",
      scope: issued.scopes.join(","),
    });
  });

  const appToken =
    (revoke: boolean) =>
    (request: EmulatorRequest): EmulatorResponse => {
      const clientId = request.params.client_id ?? "";
      const [basicId, basicSecret] = basicOf(request.headers.authorization);
      if (basicId !== clientId || clients.get(clientId) !== basicSecret) return notFound();
      const token = bodyOf(request).access_token;
      const info = typeof token === "string" ? oauth.lookup(token) : undefined;
      // Only tokens this OAuth app issued are its to check or revoke.
      if (!info || info.clientId !== clientId) return notFound();
      if (revoke) {
        oauth.revoke(info.accessToken);
        return { status: 204 };
      }
      const user = state.accounts.get(info.subject.login.toLowerCase());
      const now = state.timestamp();
      return {
        body: {
          id: 1,
          url: `${options.apiBase(request).api}/authorizations/1`,
          app: { client_id: clientId, name: "Emulated OAuth app", url: options.apiBase(request).web },
          token: info.accessToken,
          hashed_token: null,
          token_last_eight: info.accessToken.slice(-8),
          note: null,
          note_url: null,
          scopes: info.scopes,
          fingerprint: null,
          created_at: now,
          updated_at: now,
          expires_at: null,
          user: user ? account(user, options.apiBase(request)) : null,
        },
      };
    };
  options.apiRoute("DELETE", "/applications/:client_id/token", appToken(true));
  options.apiRoute("POST", "/applications/:client_id/token", appToken(false));
}

/** The token endpoint answers JSON only when asked to; GitHub's default is form encoding. Errors are HTTP 200. */
function tokenAnswer(request: EmulatorRequest, fields: Record<string, string>): EmulatorResponse {
  const accept = String(request.headers.accept ?? "");
  if (accept.includes("application/json")) return { status: 200, body: fields };
  return {
    status: 200,
    headers: { "content-type": "application/x-www-form-urlencoded; charset=utf-8" },
    body: new URLSearchParams(fields).toString(),
  };
}

function stringsOf(body: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(body).flatMap(([key, value]) => (typeof value === "string" ? [[key, value]] : [])),
  );
}

function basicOf(authorization: string | undefined): [string?, string?] {
  const match = /^Basic\s+(.+)$/i.exec(authorization ?? "");
  if (!match?.[1]) return [];
  const decoded = Buffer.from(match[1], "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  return colon < 0 ? [decoded] : [decoded.slice(0, colon), decoded.slice(colon + 1)];
}

import { isOAuthFailure, OAuthAuthority, type OAuthFailure, type TokenInfo } from "../shared/oauth-authority";
import type { EmulatorRequest, EmulatorResponse } from "../shared/types";
import { SlackApiError, type SlackArgs, type SlackSubject } from "./slack-call";
import { APP_ID, BOT, TEAM } from "./slack-workspace";

/** Every scope the emulated methods check: a minted token gets them all unless told otherwise. */
export const ALL_SCOPES = [
  "channels:history",
  "channels:join",
  "channels:manage",
  "channels:read",
  "chat:write",
  "files:read",
  "files:write",
  "reactions:read",
  "reactions:write",
  "users:read",
  "users:read.email",
] as const;

// Slack rotates tokens every 12 hours when the app opts into token rotation.
const ROTATION_TTL_SECONDS = 12 * 60 * 60;

const INSTALLER = "U0001";

/** The subject of every token in the emulated workspace: the bot user of app A0001, installed by Alice. */
export const BOT_SUBJECT: SlackSubject = {
  teamId: TEAM.id,
  userId: INSTALLER,
  botUserId: BOT.userId,
  botId: BOT.botId,
  appId: APP_ID,
};

export interface SlackOAuthOptions {
  clientId: string;
  clientSecret: string;
  /** Token rotation: `xoxe.xoxb-` tokens that expire in 12 hours, with refresh tokens. */
  tokenRotation: boolean;
  now?: () => number;
}

/** Slack's OAuth v2 server side: the authorize redirect, `oauth.v2.access`, `auth.revoke`, and token lookup with Slack's error codes. */
export class SlackOAuth {
  readonly authority: OAuthAuthority<SlackSubject>;
  private readonly revoked = new Set<string>();
  private readonly issued = new Set<string>();

  constructor(private readonly options: SlackOAuthOptions) {
    this.authority = new OAuthAuthority<SlackSubject>({
      accessTokenPrefix: options.tokenRotation ? "xoxe.xoxb-1-" : "xoxb-1-",
      ...(options.tokenRotation && {
        refreshTokenPrefix: "xoxe-1-",
        accessTokenTtlSeconds: ROTATION_TTL_SECONDS,
      }),
      ...(options.now && { now: options.now }),
    });
    this.authority.registerClient(options.clientId, options.clientSecret);
  }

  /** A token as if the app had just been installed; all scopes unless given. */
  mint(scopes: readonly string[] = ALL_SCOPES): TokenInfo<SlackSubject> {
    return this.remember(
      this.authority.issue({ scopes: [...scopes], subject: BOT_SUBJECT, clientId: this.options.clientId }),
    );
  }

  /** The live token, or the error Slack answers for it. */
  resolve(token: string | undefined): TokenInfo<SlackSubject> | { error: string } {
    if (!token) return { error: "not_authed" };
    const info = this.authority.lookup(token);
    if (info) return info;
    if (this.revoked.has(token)) return { error: "token_revoked" };
    if (this.issued.has(token)) return { error: "token_expired" };
    return { error: "invalid_auth" };
  }

  /** `GET /oauth/v2/authorize`: the user consents at once and is redirected back with `code` and `state`. */
  authorize(request: EmulatorRequest): EmulatorResponse {
    const query = request.query;
    const redirectUri = query.get("redirect_uri");
    if (!redirectUri || !/^https?:\/\//.test(redirectUri)) return errorPage("bad_redirect_uri");
    const scopes = (query.get("scope") ?? "").split(/[,\s]+/).filter(Boolean);
    const result = this.authority.authorize({
      clientId: query.get("client_id") ?? "",
      redirectUri,
      scopes,
      subject: BOT_SUBJECT,
      codeChallenge: query.get("code_challenge") ?? undefined,
      codeChallengeMethod: query.get("code_challenge_method") ?? undefined,
    });
    if (isOAuthFailure(result))
      return errorPage(result.error === "invalid_client" ? "invalid_client_id" : "invalid_request");
    const location = new URL(redirectUri);
    location.searchParams.set("code", result.code);
    const state = query.get("state");
    if (state !== null) location.searchParams.set("state", state);
    return { status: 302, headers: { location: location.toString() } };
  }

  /** `oauth.v2.access`: the code exchange, and `grant_type=refresh_token` for rotated tokens. */
  access(args: SlackArgs, authorization: string | undefined): Record<string, unknown> {
    const basic = basicCredentials(authorization);
    const clientId = args.string("client_id") ?? basic?.id;
    const clientSecret = args.string("client_secret") ?? basic?.secret;
    if (!clientId) throw new SlackApiError("invalid_client_id");
    let result: TokenInfo<SlackSubject> | OAuthFailure;
    if (args.string("grant_type") === "refresh_token") {
      result = this.authority.refresh({
        refreshToken: args.required("refresh_token", "invalid_refresh_token"),
        clientId,
        clientSecret,
      });
      if (isOAuthFailure(result)) throw new SlackApiError(slackOAuthError(result, "invalid_refresh_token"));
    } else {
      result = this.authority.exchangeCode({
        code: args.required("code", "invalid_code"),
        clientId,
        clientSecret,
        redirectUri: args.string("redirect_uri"),
        codeVerifier: args.string("code_verifier"),
      });
      if (isOAuthFailure(result)) throw new SlackApiError(slackOAuthError(result, "invalid_code"));
    }
    const token = this.remember(result);
    return {
      app_id: token.subject.appId,
      authed_user: { id: token.subject.userId },
      scope: token.scopes.join(","),
      token_type: "bot",
      access_token: token.accessToken,
      bot_user_id: token.subject.botUserId,
      team: { id: TEAM.id, name: TEAM.name },
      enterprise: null,
      is_enterprise_install: false,
      ...(token.refreshToken && { refresh_token: token.refreshToken }),
      ...(token.expiresAt !== undefined && {
        expires_in: Math.round((token.expiresAt - (this.options.now ?? Date.now)()) / 1000),
      }),
    };
  }

  /** `auth.revoke`: the token stops working; `test=true` only checks it would. */
  revoke(token: string, test: boolean): Record<string, unknown> {
    if (test) return { revoked: false };
    this.authority.revoke(token);
    this.revoked.add(token);
    return { revoked: true };
  }

  private remember(info: TokenInfo<SlackSubject>): TokenInfo<SlackSubject> {
    this.issued.add(info.accessToken);
    return info;
  }
}

function slackOAuthError(failure: OAuthFailure, grantError: string): string {
  if (failure.error === "invalid_client") {
    return failure.description.includes("code_verifier") ? "invalid_arguments" : "bad_client_secret";
  }
  if (failure.description.includes("redirect_uri")) return "bad_redirect_uri";
  if (failure.description.includes("PKCE")) return "invalid_code_verifier";
  return failure.error === "invalid_grant" ? grantError : "invalid_arguments";
}

function basicCredentials(authorization: string | undefined): { id: string; secret: string } | undefined {
  const match = /^Basic\s+(.+)$/i.exec(authorization ?? "");
  if (!match?.[1]) return undefined;
  const decoded = Buffer.from(match[1], "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  return colon < 0 ? undefined : { id: decoded.slice(0, colon), secret: decoded.slice(colon + 1) };
}

function errorPage(error: string): EmulatorResponse {
  return {
    status: 400,
    headers: { "content-type": "text/html; charset=utf-8" },
    body: `<html><body><h1>Slack</h1><p>Something went wrong when authorizing this app: ${error}</p></body></html>`,
  };
}

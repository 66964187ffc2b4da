import { randomBytes } from "node:crypto";
import { isOAuthFailure, type OAuthAuthority } from "../shared/oauth-authority";
import type { EmulatorRequest, EmulatorResponse, RouteHandler } from "../shared/types";
import { parseStripeForm, text } from "./stripe-form";
import type { StripeState } from "./stripe-state";

/** Whose a key or Connect token is. */
export interface StripeSubject {
  accountId: string;
  livemode: boolean;
}

/** The Standard account Connect OAuth consents as unless the authorize URL names one (`stripe_user[account]`). */
export const DEFAULT_CONNECTED_ACCOUNT = "acct_1AcmeConnectedStd0";

export interface ConnectOAuthOptions {
  keys: OAuthAuthority<StripeSubject>;
  state: StripeState;
  route: (method: string, path: string, handler: RouteHandler) => void;
  /** The platforms' OAuth apps: a platform secret key -> its `client_id`. */
  clients: ReadonlyMap<string, string>;
  /** The Connect tokens each connected account was issued (`stripe_user_id` -> tokens): what `deauthorize` revokes. */
  issued: Map<string, Set<string>>;
}

function oauthError(status: number, error: string, description: string): EmulatorResponse {
  return { status, body: { error, error_description: description } };
}

/**
 * Stripe Connect OAuth for Standard accounts, as `connect.stripe.com` serves it: `/oauth/authorize` (consents at
 * once as the connected account and redirects with `code`, `scope` and `state`), `/oauth/token` (the
 * `authorization_code` and `refresh_token` grants, authenticated with the platform's secret key as
 * `client_secret` or Bearer; answers `access_token`, `refresh_token`, `stripe_user_id`, `stripe_publishable_key`,
 * `scope`, `livemode`) and `/oauth/deauthorize` (the platform disconnects an account: every token of it stops working).
 * @see https://docs.stripe.com/connect/oauth-reference
 */
export function registerConnectOAuthRoutes(options: ConnectOAuthOptions): void {
  const { keys, state, issued } = options;

  options.route("GET", "/oauth/authorize", (request) => {
    const q = request.query;
    const clientId = q.get("client_id") ?? "";
    const redirectUri = q.get("redirect_uri");
    if (!redirectUri) return oauthError(400, "invalid_request", "No redirect_uri was provided.");
    const accountId = q.get("stripe_user[account]") ?? DEFAULT_CONNECTED_ACCOUNT;
    if (!state.accounts.has(accountId)) {
      state.accounts.set(accountId, {
        id: accountId,
        email: "owner@connected.example",
        displayName: "Acme Connected",
        country: "US",
        defaultCurrency: "usd",
      });
    }
    const scope = q.get("scope") ?? "read_only";
    const result = keys.authorize({
      clientId,
      redirectUri,
      scopes: [scope],
      subject: { accountId, livemode: false },
      codeChallenge: q.get("code_challenge") ?? undefined,
      codeChallengeMethod: q.get("code_challenge_method") ?? undefined,
    });
    const redirect = new URL(redirectUri);
    if (isOAuthFailure(result)) {
      redirect.searchParams.set("error", result.error);
      redirect.searchParams.set("error_description", result.description);
    } else {
      redirect.searchParams.set("code", result.code);
      redirect.searchParams.set("scope", scope);
    }
    const stateParam = q.get("state");
    if (stateParam) redirect.searchParams.set("state", stateParam);
    return { status: 302, headers: { location: redirect.toString() } };
  });

  options.route("POST", "/oauth/token", (request) => {
    const form = parseStripeForm(request.rawBody.toString("utf8"));
    const platform = platformOf(request, text(form, "client_secret"));
    if (!platform) return oauthError(401, "invalid_client", "No valid API key provided (client_secret).");
    const grant = text(form, "grant_type");
    const answer =
      grant === "authorization_code"
        ? keys.exchangeCode({
            code: text(form, "code") ?? "",
            clientId: platform.clientId,
            clientSecret: platform.secret,
            codeVerifier: text(form, "code_verifier"),
          })
        : grant === "refresh_token"
          ? keys.refresh({
              refreshToken: text(form, "refresh_token") ?? "",
              clientId: platform.clientId,
              clientSecret: platform.secret,
            })
          : undefined;
    if (!answer) return oauthError(400, "unsupported_grant_type", `Unsupported grant type: ${grant ?? ""}`);
    if (isOAuthFailure(answer)) {
      return oauthError(
        400,
        answer.error === "invalid_client" ? "invalid_client" : "invalid_grant",
        answer.description,
      );
    }
    const { accountId, livemode } = answer.subject;
    const tokens = issued.get(accountId) ?? new Set<string>();
    tokens.add(answer.accessToken);
    issued.set(accountId, tokens);
    return {
      status: 200,
      body: {
        access_token: answer.accessToken,
        livemode,
        refresh_token: answer.refreshToken,
        token_type: "bearer",
        stripe_publishable_key: `pk_test_${randomBytes(24).toString("hex")}`,
        stripe_user_id: accountId,
        scope: answer.scopes.join(" "),
      },
    };
  });

  options.route("POST", "/oauth/deauthorize", (request) => {
    const form = parseStripeForm(request.rawBody.toString("utf8"));
    const platform = platformOf(request, text(form, "client_secret"));
    const clientId = text(form, "client_id");
    const accountId = text(form, "stripe_user_id") ?? "";
    if (!platform || clientId !== platform.clientId) {
      return oauthError(401, "invalid_client", "No such application or the API key does not own it.");
    }
    const tokens = [...(issued.get(accountId) ?? [])].filter((t) => keys.lookup(t)?.clientId === clientId);
    if (tokens.length === 0) {
      return oauthError(
        400,
        "invalid_client",
        `Stripe account ${accountId} is not connected to your platform.`,
      );
    }
    for (const token of tokens) keys.revoke(token);
    issued.delete(accountId);
    return { status: 200, body: { stripe_user_id: accountId } };
  });

  /** The platform a token request comes from: its secret key (as `client_secret` or Bearer) and its OAuth app. */
  function platformOf(
    request: EmulatorRequest,
    clientSecret: string | undefined,
  ): { clientId: string; secret: string } | undefined {
    const secret = clientSecret ?? request.bearer;
    const clientId = secret !== undefined && keys.lookup(secret) ? options.clients.get(secret) : undefined;
    return secret !== undefined && clientId ? { clientId, secret } : undefined;
  }
}

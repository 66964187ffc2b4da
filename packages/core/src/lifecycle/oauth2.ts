import { errorFromResponse, toIntegrationError } from "../classify";
import { IntegrationError, type IntegrationErrorType } from "../errors";
import { createNodeHttpFetch } from "../provider-kit/node-http-fetch";
import { readBoundedResponse } from "../provider-kit/response-limit";
import type { Clock } from "../runtime/clock";
import { systemClock } from "../runtime/clock";
import type { OAuthClientConfig, ProviderCredential, ProviderOAuth } from "./provider-adapter";

// Plain fetch rather than an OAuth library: the flow is two form POSTs, and the providers bend the
// standard in ways a strict client such as oauth4webapi refuses: a `token_type` other than "bearer"
// (`"bot"`), failures reported as HTTP 200 with `{ ok: false, error }` or `{ error }`, answers
// form-encoded unless asked for JSON, and scopes separated with commas.

/** A token or revocation answer is a few hundred bytes: one this large is not one, and is refused unread. */
const OAUTH2_MAX_RESPONSE_BYTES = 1024 * 1024;

/** How the client proves itself at the token endpoint (RFC 6749 section 2.3.1). */
export type OAuth2ClientAuthentication = "client_secret_post" | "client_secret_basic";

/** A failed answer from a token or revocation endpoint, as `toError` gets it. */
export interface OAuth2ErrorAnswer {
  /** The HTTP status: some providers report failures with 200. */
  status: number;
  headers: Headers;
  /** The OAuth error code (`invalid_grant`, `bad_verification_code`), when the body carries one. */
  error?: string;
  description?: string;
  /** The body: an object when it was JSON or form-encoded, else its text. */
  body: unknown;
}

/** What `createOAuth2` needs from a provider: its endpoints and where it departs from RFC 6749. */
export interface OAuth2Options {
  /** The integration's slug errors carry, e.g. "acme". */
  provider: string;
  /** The authorization endpoint the user is sent to. */
  authorizeUrl: string;
  tokenUrl: string;
  /** An RFC 7009 revocation endpoint; `revoke` exists only with one. */
  revocationUrl?: string;
  defaultScopes: string[];
  /** Joins scopes in the authorize URL and splits the granted `scope`. Default " "; some providers use ",". */
  scopeSeparator?: string;
  /** Added to the authorize URL, e.g. `{ access_type: "offline", prompt: "consent" }` for Google. */
  extraAuthorizeParams?: Readonly<Record<string, string>>;
  /** Default `client_secret_post`. */
  clientAuthentication?: OAuth2ClientAuthentication;
  /** Send a PKCE S256 challenge and the verifier. Default true. */
  pkce?: boolean;
  /** A custom fetch (a proxy agent, a recorder). Default `nodeHttpFetch`. Either way an answer over 1 MiB is refused. */
  fetch?: typeof fetch;
  /** Deadline of one token-endpoint request, body included. Default 30 000 ms. */
  timeoutMs?: number;
  /** Turns `expires_in` into `expiresAt`. */
  clock?: Clock;
  /**
   * Reads a successful token answer into a credential, for providers whose answer is not the standard
   * one (`credentialFromTokenResponse` is the default). Failures never reach it: a non-2xx status, or
   * an `error` field at any status, goes to `toError`. An IntegrationError it throws passes through.
   */
  parseTokenResponse?(
    json: Record<string, unknown>,
    status: number,
    context: { now: number },
  ): ProviderCredential;
  /** Classifies a failed answer; `undefined` falls back to `oauth2Error`. */
  toError?(answer: OAuth2ErrorAnswer): IntegrationError | undefined;
  /**
   * The type of an OAuth error code, for a provider whose token endpoint answers in its API's own codes (pass
   * its error table's `typeOfCode`). Default RFC 6749's reading (`oauth2Error`).
   */
  errorCodeType?(code: string): IntegrationErrorType;
}

/** The standard OAuth 2.0 authorization-code flow as a `ProviderOAuth`, with refresh, and revocation when configured. */
export interface OAuth2 extends ProviderOAuth {
  refresh(params: { client: OAuthClientConfig; refreshToken: string }): Promise<ProviderCredential>;
  /** RFC 7009 revocation; present when `revocationUrl` was given. */
  revoke?(params: {
    client: OAuthClientConfig;
    token: string;
    tokenTypeHint?: "access_token" | "refresh_token";
  }): Promise<void>;
}

export const DEFAULT_OAUTH2_TIMEOUT_MS = 30_000;

// Standard codes that do not mean the grant or the client is bad: everything else at a token endpoint does.
const SCHEMA_ERRORS: ReadonlySet<string> = new Set([
  "invalid_request",
  "unsupported_grant_type",
  "unsupported_response_type",
  "unsupported_token_type",
]);
const UPSTREAM_ERRORS: ReadonlySet<string> = new Set(["server_error", "temporarily_unavailable"]);

/**
 * The default classification of a failed token-endpoint answer: an OAuth error code is `auth` (a bad
 * code, refresh token or client: reconnecting is the fix), except malformed-request codes (`schema`),
 * `server_error`/`temporarily_unavailable` (`upstream`) and `slow_down` (`rate-limit`). Without a code,
 * or with 429 or 5xx, the HTTP status decides. `errorCodeType` replaces the reading of a code.
 */
export function oauth2Error(
  answer: OAuth2ErrorAnswer,
  provider: string,
  now?: number,
  errorCodeType?: (code: string) => IntegrationErrorType,
): IntegrationError {
  const { status, headers, error, description } = answer;
  const detail = description ? `${error}: ${description}` : error;
  if (error === undefined || status === 429 || status >= 500) {
    return errorFromResponse({
      provider,
      status,
      headers,
      message: `${provider} OAuth endpoint responded ${status}${detail ? ` (${detail})` : ""}`,
      ...(error !== undefined && { code: error }),
      ...(now !== undefined && { now }),
    });
  }
  const type = errorCodeType
    ? errorCodeType(error)
    : SCHEMA_ERRORS.has(error)
      ? "schema"
      : UPSTREAM_ERRORS.has(error)
        ? "upstream"
        : error === "slow_down"
          ? "rate-limit"
          : "auth";
  return new IntegrationError({
    type,
    provider,
    status,
    code: error,
    message: `${provider} OAuth error: ${detail}`,
  });
}

/**
 * A standard token answer (RFC 6749 section 5.1) as a credential: `expiresAt` from `expires_in` (a
 * number or a numeric string) at `now`, scopes from `scope` split on the separator. Throws a TypeError
 * when there is no `access_token`.
 */
export function credentialFromTokenResponse(
  json: Record<string, unknown>,
  options: { now: number; scopeSeparator?: string },
): ProviderCredential {
  const accessToken = json.access_token;
  if (typeof accessToken !== "string" || accessToken === "") {
    throw new TypeError("The token answer has no access_token");
  }
  const refreshToken = json.refresh_token;
  const expiresIn =
    typeof json.expires_in === "number" || typeof json.expires_in === "string"
      ? Number(json.expires_in)
      : NaN;
  const scope = json.scope;
  return {
    accessToken,
    ...(typeof refreshToken === "string" && refreshToken !== "" && { refreshToken }),
    ...(Number.isFinite(expiresIn) && {
      expiresAt: new Date(options.now + expiresIn * 1000).toISOString(),
    }),
    ...(typeof scope === "string" && {
      scopes: scope
        .split(options.scopeSeparator ?? " ")
        .map((s) => s.trim())
        .filter(Boolean),
    }),
  };
}

/**
 * A provider's OAuth from its endpoints: the authorize URL with `state` and a PKCE S256 challenge,
 * the code exchange, refresh (`grant_type=refresh_token`; a rotated refresh token in the answer
 * replaces the old one), and RFC 7009 revocation. Requests are form-encoded POSTs with
 * `Accept: application/json`; failures are IntegrationErrors (`auth` for a refused grant or client).
 */
export function createOAuth2(options: OAuth2Options): OAuth2 {
  const { provider } = options;
  const clock = options.clock ?? systemClock;
  const separator = options.scopeSeparator ?? " ";
  const doFetch = options.fetch ?? createNodeHttpFetch({ maxResponseBytes: OAUTH2_MAX_RESPONSE_BYTES });
  const timeoutMs = options.timeoutMs ?? DEFAULT_OAUTH2_TIMEOUT_MS;

  async function post(
    url: string,
    client: OAuthClientConfig,
    params: Record<string, string>,
  ): Promise<{ status: number; body: unknown }> {
    const form = new URLSearchParams(params);
    const headers: Record<string, string> = {
      accept: "application/json",
      "content-type": "application/x-www-form-urlencoded",
    };
    if (options.clientAuthentication === "client_secret_basic") {
      headers.authorization = `Basic ${Buffer.from(
        `${formEncode(client.clientId)}:${formEncode(client.clientSecret)}`,
      ).toString("base64")}`;
    } else {
      form.set("client_id", client.clientId);
      form.set("client_secret", client.clientSecret);
    }
    let response: Response;
    let text: string;
    try {
      response = await doFetch(url, {
        method: "POST",
        headers,
        body: form.toString(),
        signal: AbortSignal.timeout(timeoutMs),
      });
      if (options.fetch) response = await readBoundedResponse(response, OAUTH2_MAX_RESPONSE_BYTES, url);
      text = await response.text();
    } catch (error) {
      throw toIntegrationError(error, provider, clock.now());
    }
    const body = parseBody(text, response.headers.get("content-type"));
    const fields = isRecord(body) ? body : {};
    if (!response.ok || typeof fields.error === "string") {
      const answer: OAuth2ErrorAnswer = {
        status: response.status,
        headers: response.headers,
        body,
        ...(typeof fields.error === "string" && { error: fields.error }),
        ...(typeof fields.error_description === "string" && { description: fields.error_description }),
      };
      throw options.toError?.(answer) ?? oauth2Error(answer, provider, clock.now(), options.errorCodeType);
    }
    return { status: response.status, body };
  }

  async function requestToken(
    client: OAuthClientConfig,
    params: Record<string, string>,
  ): Promise<ProviderCredential> {
    const { status, body } = await post(options.tokenUrl, client, params);
    const json = isRecord(body) ? body : {};
    const now = clock.now();
    try {
      return options.parseTokenResponse
        ? options.parseTokenResponse(json, status, { now })
        : credentialFromTokenResponse(json, { now, scopeSeparator: separator });
    } catch (error) {
      if (IntegrationError.isInstance(error)) throw error;
      throw new IntegrationError({
        type: "schema",
        provider,
        status,
        code: "invalid_token_response",
        message: `${provider} token answer unreadable: ${error instanceof Error ? error.message : String(error)}`,
        cause: error,
      });
    }
  }

  const oauth: OAuth2 = {
    pkce: options.pkce ?? true,
    defaultScopes: options.defaultScopes,
    authorizeUrl({ client, state, scopes, codeChallenge }) {
      const url = new URL(options.authorizeUrl);
      url.searchParams.set("response_type", "code");
      url.searchParams.set("client_id", client.clientId);
      url.searchParams.set("redirect_uri", client.redirectUri);
      if (scopes.length > 0) url.searchParams.set("scope", scopes.join(separator));
      url.searchParams.set("state", state);
      if (codeChallenge) {
        url.searchParams.set("code_challenge", codeChallenge);
        url.searchParams.set("code_challenge_method", "S256");
      }
      for (const [name, value] of Object.entries(options.extraAuthorizeParams ?? {})) {
        url.searchParams.set(name, value);
      }
      return url.toString();
    },
    exchangeCode: ({ client, code, codeVerifier }) =>
      requestToken(client, {
        grant_type: "authorization_code",
        code,
        redirect_uri: client.redirectUri,
        ...(codeVerifier && { code_verifier: codeVerifier }),
      }),
    async refresh({ client, refreshToken }) {
      const credential = await requestToken(client, {
        grant_type: "refresh_token",
        refresh_token: refreshToken,
      });
      // Providers that do not rotate leave refresh_token out: the one we sent stays valid.
      return { ...credential, refreshToken: credential.refreshToken ?? refreshToken };
    },
  };
  const { revocationUrl } = options;
  if (revocationUrl) {
    oauth.revoke = async ({ client, token, tokenTypeHint }) => {
      await post(revocationUrl, client, { token, ...(tokenTypeHint && { token_type_hint: tokenTypeHint }) });
    };
  }
  return oauth;
}

/** `application/x-www-form-urlencoded` encoding, which RFC 6749 asks for inside the Basic credentials. */
function formEncode(value: string): string {
  return new URLSearchParams([["", value]]).toString().slice(1);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function parseBody(text: string, contentType: string | null): unknown {
  if (contentType?.includes("application/x-www-form-urlencoded")) {
    return Object.fromEntries(new URLSearchParams(text));
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

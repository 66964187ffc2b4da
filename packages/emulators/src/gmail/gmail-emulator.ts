import { randomBytes } from "node:crypto";
import type { ProviderEmulator } from "@autoflow/core";
import { clockFromOptions, type EmulatorClock } from "../shared/emulator-clock";
import { EmulatorServer } from "../shared/emulator-server";
import { HttpEmulator, type HttpFault } from "../shared/http-emulator";
import { OAuthAuthority } from "../shared/oauth-authority";
import { serviceEnv } from "../shared/service-env";
import { loadApiDescription } from "../shared/spec-document";
import type { EmulatorRequest, EmulatorResponse } from "../shared/types";
import { type GmailSubject, registerGoogleOAuthRoutes } from "./gmail-oauth";
import { type GmailCall, type GmailHandler, registerGmailRoutes, type ScopeNeed } from "./gmail-routes";
import { GmailState, type StoredMessage } from "./gmail-state";
import {
  badRequest,
  googleError,
  insufficientPermissions,
  invalidCredentials,
  notFound,
  rateLimited,
} from "./gmail-wire";

/** The mailbox a token minted or consented without another address acts for. */
export const DEFAULT_GMAIL_ADDRESS = "ada@example.com";

/** Every Gmail scope a token minted without `scopes` has. */
export const GMAIL_SCOPES = {
  send: "https://www.googleapis.com/auth/gmail.send",
  readonly: "https://www.googleapis.com/auth/gmail.readonly",
  modify: "https://www.googleapis.com/auth/gmail.modify",
  compose: "https://www.googleapis.com/auth/gmail.compose",
  full: "https://mail.google.com/",
} as const;

/** Which scopes allow each kind of method (any one of them). */
const SCOPES_FOR: Record<ScopeNeed, string[]> = {
  read: [GMAIL_SCOPES.readonly, GMAIL_SCOPES.modify, GMAIL_SCOPES.compose, GMAIL_SCOPES.full],
  send: [GMAIL_SCOPES.send, GMAIL_SCOPES.compose, GMAIL_SCOPES.modify, GMAIL_SCOPES.full],
  modify: [GMAIL_SCOPES.modify, GMAIL_SCOPES.full],
  compose: [GMAIL_SCOPES.compose, GMAIL_SCOPES.modify, GMAIL_SCOPES.full],
};

/** An access token's lifetime, as Google's (one hour). */
const ACCESS_TOKEN_SECONDS = 3600;

export interface GmailEmulatorOptions {
  port?: number;
  /** Times messages' `internalDate`, token expiry, watch expiry and rate-limit windows. Default the wall clock. */
  clock?: EmulatorClock;
  /**
   * How long, on the emulator's clock, a new message or a label change takes to reach the search index (`q` of
   * `messages.list` and `drafts.list`): Gmail's search lags its mailbox by a few seconds. Default 0.
   */
  searchIndexLagMs?: number;
}

/**
 * Gmail's REST API (`/gmail/v1/users/{userId}/...`) on 127.0.0.1 for what `@autoflow/gmail` calls: mailboxes whose
 * messages are parsed from the raw MIME that `send` posts (headers with RFC 2047 words decoded, the MIME tree,
 * attachments), threads, labels, drafts, a `historyId` that advances with every change and can be expired, search
 * (`rfc822msgid:`, `label:`, `from:`, ..., with an index that can lag), Google's JSON errors, scopes checked per method, Google's OAuth 2.0
 * (authorize, token with PKCE and refresh, revoke), fault injection and a request log.
 */
export class GmailEmulator extends HttpEmulator implements ProviderEmulator {
  readonly server: EmulatorServer;
  readonly state: GmailState;
  /** Every access token: whose mailbox, which scopes. */
  readonly keys: OAuthAuthority<GmailSubject>;
  /** The Google OAuth client the emulator knows. */
  readonly oauthClient: { clientId: string; clientSecret: string };
  /** The mailbox the OAuth consent screen consents as (`login_hint` names another). */
  consentAccount = DEFAULT_GMAIL_ADDRESS;
  /** How long a change takes to reach the search index (see `GmailEmulatorOptions.searchIndexLagMs`). */
  searchIndexLagMs: number;
  private readonly now: () => number;

  constructor(options: GmailEmulatorOptions = {}) {
    super();
    const clock = clockFromOptions(options);
    this.now = () => clock.now();
    this.searchIndexLagMs = options.searchIndexLagMs ?? 0;
    this.state = new GmailState(this.now);
    this.keys = new OAuthAuthority<GmailSubject>({
      accessTokenPrefix: "ya29.",
      refreshTokenPrefix: "1//",
      accessTokenTtlSeconds: ACCESS_TOKEN_SECONDS,
      now: this.now,
    });
    this.server = new EmulatorServer({
      name: "gmail",
      clock,
      ...(options.port !== undefined && { port: options.port }),
      rateLimitResponse: ({ retryAfterSeconds }) => rateLimited(retryAfterSeconds),
      notFoundResponse: () => notFound("Not Found"),
      // Every other operation of Gmail's API answers from its Discovery Document (as OpenAPI); requests to the
      // stateful routes are checked against it too and recorded (`requestViolations`), not refused.
      spec: {
        description: loadApiDescription("gmail", "api-all.json"),
        refuse: (request) => (this.keys.lookup(request.bearer) ? undefined : invalidCredentials()),
        invalid: (violations) => badRequest(violations.map((violation) => violation.message).join("; ")),
        requestValidation: "record",
      },
    });
    this.oauthClient = {
      clientId: `${randomBytes(6).toString("hex")}-emulator.apps.googleusercontent.com`,
      clientSecret: `GOCSPX-${randomBytes(14).toString("hex")}`,
    };
    this.keys.registerClient(this.oauthClient.clientId, this.oauthClient.clientSecret);
    registerGmailRoutes((method, path, need, handler) => this.apiRoute(method, path, need, handler));
    registerGoogleOAuthRoutes({
      keys: this.keys,
      route: (method, path, handler) => this.server.route(method, path, handler),
      defaultAccount: () => this.consentAccount,
      expiresIn: ACCESS_TOKEN_SECONDS,
      revokeRefresh: (token) => {
        let found = false;
        this.keys.revokeRefreshTokens((info) => {
          if (info.refreshToken !== token) return false;
          found = true;
          this.keys.revoke(info.accessToken);
          return true;
        });
        return found;
      },
    });
  }

  env(prefix = "AUTOFLOW_GMAIL_"): Record<string, string> {
    return serviceEnv(prefix, { apiUrl: this.apiUrl, webUrl: this.webUrl, oauthClient: this.oauthClient });
  }

  /**
   * An access token (`ya29.`) that works at once, for `emailAddress`'s mailbox (default `ada@example.com`) with
   * `scopes` (default send, readonly and modify); it expires after an hour on the emulator's clock.
   */
  mintToken(options: { emailAddress?: string; scopes?: string[] } = {}): string {
    const emailAddress = options.emailAddress ?? DEFAULT_GMAIL_ADDRESS;
    this.state.mailbox(emailAddress);
    return this.keys.issue({
      scopes: options.scopes ?? [GMAIL_SCOPES.send, GMAIL_SCOPES.readonly, GMAIL_SCOPES.modify],
      subject: { emailAddress },
      clientId: this.oauthClient.clientId,
    }).accessToken;
  }

  /** The token stops working at once (401), as when the user removes the app's access. False if unknown. */
  revokeToken(token: string): boolean {
    return this.keys.revoke(token);
  }

  /** Every refresh token stops working (the token endpoint answers `invalid_grant`). */
  invalidateRefreshTokens(): void {
    this.keys.revokeRefreshTokens(() => true);
  }

  /** Mail arriving in a mailbox from outside: the raw RFC 2822 text, labelled INBOX and UNREAD. */
  deliver(rfc822: string, emailAddress = DEFAULT_GMAIL_ADDRESS): StoredMessage {
    return this.state
      .mailbox(emailAddress)
      .insert(Buffer.from(rfc822, "utf8").toString("base64url"), ["INBOX", "UNREAD"]);
  }

  /** Forgets a mailbox's history so far: `history.list` from an older `historyId` answers 404. */
  expireHistory(emailAddress = DEFAULT_GMAIL_ADDRESS): void {
    this.state.mailbox(emailAddress).expireHistory();
  }

  /** Gmail's answer to each standard fault (the transport faults are the server's). */
  protected faultAnswer(fault: HttpFault): EmulatorResponse {
    switch (fault) {
      case "unauthorized":
        return invalidCredentials();
      case "forbidden":
        return insufficientPermissions();
      case "not-found":
        return notFound();
      case "invalid-input":
        return googleError(400, "invalidArgument", "Invalid id value");
      case "rate-limited":
        return rateLimited(30);
      case "server-error":
        return googleError(500, "backendError", "Backend Error");
      case "bad-gateway":
        return {
          status: 502,
          headers: { "content-type": "text/html; charset=UTF-8" },
          body: "<!DOCTYPE html><html><title>Error 502 (Server Error)!!1</title></html>",
        };
      case "unavailable":
        return googleError(503, "backendError", "The service is currently unavailable.", {
          statusName: "UNAVAILABLE",
        });
    }
  }

  /** At most `perWindow` requests per `windowMs`; beyond that Gmail's 429 `rateLimitExceeded` with `Retry-After`. */
  rateLimit(perWindow: number, windowMs: number): void {
    this.server.faults.rateLimit({ limit: perWindow, windowMs });
  }

  /** Back to empty mailboxes, faults cleared, the request log emptied. Tokens minted so far keep working. */
  async reset(): Promise<void> {
    this.state.reset();
    this.server.clearLog();
    await this.clearFaults();
  }

  private apiRoute(method: string, path: string, need: ScopeNeed, handler: GmailHandler): void {
    this.server.route(method, path, (request) => {
      const info = this.keys.lookup(request.bearer);
      if (!info) return invalidCredentials();
      if (!SCOPES_FOR[need].some((scope) => info.scopes.includes(scope))) return insufficientPermissions();
      const userId = request.params.userId ?? "me";
      const own = info.subject.emailAddress;
      if (userId !== "me" && userId.toLowerCase() !== own.toLowerCase()) {
        return googleError(403, "forbidden", "Delegation denied for " + own);
      }
      const call: GmailCall = {
        request,
        body: jsonBody(request),
        mailbox: this.state.mailbox(own),
        now: this.now(),
        searchIndexLagMs: this.searchIndexLagMs,
      };
      const answer = handler(call);
      return isResponse(answer) ? answer : { status: 200, body: answer };
    });
  }
}

function jsonBody(request: EmulatorRequest): Record<string, unknown> {
  return typeof request.body === "object" && request.body !== null && !Array.isArray(request.body)
    ? (request.body as Record<string, unknown>)
    : {};
}

function isResponse(value: unknown): value is { status: number; body?: unknown } {
  return typeof value === "object" && value !== null && "status" in value && typeof value.status === "number";
}

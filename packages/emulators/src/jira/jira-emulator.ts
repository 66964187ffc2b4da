import { randomBytes, randomUUID } from "node:crypto";
import type { ProviderEmulator } from "@autoflow/core";
import { clockFromOptions, type EmulatorClock } from "../shared/emulator-clock";
import { EmulatorServer } from "../shared/emulator-server";
import { HttpEmulator, type HttpFault } from "../shared/http-emulator";
import { OAuthAuthority, type TokenInfo } from "../shared/oauth-authority";
import { serviceEnv } from "../shared/service-env";
import type { EmulatorResponse } from "../shared/types";
import { isResponse, JIRA_SCOPE_FOR, type JiraHandler, type JiraNeed } from "./jira-api";
import { JiraAuth } from "./jira-auth";
import { jiraFaultAnswer } from "./jira-faults";
import { type JiraSubject, OFFLINE_ACCESS, registerAtlassianOAuthRoutes } from "./jira-oauth";
import { JiraRender } from "./jira-render";
import { DEFAULT_JIRA_USER } from "./jira-seed";
import { jiraDescription, jiraInvalidRequest } from "./jira-spec";
import { JiraState, type StoredIssue } from "./jira-state";
import { type AdminWebhook, type JiraDelivery, type JiraWebhookEvent, JiraWebhooks } from "./jira-webhooks";
import { rateLimited, scopeMismatch, unauthorized } from "./jira-wire";
import { registerIssueExtraRoutes } from "./routes/issue-extra-routes";
import { registerIssueRoutes } from "./routes/issue-routes";
import { registerProjectRoutes } from "./routes/project-routes";
import { registerSearchRoutes } from "./routes/search-routes";
import { registerUserRoutes } from "./routes/user-routes";
import { registerV2Routes } from "./routes/v2-routes";
import { registerWebhookRoutes } from "./routes/webhook-routes";

/** Every scope a token minted without `scopes` has (Jira's classic scopes, and a refresh token). */
export const JIRA_SCOPES = [
  "read:jira-work",
  "write:jira-work",
  "read:jira-user",
  "manage:jira-webhook",
  OFFLINE_ACCESS,
] as const;

/** An access token's lifetime, as Atlassian's (one hour). */
const ACCESS_TOKEN_SECONDS = 3600;

export interface JiraEmulatorOptions {
  port?: number;
  /** Times issues' `created`/`updated`, token expiry, webhook expiry, search visibility and rate-limit windows. */
  clock?: EmulatorClock;
  /** How long a created or changed issue takes to show in search (reads by key see it at once). Default 0. */
  searchVisibilityLagMs?: number;
  /** The site's cloud id (the gateway's `/ex/jira/{cloudId}`). Default a random UUID. */
  cloudId?: string;
  /** How long a webhook receiver has to answer. Default 10 s. */
  deliveryTimeoutMs?: number;
}

/** An API token (Basic auth `email:apiToken`) and the site it works on. */
export interface JiraApiToken {
  email: string;
  apiToken: string;
  siteUrl: string;
}

/**
 * The Jira Cloud platform REST API v3 on 127.0.0.1, for what `@autoflow/jira` calls, with the same state behind
 * two doors: the site (`<url>/rest/api/3/...`, Basic auth with an API token, `GET /_edge/tenant_info`) and the
 * OAuth 2.0 gateway (`<url>/ex/jira/{cloudId}/rest/api/3/...`, Bearer tokens from Atlassian's 3LO flow with
 * rotating refresh tokens, served at `<url>/authorize`, `/oauth/token`, `/oauth/token/accessible-resources`).
 * Projects, issues with comments, properties and links, a workflow with transitions, the enhanced JQL search
 * (eventually consistent: `searchVisibilityLagMs`), `/search` gone (410), admin webhooks (signed) and dynamic
 * webhooks (expiring), Jira's errors and rate limits, fault injection, and every other described operation
 * answered from the description.
 *
 * Tokens: `mintToken()` is an OAuth access token (use it through `gatewayUrl`); `mintApiToken()` is an API token
 * for Basic auth on `siteUrl`.
 */
export class JiraEmulator extends HttpEmulator implements ProviderEmulator {
  readonly server: EmulatorServer;
  readonly state: JiraState;
  readonly webhooks: JiraWebhooks;
  /** Every OAuth token: whose, which scopes, which app. */
  readonly keys: OAuthAuthority<JiraSubject>;
  /** The OAuth 2.0 (3LO) app the emulator knows. */
  readonly oauthClient: { clientId: string; clientSecret: string };
  readonly cloudId: string;
  /** The account the OAuth consent screen consents as. */
  consentAccountId = DEFAULT_JIRA_USER.accountId;
  private readonly auth: JiraAuth;
  private readonly render: JiraRender;
  private readonly now: () => number;

  constructor(options: JiraEmulatorOptions = {}) {
    super();
    const clock = clockFromOptions(options);
    this.now = () => clock.now();
    this.cloudId = options.cloudId ?? randomUUID();
    this.state = new JiraState(this.now, options.searchVisibilityLagMs ?? 0);
    this.render = new JiraRender(this.state, () => this.siteUrl);
    this.webhooks = new JiraWebhooks(this.render, clock, options.deliveryTimeoutMs);
    this.keys = new OAuthAuthority<JiraSubject>({
      accessTokenPrefix: "eyJ",
      refreshTokenPrefix: "eyJr",
      accessTokenTtlSeconds: ACCESS_TOKEN_SECONDS,
      now: this.now,
    });
    this.auth = new JiraAuth(this.keys, this.state, this.gatewayPath);
    this.server = new EmulatorServer({
      name: "jira",
      clock,
      ...(options.port !== undefined && { port: options.port }),
      rateLimitResponse: ({ retryAfterSeconds }) => rateLimited(retryAfterSeconds, this.now()),
      notFoundResponse: () => ({
        status: 404,
        headers: { "content-type": "text/plain;charset=UTF-8" },
        body: "Not Found",
      }),
      spec: {
        description: jiraDescription(),
        prefixes: [this.gatewayPath],
        refuse: (request) => (this.auth.callerOf(request) ? undefined : unauthorized()),
        invalid: jiraInvalidRequest,
        finish: (_request, response) => withRequestId(response),
        requestValidation: "record",
      },
    });
    this.oauthClient = {
      clientId: randomBytes(16)
        .toString("base64url")
        .replace(/[^A-Za-z0-9]/g, "x"),
      clientSecret: `ATOA${randomBytes(32).toString("hex")}`,
    };
    this.keys.registerClient(this.oauthClient.clientId, this.oauthClient.clientSecret);
    const route = (method: string, path: string, need: JiraNeed, handler: JiraHandler) => {
      this.apiRoute(method, path, need, handler);
      this.apiRoute(method, `${this.gatewayPath}${path}`, need, handler);
    };
    registerUserRoutes(route);
    registerProjectRoutes(route, () => this.siteUrl);
    registerIssueRoutes(route);
    registerIssueExtraRoutes(route);
    registerSearchRoutes(route);
    registerWebhookRoutes(route);
    registerV2Routes(route);
    this.server.route("GET", "/_edge/tenant_info", () => ({ status: 200, body: { cloudId: this.cloudId } }));
    registerAtlassianOAuthRoutes({
      keys: this.keys,
      route: (method, path, handler) => this.server.route(method, path, handler),
      consentAccount: () => this.consentAccountId,
      expiresIn: ACCESS_TOKEN_SECONDS,
      site: () => ({ cloudId: this.cloudId, url: this.siteUrl, name: "autoflow-emulator" }),
    });
  }

  /** Stops listening; webhook deliveries still in flight are aborted. */
  override async stop(): Promise<void> {
    await this.webhooks.sender.close();
    await super.stop();
  }

  /** The site (`https://<your-domain>.atlassian.net`): what an API-token client's `host` is. */
  get siteUrl(): string {
    return this.server.url;
  }

  /** The OAuth gateway base for this site (`https://api.atlassian.com/ex/jira/{cloudId}`): an OAuth client's `host`. */
  get gatewayUrl(): string {
    return `${this.server.url}${this.gatewayPath}`;
  }

  private get gatewayPath(): string {
    return `/ex/jira/${this.cloudId}`;
  }

  env(prefix = "AUTOFLOW_JIRA_"): Record<string, string> {
    return serviceEnv(prefix, { apiUrl: this.apiUrl, webUrl: this.webUrl, oauthClient: this.oauthClient });
  }

  /** Every webhook delivery attempt (admin and dynamic), oldest first, with the receiver's answer once it came. */
  get deliveries(): readonly JiraDelivery[] {
    return this.webhooks.sender.log;
  }

  /** Resolves once every delivery sent so far has been answered (or has failed), retries included. */
  awaitDeliveries(): Promise<void> {
    return this.webhooks.sender.settled();
  }

  /** How long a change takes to reach search, from now on. */
  set searchVisibilityLagMs(ms: number) {
    this.state.searchVisibilityLagMs = ms;
  }

  get searchVisibilityLagMs(): number {
    return this.state.searchVisibilityLagMs;
  }

  /**
   * An OAuth access token (use it on `gatewayUrl`) of the emulator's app for `accountId` (default Ada), with
   * `scopes` (default `JIRA_SCOPES`); it expires after an hour on the emulator clock.
   */
  mintToken(options: { accountId?: string; scopes?: string[] } = {}): string {
    return this.mintTokens(options).accessToken;
  }

  /** Like `mintToken`, with the refresh token (which rotates on every refresh) and the expiry. */
  mintTokens(options: { accountId?: string; scopes?: string[] } = {}): TokenInfo<JiraSubject> & {
    refreshToken: string;
  } {
    const info = this.keys.issue({
      scopes: options.scopes ?? [...JIRA_SCOPES],
      subject: { accountId: options.accountId ?? DEFAULT_JIRA_USER.accountId },
      clientId: this.oauthClient.clientId,
    });
    return { ...info, refreshToken: info.refreshToken ?? "" };
  }

  /** An API token for Basic auth on `siteUrl`, of the user with `email` (default Ada; added when unknown). */
  mintApiToken(options: { email?: string; displayName?: string } = {}): JiraApiToken {
    const user = this.state.ensureUser(options.email ?? DEFAULT_JIRA_USER.emailAddress, options.displayName);
    const apiToken = this.auth.mintApiToken(user.accountId);
    return { email: user.emailAddress, apiToken, siteUrl: this.siteUrl };
  }

  /** An OAuth access token or an API token stops working at once (401). False if unknown. */
  revokeToken(token: string): boolean {
    return this.keys.revoke(token) || this.auth.revokeApiToken(token);
  }

  /** Every refresh token stops working (the token endpoint answers `invalid_grant`), as when the user revokes the app. */
  invalidateRefreshTokens(): void {
    this.keys.revokeRefreshTokens(() => true);
  }

  /** Adds an admin webhook (Jira settings, not the API): signed with `secret` when given. */
  addAdminWebhook(webhook: {
    url: string;
    secret?: string;
    events: JiraWebhookEvent[];
    jqlFilter?: string;
  }): AdminWebhook {
    return this.webhooks.addAdmin(webhook);
  }

  /** An issue as the site has it now (by key or id), for tests. */
  issue(idOrKey: string): StoredIssue | undefined {
    return this.state.issue(idOrKey);
  }

  /**
   * Creates an issue as a user would in Jira's UI (webhooks fire; search sees it after the lag), for tests and
   * `--seed`: in `projectKey` (default OPS), a Task.
   */
  createIssue(summary: string, options: { projectKey?: string; description?: string } = {}): StoredIssue {
    const issue = this.state.createIssue({
      projectKey: options.projectKey ?? "OPS",
      issueTypeId: "10001",
      summary,
      reporterAccountId: DEFAULT_JIRA_USER.accountId,
      ...(options.description !== undefined && {
        description: {
          type: "doc",
          version: 1,
          content: [{ type: "paragraph", content: [{ type: "text", text: options.description }] }],
        },
      }),
    });
    this.webhooks.issueCreated(issue, this.state.user(DEFAULT_JIRA_USER.accountId));
    return issue;
  }

  /** Jira's answer to each standard fault (the transport faults are the server's). */
  protected faultAnswer(fault: HttpFault): EmulatorResponse {
    return jiraFaultAnswer(fault, this.now());
  }

  /** At most `perWindow` requests per `windowMs`; beyond that Jira's 429 with `Retry-After` and `X-RateLimit-Reset`. */
  rateLimit(perWindow: number, windowMs: number): void {
    this.server.faults.rateLimit({ limit: perWindow, windowMs });
  }

  /** Back to the seeded site, webhooks removed, faults cleared, the request log emptied. Tokens keep working. */
  async reset(): Promise<void> {
    this.state.reset();
    await this.webhooks.reset();
    this.server.clearLog();
    await this.clearFaults();
  }

  private apiRoute(method: string, path: string, need: JiraNeed, handler: JiraHandler): void {
    this.server.route(method, path, (request) => {
      const caller = this.auth.callerOf(request);
      if (!caller) return unauthorized();
      if (caller.scopes && !caller.scopes.includes(JIRA_SCOPE_FOR[need])) return scopeMismatch();
      const body =
        typeof request.body === "object" && request.body !== null && !Array.isArray(request.body)
          ? (request.body as Record<string, unknown>)
          : {};
      const answer = handler({
        request,
        body,
        caller,
        state: this.state,
        render: this.render,
        webhooks: this.webhooks,
        now: this.now(),
      });
      return withRequestId(isResponse(answer) ? answer : { status: 200, body: answer });
    });
  }
}

/** Jira's request id header, on every answer past the auth check. */
function withRequestId(response: EmulatorResponse): EmulatorResponse {
  return { ...response, headers: { "x-arequestid": randomBytes(8).toString("hex"), ...response.headers } };
}

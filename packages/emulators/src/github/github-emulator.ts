import { randomBytes, randomUUID } from "node:crypto";
import type { ProviderEmulator } from "@autoflow/core";
import { clockFromOptions, type EmulatorClock } from "../shared/emulator-clock";
import { EmulatorServer } from "../shared/emulator-server";
import { HttpEmulator, type HttpFault } from "../shared/http-emulator";
import { OAuthAuthority } from "../shared/oauth-authority";
import { serviceEnv } from "../shared/service-env";
import type { EmulatorRequest, EmulatorResponse, RouteHandler } from "../shared/types";
import type { ApiHandler, ApiRegistrar, GithubSubject } from "./api-context";
import { GITHUB_FORMATS, githubDescription, githubInvalidRequest } from "./github-spec";
import { type GithubRepo, GithubState } from "./github-state";
import {
  badCredentials,
  githubError,
  missingScope,
  notFound,
  primaryRateLimited,
  secondaryRateLimited,
  type Urls,
  validationFailed,
} from "./github-wire";
import { registerGitRoutes } from "./routes/git-routes";
import { registerIssueRoutes } from "./routes/issue-routes";
import { registerOAuthRoutes } from "./routes/oauth-routes";
import { registerPullRoutes } from "./routes/pull-routes";
import { registerRepoRoutes } from "./routes/repo-routes";
import { registerStarRoutes } from "./routes/star-routes";
import {
  DEFAULT_DELIVERY_TIMEOUT_MS,
  type GithubDelivery,
  type GithubManualDelivery,
  GithubWebhookDeliveries,
} from "./webhook-deliveries";

/** The GitHub Enterprise Server API prefix; every REST route answers at the root and under it. */
export const GHES_API_PREFIX = "/api/v3";

/** Scopes a minted token gets unless told otherwise. */
export const DEFAULT_GITHUB_SCOPES = ["repo", "admin:repo_hook", "read:user", "user:email"];

const CORE_LIMIT = 5_000;
const HOUR_MS = 3_600_000;
// Persistent faults stay until clearFaults(): "fail the next N" with N as large as it gets.
const UNTIL_CLEARED = Number.MAX_SAFE_INTEGER;

export interface GithubEmulatorOptions {
  port?: number;
  /** Times rate-limit windows and budgets, token expiry, timestamps in answers and deliveries. Default the wall clock. */
  clock?: EmulatorClock;
  /** @deprecated Use `clock`. */
  now?: () => number;
  /** How long a webhook receiver has to answer a delivery. Default 10 s, as on GitHub. */
  deliveryTimeoutMs?: number;
  /**
   * A request to a stateful route that breaks GitHub's description: `refuse` (default) answers GitHub's 422/400/404,
   * `record` only adds it to `requestViolations`. Described operations without a route are always refused.
   */
  requestValidation?: "refuse" | "record";
  /** How long an edited issue stays out of `since` issue listings (eventual consistency). Default 0. */
  sinceListingLagMs?: number;
}

/** An OAuth app registered with the emulator. */
export interface GithubOAuthApp {
  clientId: string;
  clientSecret: string;
}

/**
 * GitHub's REST v3 API on 127.0.0.1 for the endpoints AutoFlow's tasks and lifecycle use, with state
 * that behaves (created issues read back, merged pulls move the base branch), GitHub's error bodies and
 * rate-limit headers, the OAuth web flow, a GHES `/api/v3` prefix, and fault injection.
 * Seeded with user `octocat`, organization `octo-org` and repository `octo-org/hello` (branches `main`, `feature`).
 */
export class GithubEmulator extends HttpEmulator implements ProviderEmulator {
  readonly server: EmulatorServer;
  readonly state: GithubState;
  readonly oauth: OAuthAuthority<GithubSubject>;
  /** The OAuth app every emulator knows from the start. */
  readonly oauthApp: GithubOAuthApp = {
    clientId: "Iv1.emulator0000000",
    clientSecret: "emulator-client-secret-0000",
  };
  /** The webhook delivery agent: state changes become signed POSTs to the repositories' hooks. */
  readonly webhooks: GithubWebhookDeliveries;
  private readonly clients = new Map<string, string>();
  private readonly budgets = new Map<string, { windowStart: number; used: number }>();
  private readonly now: () => number;

  constructor(options: GithubEmulatorOptions = {}) {
    super();
    const clock = clockFromOptions(options);
    this.now = () => clock.now();
    this.state = new GithubState(this.now);
    this.state.sinceListingLagMs = options.sinceListingLagMs ?? 0;
    this.webhooks = new GithubWebhookDeliveries(
      this.state,
      options.deliveryTimeoutMs ?? DEFAULT_DELIVERY_TIMEOUT_MS,
      clock,
    );
    this.oauth = new OAuthAuthority<GithubSubject>({ accessTokenPrefix: "gho_", now: this.now });
    this.server = new EmulatorServer({
      name: "github",
      clock,
      ...(options.port !== undefined && { port: options.port }),
      rateLimitResponse: ({ retryAfterSeconds }) => secondaryRateLimited(403, retryAfterSeconds),
      notFoundResponse: () => notFound(),
      spec: {
        description: githubDescription(),
        formats: GITHUB_FORMATS,
        prefixes: [GHES_API_PREFIX],
        refuse: (request) => this.refusal(request),
        invalid: githubInvalidRequest,
        finish: (request, response) => {
          const token = this.oauth.lookup(request.bearer ?? "");
          return token
            ? withHeaders(response, this.headersFor(token.accessToken, token.scopes, []))
            : response;
        },
        ...(options.requestValidation && { requestValidation: options.requestValidation }),
      },
    });
    this.registerOAuthApp(this.oauthApp);
    const api: ApiRegistrar = (method, path, scopes, handler) =>
      this.apiRoute(method, path, this.authenticated(scopes, handler));
    registerRepoRoutes(api);
    registerIssueRoutes(api);
    registerPullRoutes(api);
    registerGitRoutes(api);
    registerStarRoutes(api);
    registerOAuthRoutes({
      oauth: this.oauth,
      state: this.state,
      clients: this.clients,
      route: (method, path, handler) => this.server.route(method, path, handler),
      apiRoute: (method, path, handler) => this.apiRoute(method, path, handler),
      apiBase: (request) => this.urlsFor(request),
    });
  }

  /**
   * Test control: removes a repository hook behind the service's back (someone deleted it in the settings).
   * `false` when there was no such hook.
   */
  deleteHook(fullName: string, hookId: number): boolean {
    const repo = this.repoNamed(fullName);
    const index = repo.hooks.findIndex((h) => h.id === hookId);
    if (index < 0) return false;
    repo.hooks.splice(index, 1);
    return true;
  }

  /** Test control: turns a repository hook off (GitHub disables hooks that keep failing); it then delivers nothing. */
  deactivateHook(fullName: string, hookId: number): boolean {
    const found = this.repoNamed(fullName).hooks.find((h) => h.id === hookId);
    if (!found) return false;
    found.active = false;
    return true;
  }

  /** Stops listening; webhook deliveries still in flight are aborted (and logged as such). */
  override async stop(): Promise<void> {
    await this.webhooks.abort();
    await super.stop();
  }

  /** The variables that point the connection service at this emulator: API and web URLs, and the OAuth app. */
  env(prefix = "AUTOFLOW_GITHUB_"): Record<string, string> {
    return serviceEnv(prefix, { apiUrl: this.apiUrl, webUrl: this.webUrl, oauthClient: this.oauthApp });
  }

  /** The GHES-style API base URL (`<url>/api/v3`). */
  get enterpriseApiUrl(): string {
    return `${this.server.url}${GHES_API_PREFIX}`;
  }

  /** Every webhook delivery attempt, oldest first, with the receiver's answer once it came. */
  get deliveries(): readonly GithubDelivery[] {
    return this.webhooks.log;
  }

  /** GitHub's "Redeliver": the same delivery id and body POSTed `times` more; resolves when answered. */
  redeliver(deliveryId: string, times = 1): Promise<GithubDelivery[]> {
    return this.webhooks.redeliver(deliveryId, times);
  }

  /** A hand-made delivery to a hook: any event, a spoiled signature, a reused delivery id; resolves when answered. */
  sendDelivery(hookId: number, delivery: GithubManualDelivery): Promise<GithubDelivery> {
    return this.webhooks.sendDelivery(hookId, delivery);
  }

  /** `count` distinct deliveries to a hook at once; resolves when all are answered. */
  sendBurst(
    hookId: number,
    burst: { event: string; count: number; payload: (index: number) => Record<string, unknown> },
  ): Promise<GithubDelivery[]> {
    return this.webhooks.sendBurst(hookId, burst);
  }

  /** Resolves once every delivery sent so far has been answered (or has failed). */
  awaitDeliveries(): Promise<void> {
    return this.webhooks.settle();
  }

  registerOAuthApp(app: GithubOAuthApp): void {
    this.clients.set(app.clientId, app.clientSecret);
    this.oauth.registerClient(app.clientId, app.clientSecret);
  }

  /**
   * A token that works at once. Without `clientId` it is a personal access token (`ghp_`); with one it is
   * that OAuth app's user token (`gho_`), which the app can check and revoke.
   */
  mintToken(options: { login?: string; scopes?: string[]; clientId?: string } = {}): string {
    const login = options.login ?? "octocat";
    if (!this.state.accounts.has(login.toLowerCase())) throw new Error(`no GitHub account "${login}"`);
    return this.oauth.issue({
      scopes: options.scopes ?? DEFAULT_GITHUB_SCOPES,
      subject: { login },
      ...(options.clientId !== undefined
        ? { clientId: options.clientId }
        : { accessToken: `ghp_${randomBytes(20).toString("hex")}` }),
    }).accessToken;
  }

  /** A new branch of `owner/name` with one commit on top of the default branch; returns its sha. */
  createBranch(fullName: string, branch: string): string {
    const [owner = "", name = ""] = fullName.split("/");
    const repo = this.state.repo(owner, name);
    if (!repo) throw new Error(`no repository "${fullName}"`);
    return this.state.createBranch(repo, branch);
  }

  /** GitHub's answer to each standard fault (the transport faults are the server's). */
  protected faultAnswer(fault: HttpFault): EmulatorResponse {
    switch (fault) {
      case "unauthorized":
        return badCredentials();
      case "forbidden":
        return missingScope(["repo"]);
      case "not-found":
        return notFound();
      case "invalid-input":
        return validationFailed("Issue", "title", "missing_field");
      case "rate-limited":
        return secondaryRateLimited(429, 30);
      case "server-error":
        return githubError(500, "Server Error");
      case "bad-gateway":
        // GitHub's edge answers 502 with an HTML page, not JSON.
        return {
          status: 502,
          headers: { "content-type": "text/html; charset=utf-8" },
          body: "<html><body><h1>502 Bad Gateway</h1></body></html>",
        };
      case "unavailable":
        return githubError(503, "Service Unavailable");
    }
  }

  /** The primary rate limit: every request answers 403 with `x-ratelimit-remaining: 0` until the reset, or `clearFaults()`. */
  primaryRateLimit(options: { resetInSeconds: number }): { resetEpochSeconds: number } {
    const resetEpochSeconds = Math.ceil(this.now() / 1000) + options.resetInSeconds;
    this.server.faults.failNext(UNTIL_CLEARED, primaryRateLimited(CORE_LIMIT, resetEpochSeconds));
    return { resetEpochSeconds };
  }

  /** At most `perWindow` requests per `windowMs`; beyond that GitHub's secondary limit (403 + `retry-after`). */
  rateLimit(perWindow: number, windowMs: number): void {
    this.server.faults.rateLimit({ limit: perWindow, windowMs });
  }

  /** The OAuth app every emulator knows from the start (`oauthApp`), under the name every emulator uses. */
  get oauthClient(): GithubOAuthApp {
    return this.oauthApp;
  }

  /** The token stops working at once (401 Bad credentials), as when it is deleted on GitHub. False if unknown. */
  revokeToken(token: string): boolean {
    return this.oauth.revoke(token);
  }

  /**
   * Back to the seeded state between tests: repositories, issues, pulls, hooks and accounts created since are gone,
   * faults cleared, the request log and rate-limit budgets emptied. Tokens minted so far keep working; the delivery
   * log is kept.
   */
  async reset(): Promise<void> {
    this.state.reset();
    this.budgets.clear();
    this.server.clearLog();
    await this.clearFaults();
  }

  private repoNamed(fullName: string): GithubRepo {
    const [owner = "", name = ""] = fullName.split("/");
    const repo = this.state.repo(owner, name);
    if (!repo) throw new Error(`GithubEmulator: no repository ${fullName}`);
    return repo;
  }

  private apiRoute(method: string, path: string, handler: RouteHandler): void {
    this.server.route(method, path, handler);
    this.server.route(method, `${GHES_API_PREFIX}${path}`, handler);
  }

  private urlsFor(request: EmulatorRequest): Urls {
    const root = this.server.url;
    return { api: request.path.startsWith(GHES_API_PREFIX) ? `${root}${GHES_API_PREFIX}` : root, web: root };
  }

  /** Token check, scope check, and GitHub's headers on every answer. */
  private authenticated(scopes: string[], handler: ApiHandler): RouteHandler {
    return (request) => {
      const refused = this.refusal(request);
      const token = this.oauth.lookup(request.bearer ?? "");
      const user = token && this.state.accounts.get(token.subject.login.toLowerCase());
      if (refused || !token || !user) return refused ?? badCredentials();
      const headers = this.headersFor(token.accessToken, token.scopes, scopes);
      if (scopes.length > 0 && !scopes.some((s) => token.scopes.includes(s))) {
        return withHeaders(missingScope(scopes), headers);
      }
      return withHeaders(
        handler(request, {
          state: this.state,
          user,
          token,
          urls: this.urlsFor(request),
          webhooks: this.webhooks,
        }),
        headers,
      );
    };
  }

  /** GitHub's 401 for a request without a token or with one it does not know; undefined when the token is good. */
  private refusal(request: EmulatorRequest): EmulatorResponse | undefined {
    const requestId = { "x-github-request-id": randomUUID().toUpperCase() };
    if (!request.bearer) return withHeaders(githubError(401, "Requires authentication"), requestId);
    const token = this.oauth.lookup(request.bearer);
    if (!token || !this.state.accounts.has(token.subject.login.toLowerCase())) {
      return withHeaders(badCredentials(), requestId);
    }
    return undefined;
  }

  /** The headers of an authenticated answer, spending one request of the token's budget. */
  private headersFor(accessToken: string, tokenScopes: string[], accepted: string[]): Record<string, string> {
    return {
      "x-github-request-id": randomUUID().toUpperCase(),
      "x-github-media-type": "github.v3; format=json",
      "x-oauth-scopes": tokenScopes.join(", "),
      "x-accepted-oauth-scopes": accepted.join(", "),
      ...this.spend(accessToken),
    };
  }

  /** One request from the token's hourly core budget, as `x-ratelimit-*` headers. */
  private spend(token: string): Record<string, string> {
    const now = this.now();
    let budget = this.budgets.get(token);
    if (!budget || now - budget.windowStart >= HOUR_MS) {
      budget = { windowStart: now, used: 0 };
      this.budgets.set(token, budget);
    }
    budget.used = Math.min(CORE_LIMIT, budget.used + 1);
    return {
      "x-ratelimit-limit": String(CORE_LIMIT),
      "x-ratelimit-remaining": String(CORE_LIMIT - budget.used),
      "x-ratelimit-used": String(budget.used),
      "x-ratelimit-reset": String(Math.ceil((budget.windowStart + HOUR_MS) / 1000)),
      "x-ratelimit-resource": "core",
    };
  }
}

function withHeaders(response: EmulatorResponse, headers: Record<string, string>): EmulatorResponse {
  return { ...response, headers: { ...headers, ...response.headers } };
}

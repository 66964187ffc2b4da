import type { ActionRegistry, TriggerRegistry } from "@autoflow/actions";
import type { ConnectorLifecycle } from "@autoflow/core";
import { integrationRegistry, triggerRegistry } from "@autoflow/providers";
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { DeadLetterService } from "../deliveries/dead-letters";
import type { JobRunService } from "../job-runs";
import type { Logger } from "../logger";
import type { TriggerHealthService } from "../triggers/trigger-health-service";
import type { WorkflowService } from "../workflow-service";
import type { BrowserSessions } from "./browser-session";
import { createCatalogRoutes } from "./catalog-routes";
import { createDashboardRoutes } from "./dashboard-routes";
import { createDeliveryRoutes } from "./delivery-routes";
import { errorResponse } from "./error-response";
import { createJobRunRoutes } from "./job-run-routes";
import { createProviderRoutes } from "./provider-routes";
import { type JsonBodyOptions, parseBody } from "./read-json";
import { refuseNulInUrl } from "./refuse-nul-in-url";
import { requestUserId, type UserEnv } from "./request-user";
import { createRunEventStreams, type RunEventStreams } from "./run-event-stream";
import { completeOAuthBody, connectApiKeyBody, connectionIdParam, describeZodError } from "./schemas";
import { createSessionRoutes } from "./session-routes";
import { createTriggerRoutes } from "./trigger-routes";
import type { UserVerifier } from "./user-auth";
import { createWebhookRoutes, type WebhookRoutesOptions } from "./webhook-routes";
import { createWorkflowRoutes } from "./workflow-routes";

/** Every provider the service serves, by slug (the provider list's ids). */
export type ProviderLifecycles = Readonly<Record<string, ConnectorLifecycle<string, object>>>;

export interface AppOptions {
  providers: ProviderLifecycles;
  verifyUser: UserVerifier;
  /**
   * Where the browser lands after the OAuth callback (a URL, or a path on this service), with `provider` and
   * `connectionId` added to its query. When unset: the dashboard's `/connections` for a browser signed in to
   * the dashboard, else the JSON connection.
   */
  oauthSuccessRedirect?: string;
  /** The service's scrubbing logger: one line per request (path only, never the query) and each 5xx's cause. */
  log?: Logger;
  /** Serves `POST /api/webhooks/:provider[/:connectionId]` when set. */
  webhooks?: WebhookRoutesOptions;
  /** Serves `POST /api/workflows`, `POST /api/workflows/:id/runs` and `GET /api/runs/:id` when set. */
  workflows?: WorkflowService;
  /** Serves `GET /api/deliveries?status=dead` and `POST /api/deliveries/:id/retry` when set. */
  deliveries?: DeadLetterService;
  /** Request bodies nesting deeper than this (and webhook payloads) are a 400. Default 64. */
  maxJsonDepth?: number;
  /**
   * Serves `GET /api/triggers` and `GET /api/triggers/:id` when set, and adds the user's trigger counts
   * (`triggers: { ok, degraded, down }`) to the connection health envelope.
   */
  triggers?: TriggerHealthService;
  /** Told after a connection was created or removed (the service registers or removes the hooks it needs). */
  onConnectionsChanged?: () => void;
  /**
   * What `GET /api/catalog/actions` and `/api/catalog/triggers` list. Default the provider list's
   * `integrationRegistry` and `triggerRegistry`, what workflows may name.
   */
  catalog?: { actions: ActionRegistry; triggers: TriggerRegistry };
  /**
   * Why a `siteUrl` given with an API key may not be called (a loopback, private or metadata address), or
   * `undefined` when it may; the connection is then refused with a 400. Default: every `siteUrl` is refused.
   */
  siteUrlRefusal?: (provider: string, siteUrl: string) => Promise<string | undefined>;
  /**
   * The dashboard's browser sessions: with them, `/auth/sign-in`, `/auth/sign-out` and `GET /api/session` are
   * served and every `/api/*` route also accepts the session cookie (with its CSRF token and a same-origin
   * `Origin` on state-changing requests).
   */
  sessions?: BrowserSessions;
  /** Serves the code jobs' runs (`GET /api/job-runs`, one with its tasks, live, cancel) when set. */
  jobRuns?: JobRunService;
  /**
   * Serves `GET /api/runs/:id/events` and `/api/job-runs/:id/events` (its owner closes them before the stores).
   * Default: streams of their own, with the default poll and bounds.
   */
  runEvents?: RunEventStreams;
  /** The built dashboard (`dashboardAssetsDir()` of `@autoflow/dashboard`), served at `/` when it holds a build. */
  dashboardAssetsDir?: string;
}

type Env = { Variables: UserEnv["Variables"] & { lifecycle: ConnectorLifecycle<string, object> } };

const invalid = (message: string) => ({ error: { code: "invalid_request", message } });

/**
 * The spec-003 HTTP API: OAuth start/callback, API-key connections, list, test, health, revoke; with
 * `webhooks`, the signed webhook intake; with `workflows`, workflows and their runs.
 */
export function createApp(options: AppOptions): Hono<Env> {
  const app = new Hono<Env>();
  const log = options.log;
  const json: JsonBodyOptions = options.maxJsonDepth === undefined ? {} : { maxDepth: options.maxJsonDepth };

  if (log) {
    app.use(async (c, next) => {
      const started = performance.now();
      await next();
      // The path only: the callback's query carries the OAuth code and state.
      const line = `${c.req.method} ${c.req.path} ${c.res.status} ${Math.round(performance.now() - started)}ms`;
      if (c.res.status >= 500) log.error(line);
      else log.info(line);
    });
  }

  app.onError((error, c) => {
    const { status, body, headers } = errorResponse(error);
    if (status >= 500 && log) {
      const cause = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      log.error(`${c.req.method} ${c.req.path} -> ${status}: ${cause}`);
    }
    return c.json(body, status, headers);
  });
  app.notFound((c) => c.json({ error: { code: "not_found", message: "Not found" } }, 404));
  app.use(refuseNulInUrl);
  app.get("/healthz", (c) => c.json({ ok: true }));

  const dashboard = options.dashboardAssetsDir && createDashboardRoutes(options.dashboardAssetsDir);
  const { sessions } = options;
  if (sessions) {
    // A browser's session cookie stands for its user on every API route, unless a bearer token is sent; a
    // state-changing request must also prove it comes from the dashboard (CSRF token, same-origin Origin).
    app.use("/api/*", async (c, next) => {
      if (c.req.header("authorization") === undefined && !c.req.path.startsWith("/api/webhooks/")) {
        const session = await sessions.read(c);
        if (session) {
          sessions.checkCsrf(c, session);
          c.set("sessionUserId", session.userId);
        }
      }
      await next();
    });
    app.route("/", createSessionRoutes({ sessions, verifyUser: options.verifyUser }));
  }

  const api = new Hono<Env>();
  api.use(bodyLimit({ maxSize: 64 * 1024, onError: (c) => c.json(invalid("Body too large"), 413) }));
  api.use("/:provider/*", async (c, next) => {
    const lifecycle = options.providers[c.req.param("provider") ?? ""];
    if (!lifecycle) return c.json({ error: { code: "unknown_provider", message: "Unknown provider" } }, 404);
    c.set("lifecycle", lifecycle);
    // The OAuth callback is a browser redirect with no user token: the state binds it to the user.
    if (!c.req.path.endsWith("/oauth/callback")) c.set("userId", await requestUserId(c, options.verifyUser));
    await next();
  });

  api.post("/:provider/oauth/start", async (c) =>
    c.json(await c.var.lifecycle.beginOAuthStored(c.var.userId)),
  );

  api.get("/:provider/oauth/callback", async (c) => {
    const parsed = completeOAuthBody.safeParse({ code: c.req.query("code"), state: c.req.query("state") });
    if (!parsed.success) return c.json(invalid(describeZodError(parsed.error)), 400);
    const { connection, created } = await c.var.lifecycle.completeOAuthOnce(parsed.data);
    options.onConnectionsChanged?.();
    // A browser signed in to the dashboard (its SameSite=Lax cookie comes along on the provider's redirect) goes
    // back to the dashboard; an API client that started the flow gets the connection as JSON.
    const redirect =
      options.oauthSuccessRedirect ??
      (dashboard && (await options.sessions?.read(c)) ? "/connections" : undefined);
    if (redirect) {
      // A path is on this service; a URL is taken as it is.
      const target = new URL(redirect, c.req.url);
      target.searchParams.set("provider", c.req.param("provider"));
      target.searchParams.set("connectionId", connection.id);
      return c.redirect(target.toString(), 302);
    }
    return c.json(connection, created ? 201 : 200);
  });

  api.post("/:provider/oauth/complete", async (c) => {
    const parsed = await parseBody(c.req.raw, completeOAuthBody, json);
    if (!parsed.ok) return c.json(invalid(parsed.message), 400);
    // The same account connected again (a new consent, a repaired connection) answers its connection (200).
    const { connection, created } = await c.var.lifecycle.completeOAuthOnce({
      ...parsed.data,
      userId: c.var.userId,
    });
    options.onConnectionsChanged?.();
    return c.json(connection, created ? 201 : 200);
  });

  // The same token for an account the user already connected answers that connection (200), not a second one.
  api.post("/:provider/connections", async (c) => {
    const parsed = await parseBody(c.req.raw, connectApiKeyBody, json);
    if (!parsed.ok) return c.json(invalid(parsed.message), 400);
    const { siteUrl } = parsed.data;
    if (siteUrl !== undefined) {
      const refused = options.siteUrlRefusal
        ? await options.siteUrlRefusal(c.req.param("provider"), siteUrl)
        : "this service takes no site URLs";
      if (refused) return c.json(invalid(`siteUrl: ${refused}`), 400);
    }
    const { connection, created } = await c.var.lifecycle.connectApiKeyOnce({
      userId: c.var.userId,
      ...parsed.data,
    });
    if (!created) return c.json(connection, 200);
    options.onConnectionsChanged?.();
    return c.json(connection, 201);
  });

  api.get("/:provider/connections", async (c) => c.json(await c.var.lifecycle.listConnections(c.var.userId)));

  api.post("/:provider/connections/:id/test", async (c) => {
    const id = connectionIdParam.safeParse(c.req.param("id"));
    if (!id.success) return c.json(invalid("id: must be a connection id"), 400);
    return c.json(await c.var.lifecycle.testConnection(c.var.userId, id.data));
  });

  api.get("/:provider/health", async (c) => {
    const health = await c.var.lifecycle.health(c.var.userId);
    if (!options.triggers) return c.json(health);
    // Additive: how the user's triggers on this provider are doing.
    return c.json({
      ...health,
      triggers: await options.triggers.summary(c.var.userId, c.req.param("provider")),
    });
  });

  api.delete("/:provider/connections/:id", async (c) => {
    const id = connectionIdParam.safeParse(c.req.param("id"));
    if (!id.success) return c.json(invalid("id: must be a connection id"), 400);
    const removed = await c.var.lifecycle.disconnect(c.var.userId, id.data);
    if (removed) options.onConnectionsChanged?.();
    return removed
      ? c.body(null, 204)
      : c.json({ error: { code: "not_found", message: "No such connection" } }, 404);
  });

  app.route("/api/integrations", api);
  if (options.webhooks) {
    const { maxJsonDepth } = options;
    const webhooks = { ...(maxJsonDepth !== undefined && { maxJsonDepth }), ...options.webhooks };
    app.route("/api/webhooks", createWebhookRoutes(webhooks));
  }
  // One set of live streams, so the per-user bound counts workflow and job runs together.
  const streams = options.runEvents ?? createRunEventStreams();
  if (options.workflows) {
    app.route(
      "/api",
      createWorkflowRoutes({ service: options.workflows, verifyUser: options.verifyUser, json, streams }),
    );
  }
  if (options.jobRuns) {
    app.route(
      "/api",
      createJobRunRoutes({ service: options.jobRuns, verifyUser: options.verifyUser, streams }),
    );
  }
  app.route("/api", createProviderRoutes({ providers: options.providers, verifyUser: options.verifyUser }));
  const catalog = options.catalog ?? { actions: integrationRegistry, triggers: triggerRegistry };
  app.route("/api", createCatalogRoutes({ ...catalog, verifyUser: options.verifyUser }));
  if (options.triggers) {
    app.route("/api", createTriggerRoutes({ service: options.triggers, verifyUser: options.verifyUser }));
  }
  if (options.deliveries) {
    app.route("/api", createDeliveryRoutes({ service: options.deliveries, verifyUser: options.verifyUser }));
  }
  if (dashboard) app.route("/", dashboard);
  return app;
}

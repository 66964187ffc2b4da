import type { AddressInfo } from "node:net";
import type { ActionProviders, EgressLookup } from "@autoflow/actions";
import {
  type AuthResolver,
  type Clock,
  type Job,
  JobRunner,
  keepsDeadLetters,
  type RunEventListener,
  type RunResult,
  systemClock,
} from "@autoflow/core";
import { dashboardAssetsDir } from "@autoflow/dashboard";
import { registerProviderSecrets } from "@autoflow/providers";
import { serve } from "@hono/node-server";
import type { PoolConfig } from "pg";
import type { ServerConfig } from "./config";
import { createDeadLetterService, type DeadLetterService } from "./deliveries/dead-letters";
import { deliveryUsers } from "./deliveries/delivery-users";
import { createApp } from "./http/app";
import { createBrowserSessions } from "./http/browser-session";
import { holdsDashboardBuild } from "./http/dashboard-routes";
import { createRunEventStreams, type RunEventStreamOptions } from "./http/run-event-stream";
import { siteUrlRefusal } from "./http/site-url-refusal";
import { createUserVerifier } from "./http/user-auth";
import { createJobAuthResolver } from "./job-auth";
import { createJobRunService } from "./job-runs";
import { createLogger, type Logger, runnerLogger } from "./logger";
import { openWorkflowService } from "./open-workflow-service";
import { createProviderLifecycles } from "./providers";
import type { RunQueueTuning } from "./queue/open-run-queue";
import { openStores, type Stores } from "./stores/open-stores";
import { startTriggerService } from "./trigger-service";
import { createSubscriptionScheduler, type SubscriptionScheduler } from "./triggers/subscription-scheduler";
import { createTriggerHealthService, type TriggerHealthService } from "./triggers/trigger-health-service";
import { createWorkflowPollers, type WorkflowPollers } from "./triggers/workflow-pollers";
import { createWebhookVerifiers, WEBHOOK_PROVIDERS, type WebhookProvider } from "./webhooks";

/** Options for `startServer` beyond the environment's configuration. */
export interface StartServerOptions {
  /** Default: a scrubbing logger to stderr that also knows the configured secrets. */
  logger?: Logger;
  /**
   * The interface to listen on. Default: the configuration's `host` (`AUTOFLOW_HOST`), else `127.0.0.1`: this
   * machine only; `0.0.0.0` (all interfaces) is a deliberate choice, e.g. inside a container.
   */
  hostname?: string;
  /** Extra `pg` pool settings (e.g. a test's `search_path`). */
  postgres?: Omit<PoolConfig, "connectionString">;
  /**
   * Where the browser lands after the OAuth callback (a URL or a path here). Default: the dashboard's
   * `/connections` for a browser signed in to it, else the JSON connection.
   */
  oauthSuccessRedirect?: string;
  /** Serve the dashboard at `/` (when `@autoflow/dashboard` holds a build). Default true. */
  dashboard?: boolean;
  /** How live run views poll and bound their streams (a test's short poll). */
  runEvents?: RunEventStreamOptions;
  clock?: Clock;
  /** The jobs triggers start: webhook deliveries from the inbox, polling triggers on their intervals. */
  jobs?: readonly Job[];
  /**
   * The user whose connections supply auth to the jobs' HOSTED integrations (the provider's lifecycle by
   * `integration.metadata.id`). Without it, or with `resolveAuth`, HOSTED integrations get no connection.
   */
  jobsUserId?: string;
  /** Replaces the `jobsUserId` lookup. */
  resolveAuth?: AuthResolver;
  /** Told about every run a trigger started. */
  onTriggerRun?: (job: Job, result: RunResult<unknown>) => void;
  /** Overrides every polling trigger's `intervalMs`. */
  pollIntervalMs?: number;
  /** Default `WEBHOOK_PROVIDERS`: every listed provider with webhooks. */
  webhookProviders?: readonly WebhookProvider[];
  /**
   * Called when a new delivery is in the inbox, before the dispatcher is woken and before the answer is sent;
   * the crash tests exit the process here.
   */
  onWebhookAccepted?: () => void;
  /** Merged over the configuration's action options per provider (e.g. a test's short timeouts and retries). */
  actionProviders?: ActionProviders;
  /**
   * The DNS lookup every egress check resolves with: a `siteUrl` given at connect time, every later request to it,
   * and `http.request` steps (tests answer an inside address for a public name). Default `node:dns`.
   */
  egressLookup?: EgressLookup;
  /** PostgreSQL: pg-boss settings beyond the configuration (a test's fast monitor, its own queue schema). */
  queue?: RunQueueTuning;
  /** Every event of every run this process executes, trigger jobs and workflows (progress displays, metrics). */
  onRunEvent?: RunEventListener;
  /**
   * How often the subscription scheduler wakes on its own to renew, verify and retry (it also runs on every
   * connection or workflow change). Default 60 s; 0 never (a test calls `subscriptions.sync()` on its clock).
   */
  subscriptionTickMs?: number;
  /**
   * How often the service looks for stored workflows' polling triggers that are due (each polls on its own
   * interval, or `pollIntervalMs`). Default 5 s; 0 never (a test calls `workflowPolls.poll()` on its clock).
   */
  workflowPollTickMs?: number;
}

/** A running connection service. */
export interface RunningServer {
  /** The base URL it answers on, e.g. `http://127.0.0.1:3000`. */
  url: string;
  port: number;
  stores: Stores;
  /** The scheduler that keeps the triggers' provider subscriptions alive (`sync` runs one pass now). */
  subscriptions: SubscriptionScheduler;
  /** The triggers' health, as `GET /api/triggers` serves it. */
  triggerHealth: TriggerHealthService;
  /** The stored workflows' polling triggers (`poll` runs one pass now). */
  workflowPolls: WorkflowPollers;
  /** Stops accepting requests, ends open connections, waits for the trigger and workflow runs in progress, closes the stores. */
  close(): Promise<void>;
}

/** The configured secrets the default logger masks even where they have no recognisable shape. */
export function configuredSecrets(config: ServerConfig): string[] {
  const secrets = [
    config.jwt.jwtSecret,
    ...Object.values(config.providers).flatMap((p) => [p.clientSecret, ...(p.webhookSecrets ?? [])]),
  ];
  return secrets.filter((secret): secret is string => Boolean(secret));
}

/**
 * Starts the connection service: opens the stores (migrating them), builds every registered provider's
 * lifecycle and the user verifier, serves the spec-003 HTTP API and the webhook intake on `config.port` (0 picks
 * a free port), and dispatches trigger deliveries to `options.jobs` (at start, on every accepted delivery, and
 * polling triggers on their intervals; stored workflows' polling triggers with their connections). Once listening, it keeps the provider subscriptions the jobs' and stored
 * workflows' triggers need (with their users' connections) on a scheduler: created when a connection or workflow
 * needs one, renewed, verified, re-created, and removed when nothing needs it.
 */
export async function startServer(
  config: ServerConfig,
  options: StartServerOptions = {},
): Promise<RunningServer> {
  // Before anything logs: every listed provider's token shapes are masked from the first line on.
  registerProviderSecrets();
  const logger = options.logger ?? createLogger({ secrets: configuredSecrets(config) });
  const verifyUser = createUserVerifier(config.jwt);
  const stores = await openStores({
    vault: config.vault,
    sqlitePath: config.sqlitePath,
    ...(config.databaseUrl && { databaseUrl: config.databaseUrl }),
    ...(options.postgres && { postgres: options.postgres }),
  });
  const { egressLookup } = options;
  const egress = { policy: config.egress, ...(egressLookup && { lookup: egressLookup }) };
  const providers = createProviderLifecycles(stores.connections, config.providers, {
    ...(options.clock && { clock: options.clock }),
    egress,
  });
  const jobsUserId = options.jobsUserId;
  const resolveAuth: AuthResolver | undefined =
    options.resolveAuth ??
    (jobsUserId === undefined
      ? undefined
      : createJobAuthResolver({ lifecycles: providers, jobsUserId, configs: config.providers, egress }));
  const runner = new JobRunner({
    store: stores.tasks,
    secrets: configuredSecrets(config),
    logger: runnerLogger(logger),
    ...(resolveAuth && { resolveAuth }),
    ...(options.onRunEvent && { onEvent: options.onRunEvent }),
    ...(options.clock && { clock: options.clock }),
  });
  const clock = options.clock ?? systemClock;
  const jobs = options.jobs ?? [];
  // Set once listening (the hooks' URL is known then); health and the change hooks read it through this.
  let scheduler: SubscriptionScheduler | undefined;
  let triggerHealth: TriggerHealthService | undefined;
  const recordEvent = (owner: { jobId: string } | { workflowId: string }) =>
    void triggerHealth
      ?.recordEvent(owner)
      .catch((error: unknown) => logger.warn(`Recording a trigger event failed: ${String(error)}`));
  const workflowService = await openWorkflowService({
    config,
    stores,
    lifecycles: providers,
    runner,
    logger,
    onTriggered: (workflow) => recordEvent({ workflowId: workflow.id }),
    ...(options.queue && { queue: options.queue }),
    ...(options.actionProviders && { actionProviders: options.actionProviders }),
    ...(egressLookup && { egressLookup }),
    ...(options.clock && { clock: options.clock }),
  }).catch(async (error: unknown) => {
    await stores.close();
    throw error;
  });
  // A workflow created, changed or removed may need a hook or a poller, or no longer need one.
  let workflowPolls: WorkflowPollers | undefined;
  const wakeScheduler = () => {
    scheduler?.wake();
    workflowPolls?.wake();
  };
  const workflows: typeof workflowService = {
    ...workflowService,
    async create(userId, definition) {
      const created = await workflowService.create(userId, definition);
      wakeScheduler();
      return created;
    },
    async update(userId, id, definition) {
      const updated = await workflowService.update(userId, id, definition);
      wakeScheduler();
      return updated;
    },
    async remove(userId, id) {
      const removed = await workflowService.remove(userId, id);
      wakeScheduler();
      return removed;
    },
  };
  triggerHealth = createTriggerHealthService({
    jobs,
    ...(jobsUserId !== undefined && { jobsUserId }),
    workflows,
    providers,
    states: stores.triggerStates,
    registrations: stores.webhookSecrets,
    scheduler: () => scheduler,
    ...(options.pollIntervalMs !== undefined && { pollIntervalMs: options.pollIntervalMs }),
    clock,
  });
  const health = triggerHealth;
  // In process (SQLite) this process is the only worker; with PostgreSQL, concurrency 0 makes it API-only.
  if (stores.kind === "sqlite" || config.worker.concurrency > 0) await workflows.work();
  const onTriggerRun = options.onTriggerRun;
  const triggers = startTriggerService({
    inbox: stores.inbox,
    cursors: stores.cursors,
    states: stores.triggerStates,
    runner,
    jobs,
    log: logger,
    onDelivery: async (entry) => {
      await workflows.startFromDelivery(entry);
    },
    beforeBatch: () => workflows.revalidateTriggeredWorkflows(),
    onRun: (job, result) => {
      recordEvent({ jobId: job.id });
      onTriggerRun?.(job, result);
    },
    ...(options.pollIntervalMs !== undefined && { pollIntervalMs: options.pollIntervalMs }),
    ...(config.deliveryMaxAttempts !== undefined && { deliveryMaxAttempts: config.deliveryMaxAttempts }),
    secrets: configuredSecrets(config),
    ...(options.clock && { now: options.clock.now.bind(options.clock) }),
  });
  const pollers = createWorkflowPollers({
    workflows,
    cursors: stores.cursors,
    states: stores.triggerStates,
    clock,
    log: logger,
    secrets: configuredSecrets(config),
    ...(options.pollIntervalMs !== undefined && { pollIntervalMs: options.pollIntervalMs }),
    ...(options.workflowPollTickMs !== undefined && { tickMs: options.workflowPollTickMs }),
  });
  workflowPolls = pollers;
  const deliveries: DeadLetterService | undefined = keepsDeadLetters(stores.inbox)
    ? createDeadLetterService({
        inbox: stores.inbox,
        usersOf: deliveryUsers({
          connections: stores.connections,
          jobs,
          ...(jobsUserId !== undefined && { jobsUserId }),
          workflowUsers: (entry) => workflows.usersForDelivery(entry),
        }),
        onRetried: () => triggers.wake(),
      })
    : undefined;
  const jobRuns = createJobRunService({
    tasks: stores.tasks,
    jobIds: jobs.map((job) => job.id),
    ...(jobsUserId !== undefined && { ownerId: jobsUserId }),
    cancel: (runId) => runner.cancel(runId),
  });
  const assetsDir = dashboardAssetsDir();
  const dashboard = options.dashboard !== false && holdsDashboardBuild(assetsDir) ? assetsDir : undefined;
  const runEvents = createRunEventStreams(options.runEvents);
  const onWebhookAccepted = options.onWebhookAccepted;
  const webhookProviders = options.webhookProviders ?? WEBHOOK_PROVIDERS;
  const app = createApp({
    providers,
    verifyUser,
    siteUrlRefusal: siteUrlRefusal(config.providers, config.egress, egressLookup),
    log: logger,
    workflows,
    triggers: health,
    onConnectionsChanged: wakeScheduler,
    ...(deliveries && { deliveries }),
    ...(config.maxJsonDepth !== undefined && { maxJsonDepth: config.maxJsonDepth }),
    ...(options.oauthSuccessRedirect && { oauthSuccessRedirect: options.oauthSuccessRedirect }),
    jobRuns,
    // Signed with the development JWT secret when there is one (sessions survive a restart), else per process.
    sessions: createBrowserSessions({
      verifyUser,
      store: stores.sessions,
      ...(config.jwt.jwtSecret && { secret: config.jwt.jwtSecret }),
      trustedOrigins: [new URL(config.publicUrl).origin],
      secureCookies: new URL(config.publicUrl).protocol === "https:",
      ...(options.clock && { now: () => new Date(clock.now()) }),
    }),
    ...(dashboard && { dashboardAssetsDir: dashboard }),
    runEvents,
    webhooks: {
      inbox: stores.inbox,
      verifiers: createWebhookVerifiers({
        providers: webhookProviders,
        configs: config.providers,
        connections: stores.connections,
        secrets: stores.webhookSecrets,
      }),
      onAccepted: () => {
        onWebhookAccepted?.();
        triggers.wake();
      },
    },
  });

  const hostname = options.hostname ?? config.host ?? "127.0.0.1";
  let server: ReturnType<typeof serve> | undefined;
  let address: AddressInfo;
  try {
    address = await new Promise<AddressInfo>((resolve, reject) => {
      server = serve({ fetch: app.fetch, port: config.port, hostname }, resolve);
      server.once("error", reject);
    });
  } catch (error) {
    await pollers.close();
    await triggers.close();
    await workflows.close();
    await stores.close();
    throw error;
  }
  const listening = server;
  // A wildcard address is not one to connect to: the URL names this machine's loopback instead.
  const host = hostname === "0.0.0.0" || hostname === "::" ? "127.0.0.1" : hostname;
  const url = `http://${host.includes(":") ? `[${host}]` : host}:${address.port}`;
  logger.info(
    `AutoFlow connection service on ${url} (${stores.kind}; providers: ${Object.keys(providers).join(", ")})`,
  );
  // Once listening: the hooks' URL is known, and the provider's first delivery (a hook's ping) finds the service up.
  const subscriptions = createSubscriptionScheduler({
    wanted: () => health.wanted(),
    providers,
    webhookProviders,
    configs: config.providers,
    connections: stores.connections,
    store: stores.webhookSecrets,
    states: stores.triggerStates,
    baseUrl: config.publicUrlConfigured ? config.publicUrl : url,
    clock,
    log: logger,
    ...(options.subscriptionTickMs !== undefined && { tickMs: options.subscriptionTickMs }),
  });
  scheduler = subscriptions;
  await subscriptions.sync();

  let closing: Promise<void> | undefined;
  return {
    url,
    port: address.port,
    stores,
    subscriptions,
    triggerHealth: health,
    workflowPolls: pollers,
    close() {
      closing ??= (async () => {
        await new Promise<void>((resolve) => {
          if (!listening) return resolve();
          listening.close(() => resolve());
          // Keep-alive sockets would hold close() open until they time out.
          if ("closeAllConnections" in listening) listening.closeAllConnections();
        });
        // After the listener: no new delivery wakes it; the run in progress finishes before the stores close.
        runEvents.close();
        await subscriptions.close();
        await pollers.close();
        await triggers.close();
        await workflows.close();
        await stores.close();
      })();
      return closing;
    },
  };
}

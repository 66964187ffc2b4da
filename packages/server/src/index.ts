/**
 * @module
 * The AutoFlow connection service: the credential vault (AES-256-GCM with key ids and rotation) and the
 * durable stores for connections, OAuth states and the task log, on SQLite (`node:sqlite`) or PostgreSQL (`pg`),
 * the provider registry, the spec-003 HTTP API (`startServer`, `createApp`), the signed webhook intake
 * (`POST /api/webhooks/:provider`) with its durable inbox, the dispatch of trigger runs, and workflows
 * (`/api/workflows`, `/api/runs`) run on the action registry: in process over SQLite, through a pg-boss queue
 * shared by any number of workers (`startWorker`) over PostgreSQL.
 */

export type { ProviderConfig, ServerConfig, WorkerConfig } from "./config";
export { loadServerConfig, ServerConfigError } from "./config";
export { createDevToken } from "./dev-token";
export type { AppOptions, ProviderLifecycles } from "./http/app";
export { createApp } from "./http/app";
export type { ErrorBody } from "./http/error-response";
export { errorResponse } from "./http/error-response";
export type { UserAuthConfig, UserVerifier } from "./http/user-auth";
export { createUserVerifier, UnauthenticatedError } from "./http/user-auth";
export type { WebhookRoutesOptions } from "./http/webhook-routes";
export { createWebhookRoutes } from "./http/webhook-routes";
export type { WorkflowRoutesOptions } from "./http/workflow-routes";
export { createWorkflowRoutes } from "./http/workflow-routes";
export type { JobAuthResolverOptions } from "./job-auth";
export { createJobAuthResolver } from "./job-auth";
export type { Logger, LoggerOptions } from "./logger";
export { createLogger, runnerLogger } from "./logger";
export type { ServiceEgress } from "./provider-egress";
export { createActionProviders, createProviderLifecycles, endpointsOf, PROVIDER_IDS } from "./providers";
export { InProcessRunQueue, type InProcessRunQueueOptions } from "./queue/in-process-run-queue";
export type { RunQueueTuning } from "./queue/open-run-queue";
export { openRunQueue } from "./queue/open-run-queue";
export { PgBossRunQueue, type PgBossRunQueueOptions, WORKFLOW_RUN_QUEUE } from "./queue/pg-boss-run-queue";
export type { RunExecutor, RunOutcome, RunQueue } from "./queue/run-queue";
export type { RunSummary, RunView, StepView } from "./run-view";
export { toRunSummary, toRunView } from "./run-view";
export type { RunningServer, StartServerOptions } from "./server";
export { configuredSecrets, startServer } from "./server";

export type { OpenStoresOptions, Stores } from "./stores/open-stores";
export { openStores } from "./stores/open-stores";
export type { PostgresConnectionStoreOptions } from "./stores/postgres-connection-store";
export { PostgresConnectionStore } from "./stores/postgres-connection-store";
export type { PostgresMigration } from "./stores/postgres-migrations";
export { POSTGRES_MIGRATIONS, runPostgresMigrations } from "./stores/postgres-migrations";
export { PostgresSessionStore } from "./stores/postgres-session-store";
export type { PostgresStoreOptions } from "./stores/postgres-store-options";
export { PostgresTaskStore } from "./stores/postgres-task-store";
export { PostgresTriggerStore } from "./stores/postgres-trigger-store";
export { PostgresWebhookSecretStore } from "./stores/postgres-webhook-secret-store";
export { PostgresWorkflowStore } from "./stores/postgres-workflow-store";
export type { BrowserSessionRecord, SessionStore } from "./stores/session-store";
export { SQLITE_CONNECTION_MIGRATIONS } from "./stores/sqlite-connection-migrations";
export type { SqliteConnectionStoreOptions } from "./stores/sqlite-connection-store";
export { SqliteConnectionStore } from "./stores/sqlite-connection-store";
export type { SqliteSessionStoreOptions } from "./stores/sqlite-session-store";
export { SqliteSessionStore } from "./stores/sqlite-session-store";
export type { SqliteTriggerStoreOptions } from "./stores/sqlite-trigger-store";
export { SqliteTriggerStore } from "./stores/sqlite-trigger-store";
export type { SqliteWebhookSecretStoreOptions } from "./stores/sqlite-webhook-secret-store";
export { SqliteWebhookSecretStore } from "./stores/sqlite-webhook-secret-store";
export { SqliteWorkflowStore } from "./stores/sqlite-workflow-store";
export type {
  WebhookRegistrationRecord,
  WebhookSecretRecord,
  WebhookSecretStore,
} from "./stores/webhook-secret-store";
export type {
  ListRunsFilter,
  WorkflowRecord,
  WorkflowRunRecord,
  WorkflowRunSource,
  WorkflowRunStatus,
  WorkflowStore,
} from "./stores/workflow-store";
export type { TriggerService, TriggerServiceOptions } from "./trigger-service";
export { startTriggerService } from "./trigger-service";
export type {
  ResolvedSubscription,
  SubscriptionScheduler,
  SubscriptionSchedulerOptions,
  WantedSubscription,
} from "./triggers/subscription-scheduler";
export { createSubscriptionScheduler, subscriptionBackoff } from "./triggers/subscription-scheduler";
export type {
  TriggerHealthService,
  TriggerHealthServiceOptions,
  TriggerOwner,
  TriggerSummary,
  TriggerView,
} from "./triggers/trigger-health-service";
export { createTriggerHealthService, triggerApiId } from "./triggers/trigger-health-service";
export type { VaultEnv, VaultOptions } from "./vault/vault";
export { generateVaultKey, Vault, vaultKeyId } from "./vault/vault";
export type { VaultDecryptReason } from "./vault/vault-errors";
export { VaultConfigError, VaultDecryptError } from "./vault/vault-errors";
export type { WebhookProvider, WebhookVerifiers, WebhookVerifiersOptions } from "./webhooks";
export { createWebhookVerifiers, WEBHOOK_PROVIDERS } from "./webhooks";
export type { RunningWorker, StartWorkerOptions } from "./worker";
export { startWorker } from "./worker";
export { createCredentialResolver } from "./workflow-credentials";
export type { WorkflowDefinitionInput, WorkflowService, WorkflowServiceOptions } from "./workflow-service";
export { createWorkflowService, WORKFLOW_JOB_ID } from "./workflow-service";

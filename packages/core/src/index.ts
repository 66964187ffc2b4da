/**
 * @module
 * The AutoFlow integration contract (`TriggerIntegration`, `IO`, `runTask`), its durable runtime
 * (`defineJob`, `JobRunner`, task stores), the spec-003 error taxonomy and the health and connection types.
 * The SQLite task store lives in `@autoflow/core/sqlite`; the contract-test kit in `@autoflow/core/testing`.
 */

export {
  classifyHttpStatus,
  dnsFailureHost,
  errorFromResponse,
  isOutcomeUnknownTransportCode,
  toIntegrationError,
  transportErrorCode,
} from "./classify";
export type {
  ApiKeyConnectParams,
  Tier1ConnectionPublic,
  Tier1ConnectorLifecycle,
  Tier1OAuthStartResult,
} from "./connection";
export type { DisplayProperty } from "./display";
export type {
  IntegrationErrorOptions,
  IntegrationErrorReason,
  IntegrationErrorType,
  SerializedIntegrationError,
} from "./errors";
export {
  INTEGRATION_ERROR_REASONS,
  INTEGRATION_ERROR_TYPES,
  IntegrationError,
  isIntegrationErrorType,
  isRetryable,
  isRetryableErrorType,
} from "./errors";
export type { Tier1ConnectionHealth, Tier1HealthStatus, Tier1TokenRefreshStatus } from "./health";
export type { HeadersLike } from "./http-headers";
export { getHeader } from "./http-headers";
export type {
  ConnectionAuth,
  IntegrationAuthSource,
  IntegrationMetadata,
  IntegrationTaskKey,
  TriggerIntegration,
} from "./integration";
export type {
  IO,
  IOLogger,
  IOTask,
  RedactOptions,
  RunTaskErrorCallback,
  RunTaskErrorDecision,
  RunTaskOptions,
} from "./io";
export type { Json, JsonArray, JsonObject, JsonPrimitive, TaskOutput } from "./json";
export { toJson } from "./json";
export type { JsonParseFailure } from "./json-depth";
export {
  DEFAULT_MAX_JSON_DEPTH,
  exceedsJsonDepth,
  parseJsonWithinDepth,
  valueExceedsJsonDepth,
} from "./json-depth";
export { lifecycleAuthResolver } from "./lifecycle/auth-resolver";
export type { ConnectionStore, OAuthStateRecord, StoredConnection } from "./lifecycle/connection-store";
export { MemoryConnectionStore } from "./lifecycle/connection-store";
export type { ConnectorLifecycleOptions } from "./lifecycle/connector-lifecycle";
export { ConnectorLifecycle } from "./lifecycle/connector-lifecycle";
export { defineProviderLifecycle } from "./lifecycle/define-provider-lifecycle";
export type { ConnectionLifecycleErrorCode } from "./lifecycle/lifecycle-errors";
export { ConnectionLifecycleError } from "./lifecycle/lifecycle-errors";
export type {
  OAuth2,
  OAuth2ClientAuthentication,
  OAuth2ErrorAnswer,
  OAuth2Options,
} from "./lifecycle/oauth2";
export {
  createOAuth2,
  credentialFromTokenResponse,
  DEFAULT_OAUTH2_TIMEOUT_MS,
  oauth2Error,
} from "./lifecycle/oauth2";
export type {
  ApiKeyField,
  OAuthClientConfig,
  ProviderAdapter,
  ProviderCredential,
  ProviderOAuth,
} from "./lifecycle/provider-adapter";
export { maskToken } from "./mask-token";
export type { AuthType, NormalizedAuth } from "./normalized-auth";
export {
  AuthTypeMismatchError,
  assertNormalizedAuth,
  credentialOf,
  toConnectionAuth,
} from "./normalized-auth";
export type {
  AttemptAuth,
  CachedClient,
  ConnectionFields,
  ConnectionMappings,
  DeadlineFetchOptions,
  EmulatedRequest,
  FailedTaskContext,
  InstanceTreeOptions,
  NodeHttpFetchOptions,
  PageWalk,
  PassthroughContext,
  PassthroughNamespaces,
  ProviderAdapterOptions,
  ProviderClientOptions,
  ProviderClientOptionsOf,
  ProviderDefinition,
  ProviderDescription,
  ProviderEmulator,
  ProviderEndpoints,
  ProviderErrorFacts,
  ProviderErrorMapper,
  ProviderErrorTable,
  ProviderIdempotency,
  ProviderIntegrationClass,
  ProviderLifecycleContext,
  ProviderLifecycleFactory,
  ProviderLifecycleOptions,
  ProviderLifecycleParts,
  ProviderManifest,
  ProviderManifestParts,
  ProviderOptions,
  ProviderReconciler,
  ProviderRun,
  ProviderRunTask,
  ProviderSecretShapes,
  ProviderTaskClass,
  ProviderTaskContext,
  ProviderTaskGetters,
  ProviderTaskOptions,
  ProviderTaskRun,
  ProviderWebhooks,
  SdkAnswer,
  SdkMethodAnswer,
  SdkMethodParams,
  SdkMethodTree,
  SdkNamespaceName,
  SdkResultShape,
  SdkTaskMethod,
  SdkTasks,
  StrictParams,
  TaskDisplay,
  WebhookUnregisterContext,
  WithPassthrough,
} from "./provider-kit/index";
export {
  assertPageLimit,
  assertTokenDefined,
  authForAttempt,
  baseUrlOption,
  ClientCache,
  clientOptionsKey,
  collectPages,
  createDeadlineFetch,
  createErrorMapper,
  createNodeHttpFetch,
  DEFAULT_CLIENT_CACHE_SIZE,
  DEFAULT_MAX_RESPONSE_BYTES,
  DEFAULT_REQUEST_TIMEOUT_MS,
  defineProviderManifest,
  describeTaskFailure,
  excerpt,
  instanceMethodTree,
  isReadMethodName,
  MAX_PAGE_WALK_ITEMS,
  methodShape,
  nodeHttpFetch,
  onProviderError,
  optionalProperty,
  ProviderIntegration,
  propertiesOf,
  providerIntegration,
  providerLifecycle,
  ResponseTooLargeError,
  readBoundedResponse,
  registeredTokenShapes,
  registerSecretShapes,
  resourceOf,
  runProviderTask,
  sdkNamespaceNames,
  sdkPassthrough,
  sharedClientCache,
  TaskNamespace,
  tokenForAttempt,
} from "./provider-kit/index";
export type { LearnedRateLimit, RateLimitBucketOptions, RateLimitGrant } from "./rate-limit/index";
export { RateLimitBucket, reportRateLimitHeaders } from "./rate-limit/index";
export { isSecretKeyName, redactSecrets } from "./redact-secrets";
export type { RetryOptions } from "./retry";
export { backoffDelay, canRetry, retry } from "./retry";
export { isRateLimited, parseRateLimitReset, parseRetryAfter, retryAtFromHeaders } from "./retry-after";
export type { Clock } from "./runtime/clock";
export { systemClock } from "./runtime/clock";
export type {
  ConsoleReporter,
  ConsoleReporterOptions,
  ReporterMode,
  ReporterStream,
  ReporterSummary,
} from "./runtime/console-reporter";
export { consoleReporter } from "./runtime/console-reporter";
export { declareSecrets } from "./runtime/declare-secrets";
export type { RunEvent, RunEventListener, TaskEventInfo } from "./runtime/events";
export type {
  ReconcileContext,
  ReconcileResult,
  TaskIdempotency,
  TaskReconciler,
  UnknownOutcomeOptions,
} from "./runtime/idempotency";
export { markerComment, taskMarker } from "./runtime/idempotency";
export type { Job, JobDefinition, JobIntegrations, JobIO, RunContext } from "./runtime/job";
export { defineJob, RESERVED_IO_NAMES } from "./runtime/job";
export { MemoryTaskStore } from "./runtime/memory-task-store";
export type {
  MappingClaim,
  MappingKey,
  MappingRow,
  ResourceMappingStore,
} from "./runtime/resource-mappings";
export { decideClaim, MemoryResourceMappings } from "./runtime/resource-mappings";
export type {
  AuthResolver,
  CancelRunResult,
  JobRunnerOptions,
  RunnerLogger,
  RunOptions,
  RunResult,
} from "./runtime/runner";
export { JobRunner } from "./runtime/runner";
export { REDACTED } from "./runtime/scrubber";
export {
  isCancelSignal,
  isControlFlowSignal,
  RunCancelledSignal,
  RunSuspendedSignal,
} from "./runtime/signals";
export { idempotencyKeyFor, serializeTaskKey } from "./runtime/task-key";
export type { RunRow, RunSummaryRow, TaskRow } from "./runtime/task-rows";
export { rowToRun, rowToRunSummary, rowToTask, toJsonText } from "./runtime/task-rows";
export type {
  ListRunsOptions,
  LoadedRun,
  RunFailedTask,
  RunRecord,
  RunStatus,
  RunSummary,
  TaskAttemptError,
  TaskRecord,
  TaskStatus,
  TaskStore,
} from "./runtime/task-store";
export {
  assertListRunsLimit,
  FINISHED_RUN_STATUSES,
  isFinishedRunStatus,
  MAX_LIST_RUNS_LIMIT,
  runSummary,
  withCancelRequest,
} from "./runtime/task-store";
export { DuplicateTaskKeyError } from "./runtime/usage-errors";
export type { FaultExpectation, StandardFault } from "./testing/standard-faults";
export { STANDARD_FAULT_NAMES, STANDARD_FAULTS } from "./testing/standard-faults";
export type { DeliveryAuthSource, DeliveryTenant, TriggerScope } from "./triggers/delivery-tenancy";
export { tenantWithinScope } from "./triggers/delivery-tenancy";
export { nodeWebhookHandler } from "./triggers/node-webhook-handler";
export type {
  PollingCursor,
  PollingListPage,
  PollingListRequest,
  PollingTriggerDefinition,
} from "./triggers/polling-contract";
export { definePollingTrigger, isCursorExpired, pollingTriggerId } from "./triggers/polling-contract";
export type {
  PollingTrigger,
  PollResult,
  SubscriptionCheck,
  SubscriptionGrant,
  Trigger,
  TriggerPayload,
  WebhookDelivery,
  WebhookRegistration,
  WebhookTrigger,
} from "./triggers/trigger";
export type { TriggerDispatcherOptions } from "./triggers/trigger-dispatcher";
export {
  deliveryBackoff,
  describeFailure,
  MAX_DELIVERY_ERROR_LENGTH,
  runIdForDelivery,
  runIdForPolledItem,
  TriggerDispatcher,
} from "./triggers/trigger-dispatcher";
export type { TriggerHealthVerdict, TriggerStateRecord, TriggerStateStore } from "./triggers/trigger-health";
export {
  GAP_REPORTED_MS,
  MemoryTriggerStateStore,
  POLL_DEGRADED_INTERVALS,
  POLL_DOWN_INTERVALS,
  pollingHealth,
  SUBSCRIPTION_DOWN_FAILURES,
  subscriptionHealth,
} from "./triggers/trigger-health";
export type {
  CustomSignatureOptions,
  HeaderSignatureOptions,
  HmacAlgorithm,
  HmacTimestampOptions,
  HmacWebhookVerifierOptions,
  OidcJwtVerifierOptions,
  SignatureEncoding,
  SignedContentParts,
  UrlTokenVerifierOptions,
} from "./triggers/verification/index";
export {
  createHmacWebhookVerifier,
  createOidcJwtVerifier,
  createUrlTokenVerifier,
  generateUrlToken,
} from "./triggers/verification/index";
export type { WebhookHandlerOptions, WebhookResponse } from "./triggers/webhook-handler";
export { createWebhookHandler, handleWebhook } from "./triggers/webhook-handler";
export type {
  CursorStore,
  DeadLetterInbox,
  DeliveryFailure,
  DeliveryKey,
  InboxEntry,
  PendingOptions,
  WebhookInbox,
} from "./triggers/webhook-inbox";
export { keepsDeadLetters, MemoryWebhookInbox } from "./triggers/webhook-inbox";
export type {
  VerifiedWebhook,
  WebhookRejectionCode,
  WebhookRequest,
  WebhookVerifier,
} from "./triggers/webhook-verifier";
export { parseJsonBody, WebhookRejection } from "./triggers/webhook-verifier";
export type { JsonSizeLimits, TruncatedJson } from "./truncate-json";
export { TASK_OUTPUT_LIMITS, TRUNCATED_KEYS_KEY, TRUNCATION_MARKER, truncateJson } from "./truncate-json";

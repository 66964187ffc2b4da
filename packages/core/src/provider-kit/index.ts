/**
 * @module
 * The provider kit: what every provider package is built from, so a provider is its SDK-specific
 * knowledge and nothing else (`docs/adding-a-provider.md`).
 */

export type { CachedClient } from "./client-cache";
export { ClientCache, clientOptionsKey, DEFAULT_CLIENT_CACHE_SIZE, sharedClientCache } from "./client-cache";
export type { PageWalk } from "./collect-pages";
export { assertPageLimit, collectPages, MAX_PAGE_WALK_ITEMS } from "./collect-pages";
export type { ConnectionMappings } from "./connection-mappings";
export { connectionMappings, DEFAULT_MAPPING_LEASE_MS } from "./connection-mappings";
export type { DeadlineFetchOptions, ProviderClientOptions } from "./deadline-fetch";
export { createDeadlineFetch, DEFAULT_REQUEST_TIMEOUT_MS } from "./deadline-fetch";
export type { ProviderManifestParts } from "./define-provider-manifest";
export { baseUrlOption, defineProviderManifest } from "./define-provider-manifest";
export { excerpt, optionalProperty, propertiesOf } from "./display-properties";
export type { ProviderErrorFacts, ProviderErrorMapper, ProviderErrorTable } from "./error-table";
export { createErrorMapper } from "./error-table";
export type { InstanceTreeOptions } from "./instance-method-tree";
export { instanceMethodTree } from "./instance-method-tree";
export type { NodeHttpFetchOptions } from "./node-http-fetch";
export { createNodeHttpFetch, nodeHttpFetch } from "./node-http-fetch";
export type {
  ConnectionFields,
  ProviderDefinition,
  ProviderOptions,
  ProviderTaskClass,
  SdkMethodTree,
  SdkResultShape,
} from "./provider-definition";
export type { EmulatedRequest, ProviderEmulator } from "./provider-emulator";
export type { ProviderIntegrationClass } from "./provider-integration";
export { ProviderIntegration, providerIntegration } from "./provider-integration";
export type {
  ProviderAdapterOptions,
  ProviderClientOptionsOf,
  ProviderDescription,
  ProviderLifecycleFactory,
  ProviderLifecycleOptions,
  ProviderLifecycleParts,
} from "./provider-lifecycle";
export { providerLifecycle } from "./provider-lifecycle";
export type {
  ProviderEndpoints,
  ProviderLifecycleContext,
  ProviderManifest,
  ProviderWebhooks,
  WebhookUnregisterContext,
} from "./provider-manifest";
export { onProviderError } from "./provider-on-error";
export type { ProviderRun } from "./provider-run";
export { type AttemptAuth, authForAttempt, tokenForAttempt } from "./provider-run";
export type {
  ProviderIdempotency,
  ProviderReconciler,
  ProviderRunTask,
  ProviderTaskOptions,
  ProviderTaskRun,
} from "./provider-task-options";
export { DEFAULT_MAX_RESPONSE_BYTES, ResponseTooLargeError, readBoundedResponse } from "./response-limit";
export type { ProviderTaskContext } from "./run-provider-task";
export { assertTokenDefined, runProviderTask } from "./run-provider-task";
export type { PassthroughContext } from "./sdk-passthrough";
export { isReadMethodName, methodShape, sdkNamespaceNames, sdkPassthrough } from "./sdk-passthrough";
export type {
  PassthroughNamespaces,
  ProviderTaskGetters,
  SdkAnswer,
  SdkMethodAnswer,
  SdkMethodParams,
  SdkNamespaceName,
  SdkTaskMethod,
  SdkTasks,
  StrictParams,
  WithPassthrough,
} from "./sdk-tasks";
export type { ProviderSecretShapes } from "./secret-shapes";
export { literalHeadsOf, registeredTokenShapes, registerSecretShapes } from "./secret-shapes";
export type { FailedTaskContext } from "./task-failure";
export { describeTaskFailure, resourceOf } from "./task-failure";
export type { TaskDisplay } from "./task-namespace";
export { TaskNamespace } from "./task-namespace";

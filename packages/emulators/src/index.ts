/**
 * @module
 * Loopback emulators of provider APIs, speaking each provider's wire protocol so the official SDKs run
 * end to end with no network, with fault injection and a request log to assert on.
 */

// Each listed emulator's public API (its emulator class, state and types), so the index names no provider:
// adding an emulator to the list adds its exports.
export * from "./emulator-list";
export { SERVICE_HARNESSES } from "./service-harnesses";
export type { EmulatorClock } from "./shared/emulator-clock";
export { ManualClock, setClockTimer, systemEmulatorClock } from "./shared/emulator-clock";
export type {
  CliEmulator,
  EmulatorCli,
  EmulatorDescriptor,
  EmulatorSamples,
  EmulatorSdk,
  SdkOperation,
} from "./shared/emulator-descriptor";
export type { EmulatorServerOptions } from "./shared/emulator-server";
export { EmulatorServer } from "./shared/emulator-server";
export type { FaultAction, FaultMatch, RateLimitResponder } from "./shared/faults";
export { FaultInjector } from "./shared/faults";
export type { OAuthAuthorityOptions, OAuthFailure, TokenInfo } from "./shared/oauth-authority";
export { isOAuthFailure, OAuthAuthority } from "./shared/oauth-authority";
export type { RequestStyle, RequestViolation } from "./shared/request-validation";
export type { ServiceHarness } from "./shared/service-harness";
export type { SpecAnswer } from "./shared/spec-answers";
export type { SpecCoverage } from "./shared/spec-coverage";
export { specCoverage } from "./shared/spec-coverage";
export type { ApiDescription } from "./shared/spec-document";
export type { SpecFallbackOptions } from "./shared/spec-fallback";
export { FALLBACK_HEADER, SpecFallback } from "./shared/spec-fallback";
export type { SpecMatch, SpecOperation, SpecParameter } from "./shared/spec-operations";
export type { EmulatorRequest, EmulatorResponse, RecordedRequest, RouteHandler } from "./shared/types";
export type {
  WebhookAttempt,
  WebhookAttemptContext,
  WebhookDelivery,
  WebhookRequest,
  WebhookRetryPolicy,
  WebhookSendOptions,
} from "./shared/webhook-delivery";
export { NO_WEBHOOK_RETRIES } from "./shared/webhook-delivery";
export type { WebhookAnswer, WebhookFailure } from "./shared/webhook-post";
export type { WebhookSenderOptions } from "./shared/webhook-sender";
export { WebhookSender } from "./shared/webhook-sender";
export type { WebhookSignatureKind, WebhookSignatureScheme } from "./shared/webhook-signature";

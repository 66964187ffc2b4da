/**
 * @module
 * Loopback emulators of provider APIs, speaking each provider's wire protocol so the official SDKs run
 * end to end with no network, with fault injection and a request log to assert on.
 */

export type {
  GithubAccount,
  GithubComment,
  GithubEmulatorOptions,
  GithubHook,
  GithubIssue,
  GithubLabel,
  GithubOAuthApp,
  GithubPull,
  GithubReaction,
  GithubRepo,
  GithubSubject,
} from "./github/index";
export { DEFAULT_GITHUB_SCOPES, GHES_API_PREFIX, GithubEmulator, GithubState } from "./github/index";
export type { EmulatorServerOptions } from "./shared/emulator-server";
export { EmulatorServer } from "./shared/emulator-server";
export type { FaultAction, FaultMatch, RateLimitResponder } from "./shared/faults";
export { FaultInjector } from "./shared/faults";
export type { OAuthAuthorityOptions, OAuthFailure, TokenInfo } from "./shared/oauth-authority";
export { isOAuthFailure, OAuthAuthority } from "./shared/oauth-authority";
export type { EmulatorRequest, EmulatorResponse, RecordedRequest, RouteHandler } from "./shared/types";
export type {
  SlackChannel,
  SlackEmulatorOptions,
  SlackEphemeralMessage,
  SlackFile,
  SlackMessage,
  SlackScheduledMessage,
  SlackSubject,
  SlackUser,
} from "./slack/index";
export { SLACK_SCOPES, SlackEmulator, SlackWorkspace } from "./slack/index";

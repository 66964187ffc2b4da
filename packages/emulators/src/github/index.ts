export type { GithubSubject } from "./api-context";
export { githubDescriptor } from "./github-descriptor";
export type { GithubEmulatorOptions, GithubOAuthApp } from "./github-emulator";
export { DEFAULT_GITHUB_SCOPES, GHES_API_PREFIX, GithubEmulator } from "./github-emulator";
export type {
  GithubAccount,
  GithubComment,
  GithubHook,
  GithubIssue,
  GithubLabel,
  GithubPull,
  GithubReaction,
  GithubRepo,
  GithubStar,
} from "./github-state";
export { GithubState } from "./github-state";
export type {
  GithubDelivery,
  GithubDeliveryMeta,
  GithubManualDelivery,
  GithubSignatureSpoiler,
} from "./webhook-deliveries";
export { GithubWebhookDeliveries, HOOKSHOT_USER_AGENT } from "./webhook-deliveries";

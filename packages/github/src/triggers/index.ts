// The GitHub triggers' public exports (webhook, polling, registration), re-exported by src/index.ts.
export type { GithubIssueUpdatedOptions, GithubListedIssue } from "./issue-polling";
export { githubIssueUpdatedTrigger } from "./issue-polling";
export type { GithubPollingToken } from "./polling-client";
export type { GithubNewStarOptions, GithubStargazer } from "./star-polling";
export { githubNewStarTrigger } from "./star-polling";
export type {
  GithubWebhookClient,
  GithubWebhookRegistrationOptions,
  RegisteredGithubWebhook,
  RegisterGithubWebhookOptions,
  UnregisterGithubWebhookOptions,
} from "./webhook-registration";
export {
  generateGithubWebhookSecret,
  githubRegistrationKey,
  githubWebhookRegistration,
  registerGithubWebhook,
  unregisterGithubRegistration,
  unregisterGithubWebhook,
} from "./webhook-registration";
export type {
  GithubEventAction,
  GithubEventFilter,
  GithubEventPayload,
  GithubPushFilter,
  GithubRepoFilter,
  GithubTriggerExtra,
} from "./webhook-triggers";
export type { GithubWebhookVerifierOptions } from "./webhook-verifier";
export { createGithubWebhookVerifier } from "./webhook-verifier";

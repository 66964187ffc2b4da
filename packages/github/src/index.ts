/**
 * @module
 * GitHub for AutoFlow jobs: the `Github` integration on the core provider kit (every `octokit.rest`
 * method as a durable, typed task, task classes for issues, pulls, repos, reactions and git refs),
 * GitHub's error table (`toGithubError`) and its provider definition, the GitHub connection
 * lifecycle adapter, and triggers: typed webhook triggers (`github.onIssueOpened`, `onPush`,
 * `onPullRequest`, `onEvent`), the webhook signature verifier, webhook registration, and the
 * `onNewStar` and `onIssueUpdated` polling triggers.
 */

// GitHub's own webhook payload types, so a job can name its payload without another dependency.
export type {
  IssuesOpenedEvent,
  PullRequestEvent,
  PushEvent,
  WebhookEventMap,
  WebhookEventName,
} from "@octokit/webhooks-types";
export type { GithubClientOptions } from "./client";
export { createOctokit } from "./client";
export type { GithubIntegrationOptions } from "./definition";
export { GITHUB_PROVIDER_DEFINITION } from "./definition";
export { toGithubError } from "./errors";
export { Github } from "./github";
export type { GithubAuthMethod, GithubConnectionMetadata } from "./lifecycle";
export { createGithubLifecycle, GITHUB_DEFAULT_SCOPES } from "./lifecycle";
export * from "./triggers/index";
export type { GithubData, GithubParams, GithubRest } from "./types";

/**
 * @module
 * GitHub for AutoFlow jobs: the `Github` integration, its webhook and polling triggers, webhook verifier and
 * registration, its error table and its connection lifecycle.
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

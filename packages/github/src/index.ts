/**
 * @module
 * GitHub for AutoFlow jobs: the `Github` integration (every `octokit.rest` method as a durable, typed
 * task, hand-written tasks for issues, pulls, repos, reactions and git refs), GitHub's errors in the
 * spec-003 taxonomy, and the GitHub connection lifecycle adapter.
 */

export type { GithubClientOptions } from "./client";
export { createOctokit, DEFAULT_TIMEOUT_MS, GITHUB_API_URL } from "./client";
export { GITHUB_PROVIDER, onGithubError, toGithubError } from "./errors";
export type {
  GithubIntegrationOptions,
  GithubPassthroughNamespaces,
  GithubTaskNamespaceWith,
} from "./github";
export { Github } from "./github";
export type {
  GithubAuthMethod,
  GithubConnectionMetadata,
  GithubLifecycleOptions,
} from "./lifecycle";
export { createGithubAdapter, createGithubLifecycle, GITHUB_DEFAULT_SCOPES } from "./lifecycle";
export type {
  GithubData,
  GithubNamespaceName,
  GithubParams,
  GithubRest,
  GithubRunTask,
  GithubTaskMethod,
  GithubTaskNamespace,
} from "./types";

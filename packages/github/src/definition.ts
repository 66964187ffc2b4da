import { type ProviderDefinition, type ProviderIntegrationClass, providerIntegration } from "@autoflow/core";
import type { Octokit } from "octokit";
import { createOctokit, type GithubClientOptions } from "./client";
import { GITHUB_PROVIDER, toGithubError } from "./errors";
import type { GithubRest } from "./types";

/** Constructor options (spec 000): `id` always; `token` for a personal access token, else OAuth per run. */
export type GithubIntegrationOptions = GithubClientOptions & {
  id: string;
  /** A personal access token or an OAuth token. Omit it to use the run's connection (HOSTED). */
  token?: string;
};

/** What the provider kit knows of GitHub: its client, its method tree, its error table and its token shapes. */
export const GITHUB_PROVIDER_DEFINITION: ProviderDefinition<Octokit, GithubIntegrationOptions> = {
  id: GITHUB_PROVIDER,
  name: "GitHub",
  createClient: (token, options) => createOctokit(token, options),
  toError: (error, now) => toGithubError(error, now),
  sdk: { root: (client) => client.rest, shape: () => createOctokit(undefined), result: "data" },
  secrets: {
    // Classic tokens (ghp_, gho_, ghu_, ghs_, ghr_) and fine-grained ones (github_pat_).
    tokenShapes: [/\bgh[pousr]_[A-Za-z0-9]{8,}/g, /\bgithub_pat_[A-Za-z0-9_]{8,}/g],
    tokenPrefixes: ["github_pat_"],
  },
};

/** The `octokit.rest` namespaces with a task class; every other one passes through whole. */
export type GithubHandWritten = "issues" | "pulls" | "repos" | "reactions" | "git";

/**
 * The kit's integration class for GitHub, which `Github` builds on (its trigger methods, then its tasks).
 * Declared, not inferred: the declaration files can then name Octokit's types.
 */
export const GithubIntegration: ProviderIntegrationClass<
  Octokit,
  GithubIntegrationOptions,
  GithubRest,
  "data",
  GithubHandWritten
> = providerIntegration();

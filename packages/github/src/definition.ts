import { type ProviderDefinition, type ProviderIntegrationClass, providerIntegration } from "@autoflow/core";
import type { Octokit } from "octokit";
import { createOctokit, type GithubClientOptions } from "./client";
import { GITHUB_PROVIDER, toGithubError } from "./errors";
import { Git } from "./tasks/git";
import { Issues } from "./tasks/issues";
import { Pulls } from "./tasks/pulls";
import { Reactions } from "./tasks/reactions";
import { Repos } from "./tasks/repos";
import type { GithubRest } from "./types";

/** Constructor options (spec 000): `id` always; `token` for a personal access token, else OAuth per run. */
export type GithubIntegrationOptions = GithubClientOptions & {
  id: string;
  /** A personal access token or an OAuth token. Omit it to use the run's connection (HOSTED). */
  token?: string;
};

/** GitHub's SDK knowledge: its Octokit, method tree, error table, token shapes and task classes. */
export const GITHUB_PROVIDER_DEFINITION = {
  id: GITHUB_PROVIDER,
  name: "GitHub",
  // Octokit written out where a client is given or taken: inferred, the declaration files could not name its types.
  createClient: (token, options): Octokit => createOctokit(token, options),
  toError: (error, now) => toGithubError(error, now),
  sdk: {
    root: (client: Octokit): GithubRest => client.rest,
    shape: (): Octokit => createOctokit(undefined),
    result: "data",
  },
  secrets: {
    // Classic tokens (ghp_, gho_, ghu_, ghs_, ghr_) and fine-grained ones (github_pat_).
    tokenShapes: [/\bgh[pousr]_[A-Za-z0-9]{8,}/g, /\bgithub_pat_[A-Za-z0-9_]{8,}/g],
    tokenPrefixes: ["github_pat_"],
  },
  // The `octokit.rest` namespaces with a task class; every other one passes through whole.
  tasks: {
    /** `io.github.issues.create(...)`, `update`, `get`, `list`, `listForRepo`, `listForRepoAll`, `createComment`, `addLabels`, and every other issues method. */
    issues: Issues,
    /** `io.github.pulls.create(...)`, `get`, `list`, `merge`, and every other pulls method. */
    pulls: Pulls,
    /** `io.github.repos.get(...)`, `listForAuthenticatedUser`, `createWebhook`, and every other repos method. */
    repos: Repos,
    /** `io.github.reactions.createForIssue(...)`, `listForIssue`, and every other reactions method. */
    reactions: Reactions,
    /** `io.github.git.getRef(...)`, `createRef`, `updateRef`, and every other git method. */
    git: Git,
  },
} satisfies ProviderDefinition<Octokit, GithubIntegrationOptions>;

/** The kit's integration class, typed from the definition: `Github` builds on it. */
export const GithubIntegration: ProviderIntegrationClass<typeof GITHUB_PROVIDER_DEFINITION> =
  providerIntegration<typeof GITHUB_PROVIDER_DEFINITION>();

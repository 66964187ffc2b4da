import type { DisplayProperty, WithPassthrough } from "@autoflow/core";
import { webUrlFor } from "./client";
import {
  GITHUB_PROVIDER_DEFINITION,
  type GithubHandWritten,
  type GithubIntegrationOptions,
} from "./definition";
import { Git } from "./tasks/git";
import { Issues } from "./tasks/issues";
import { paramProperties } from "./tasks/properties";
import { Pulls } from "./tasks/pulls";
import { Reactions } from "./tasks/reactions";
import { Repos } from "./tasks/repos";
import { GithubTriggerMethods } from "./triggers/github-trigger-methods";
import type { GithubRest } from "./types";

/** A task class with the rest of its `octokit.rest` namespace passing through (declared: Octokit's types are too long to infer into declarations). */
type WithRest<C, N extends GithubHandWritten> = WithPassthrough<C, GithubRest[N], "data">;

/**
 * GitHub for AutoFlow jobs: every `octokit.rest` method as a durable, typed task
 * (`io.github.issues.create(key, params)`, `io.github.actions.listRepoWorkflows(key, params)`), with
 * Octokit's own retries and throttling off so the runtime owns retries, and GitHub's errors translated
 * into the spec-003 taxonomy.
 */
export class Github extends GithubTriggerMethods {
  /** `https://github.com`, or the GHES host: where task properties link to. */
  private readonly webUrl: string;

  constructor(options: GithubIntegrationOptions) {
    super(GITHUB_PROVIDER_DEFINITION, options);
    this.webUrl = webUrlFor(options.baseUrl);
  }

  /**
   * Every GitHub task shows where it acted first: the repository, issue or pull request and ref its params
   * name, linked on this instance's web host.
   */
  protected override paramProperties(params: unknown): DisplayProperty[] {
    return paramProperties(this.webUrl, params);
  }

  /** `io.github.issues.create(...)`, `update`, `get`, `list`, `listForRepo`, `listForRepoAll`, `createComment`, `addLabels`, and every other issues method. */
  get issues(): WithRest<Issues, "issues"> {
    return this.tasks("issues", Issues);
  }

  /** `io.github.pulls.create(...)`, `get`, `list`, `merge`, and every other pulls method. */
  get pulls(): WithRest<Pulls, "pulls"> {
    return this.tasks("pulls", Pulls);
  }

  /** `io.github.repos.get(...)`, `listForAuthenticatedUser`, `createWebhook`, and every other repos method. */
  get repos(): WithRest<Repos, "repos"> {
    return this.tasks("repos", Repos);
  }

  /** `io.github.reactions.createForIssue(...)`, `listForIssue`, and every other reactions method. */
  get reactions(): WithRest<Reactions, "reactions"> {
    return this.tasks("reactions", Reactions);
  }

  /** `io.github.git.getRef(...)`, `createRef`, `updateRef`, and every other git method. */
  get git(): WithRest<Git, "git"> {
    return this.tasks("git", Git);
  }
}

import type { DisplayProperty } from "@autoflow/core";
import { webUrlFor } from "./client";
import { GITHUB_PROVIDER_DEFINITION, type GithubIntegrationOptions } from "./definition";
import { paramProperties } from "./tasks/properties";
import { GithubTriggerMethods } from "./triggers/github-trigger-methods";

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
}

import type { DisplayProperty } from "@autoflow/core";
import { webUrlFor } from "./client";
import { GITHUB_PROVIDER_DEFINITION, type GithubIntegrationOptions } from "./definition";
import { paramProperties } from "./tasks/properties";
import { GithubTriggerMethods } from "./triggers/github-trigger-methods";

/** GitHub for AutoFlow jobs: every `octokit.rest` method as a durable task typed from the SDK. */
export class Github extends GithubTriggerMethods {
  constructor(options: GithubIntegrationOptions) {
    super(GITHUB_PROVIDER_DEFINITION, options);
  }

  /** Every task shows first where it acted (repository, issue or pull, ref), linked on the web host. */
  protected override paramProperties(params: unknown): DisplayProperty[] {
    return paramProperties(webUrlFor(this.options.baseUrl), params);
  }
}

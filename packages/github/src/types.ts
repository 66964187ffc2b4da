import type { SdkMethodAnswer, SdkMethodParams } from "@autoflow/core";
import type { Octokit } from "octokit";

/** `octokit.rest`: every REST method, namespaced as the SDK has them. */
export type GithubRest = Octokit["rest"];

/**
 * The params of `octokit.rest[N][M]` as the SDK types them, without Octokit's catch-all
 * `[parameter: string]: unknown`, so a misspelt key is a type error (`headers` and `request` stay).
 */
export type GithubParams<N extends keyof GithubRest, M extends keyof GithubRest[N]> = SdkMethodParams<
  GithubRest[N][M]
>;

/** The response `data` of `octokit.rest[N][M]`, as the SDK types it (a task resolves to its `TaskOutput`). */
export type GithubData<N extends keyof GithubRest, M extends keyof GithubRest[N]> = SdkMethodAnswer<
  GithubRest[N][M],
  "data"
>;

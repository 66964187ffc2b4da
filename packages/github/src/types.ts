import type { SdkMethodAnswer, SdkMethodParams } from "@autoflow/core";
import type { Octokit } from "octokit";

/** `octokit.rest`: every REST method, namespaced as the SDK has them. */
export type GithubRest = Octokit["rest"];

/** `octokit.rest[N][M]`'s params without Octokit's catch-all key, so a misspelt key is a type error. */
export type GithubParams<N extends keyof GithubRest, M extends keyof GithubRest[N]> = SdkMethodParams<
  GithubRest[N][M]
>;

/** The response `data` of `octokit.rest[N][M]`, as the SDK types it (a task resolves to its `TaskOutput`). */
export type GithubData<N extends keyof GithubRest, M extends keyof GithubRest[N]> = SdkMethodAnswer<
  GithubRest[N][M],
  "data"
>;

import type { ProviderRunTask, SdkTaskMethod, SdkTasks, StrictParams } from "@autoflow/core";
import type { Octokit } from "octokit";

/** `octokit.rest`: every REST method, namespaced as the SDK has them. */
export type GithubRest = Octokit["rest"];

/** A namespace of `octokit.rest`: `issues`, `pulls`, `actions`, ... */
export type GithubNamespaceName = keyof GithubRest;

/**
 * The params of `octokit.rest[N][M]` as the SDK types them, without Octokit's catch-all
 * `[parameter: string]: unknown`, so a misspelt key is a type error (`headers` and `request` stay).
 */
export type GithubParams<
  N extends GithubNamespaceName,
  M extends keyof GithubRest[N],
> = GithubRest[N][M] extends (params?: infer P) => unknown ? StrictParams<NonNullable<P>> : never;

/** The response `data` of `octokit.rest[N][M]`, as the SDK types it (a task resolves to its `TaskOutput`). */
export type GithubData<
  N extends GithubNamespaceName,
  M extends keyof GithubRest[N],
> = GithubRest[N][M] extends (...args: never[]) => Promise<{ data: infer D }> ? D : never;

/** A REST method as a durable task: the task key, then the SDK's params; resolves to `TaskOutput` of the response data. */
export type GithubTaskMethod<F> = SdkTaskMethod<F, "data">;

/** Every method of one `octokit.rest` namespace as a task. */
export type GithubTaskNamespace<N extends GithubNamespaceName> = SdkTasks<GithubRest[N], "data">;

/** `Github#runTask`, as the task classes receive it (spec 001's `GitHubRunTask`). */
export type GithubRunTask = ProviderRunTask<Octokit>;

/** One GitHub REST answer, as a route call returns it. */
export interface GithubRouteResponse {
  data: unknown;
  headers: { link?: string; [name: string]: string | number | undefined };
}

/**
 * `octokit.request` and `octokit.paginate.iterator` called with a route string, typed loosely on purpose:
 * matching a route and its params against Octokit's `RequestInterface` costs about a second of `tsc` per
 * call site, and these calls read the answer through a narrower type of their own anyway.
 */
export interface GithubRoutes {
  request(route: string, params: Record<string, unknown>): Promise<GithubRouteResponse>;
  pages(route: string, params: Record<string, unknown>): AsyncIterable<GithubRouteResponse>;
}

/** The route calls of one Octokit client. */
export function githubRoutes(octokit: Octokit): GithubRoutes {
  const request = octokit.request as unknown as GithubRoutes["request"];
  const pages = octokit.paginate.iterator as unknown as GithubRoutes["pages"];
  return { request, pages };
}

import type { Octokit } from "octokit";

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

/**
 * `octokit.paginate(method, params)`: every page of a `octokit.rest` list method's answer, concatenated, typed from
 * the method's own signature. `paginate`'s overloads match the method against Octokit's `RequestInterface`, which
 * costs about half a second of `tsc` per package.
 */
export function paginateAll<P, D>(
  octokit: Octokit,
  method: (params?: P) => Promise<{ data: D[] }>,
  params: NoInfer<P>,
): Promise<D[]> {
  const paginate = octokit.paginate as unknown as (method: unknown, params: unknown) => Promise<D[]>;
  return paginate(method, params);
}

import { createOctokit } from "./client";
import { onGithubError } from "./errors";
import { paramProperties } from "./tasks/properties";
import type { GithubNamespaceName, GithubTaskContext } from "./types";

type RestMethod = (params?: unknown) => Promise<{ data: unknown }>;

let catalog: ReadonlyMap<GithubNamespaceName, readonly string[]> | undefined;

/** The namespaces and method names of `octokit.rest`, read once from the SDK itself (no request is made). */
export function restCatalog(): ReadonlyMap<GithubNamespaceName, readonly string[]> {
  catalog ??= new Map(
    Object.entries(createOctokit(undefined).rest).map(([namespace, methods]) => [
      namespace as GithubNamespaceName,
      Object.keys(methods),
    ]),
  );
  return catalog;
}

/**
 * Every method of one `octokit.rest` namespace as a task: `(key, params)` runs
 * `client.rest[namespace][method](params)` through `runTask` and resolves to the response data.
 */
export function passthroughNamespace(
  namespace: GithubNamespaceName,
  { runTask, webUrl }: GithubTaskContext,
): Record<string, (key: Parameters<GithubTaskContext["runTask"]>[0], params?: unknown) => Promise<unknown>> {
  const methods = restCatalog().get(namespace) ?? [];
  return Object.fromEntries(
    methods.map((method) => [
      method,
      (key: Parameters<GithubTaskContext["runTask"]>[0], params?: unknown) =>
        runTask(
          key,
          async (client) => {
            const call = (client.rest as unknown as Record<string, Record<string, RestMethod>>)[namespace]?.[
              method
            ];
            if (!call) throw new TypeError(`octokit.rest.${namespace}.${method} is not a method`);
            return (await call(params)).data;
          },
          {
            name: `${namespace}.${method}`,
            ...(params !== undefined && { params }),
            properties: paramProperties(webUrl, params),
          },
          onGithubError,
        ),
    ]),
  );
}

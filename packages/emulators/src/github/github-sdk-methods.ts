import type { SdkOperation } from "../shared/emulator-descriptor";

type RestTree = Record<string, Record<string, { endpoint?: { DEFAULTS?: { method: string; url: string } } }>>;

/**
 * Every REST method of `octokit` (the module, as `OPERATIONS.md`'s script imports it), as the operation it
 * calls: `PUT /repos/{owner}/{repo}/issues/{issue_number}/lock`.
 */
export function githubSdkMethods(sdk: Record<string, unknown>): SdkOperation[] {
  const Octokit = sdk.Octokit as new () => { rest: unknown };
  const rest = new Octokit().rest as RestTree;
  return Object.entries(rest).flatMap(([namespace, methods]) =>
    Object.entries(methods).flatMap(([name, method]) => {
      const defaults = method.endpoint?.DEFAULTS;
      return defaults
        ? [{ method: `${namespace}.${name}`, operation: `${defaults.method} ${defaults.url}` }]
        : [];
    }),
  );
}

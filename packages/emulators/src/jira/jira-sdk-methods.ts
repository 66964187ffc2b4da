import type { SdkOperation } from "../shared/emulator-descriptor";

type Config = { url: string; method?: string };
type Group = Record<string, (parameters: unknown) => Promise<unknown>>;

/**
 * Every method of `jira.js`'s Cloud platform client (the module, as `OPERATIONS.md`'s script imports it), as the
 * operation it calls: each method is called once on a client that records the request instead of sending it, with
 * parameters that answer `{name}` for every path parameter, so the URL comes back as the description's template.
 * Rich text is given as a document, so the methods that take wiki markup through API v2 show their v3 operation.
 */
export function jiraSdkMethods(sdk: Record<string, unknown>): SdkOperation[] {
  const createCloudClient = sdk.createCloudClient as (client: unknown) => Record<string, unknown>;
  let last: Config | undefined;
  const client = {
    sendRequest: (config: Config) => {
      last ??= config;
      return Promise.resolve({});
    },
  };
  const cloud = createCloudClient(client);
  const parameters = new Proxy(
    {},
    {
      get: (_target, name) => (name === "body" || name === "fields" ? { type: "doc" } : `{${String(name)}}`),
    },
  );
  const out: SdkOperation[] = [];
  for (const [namespace, group] of Object.entries(cloud)) {
    if (!group || typeof group !== "object") continue;
    for (const [name, method] of Object.entries(group as Group)) {
      if (typeof method !== "function") continue;
      last = undefined;
      // The request is built before the method's first `await`: calling it is enough, its promise is dropped.
      method(parameters).catch(() => undefined);
      const config = last as Config | undefined;
      if (!config) continue;
      out.push({
        method: `${namespace}.${name}`,
        operation: `${(config.method ?? "GET").toUpperCase()} ${config.url.split("?")[0]}`,
      });
    }
  }
  return out;
}

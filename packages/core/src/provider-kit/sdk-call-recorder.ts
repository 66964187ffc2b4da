/** The SDK method a task's attempt called last, as `recordSdkCalls` saw it. */
export interface SdkCallRecord {
  method?: string;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * The client as a task's callback sees it, noting in `record` the last SDK method it took from the method tree
 * (`root`: `client` for WebClient, `client.rest` for Octokit), as `namespace.method`, so a failure can name it
 * without every hand-written task saying it. Only plain namespace objects are wrapped and methods are handed
 * out as they are (their own properties, such as Octokit's `endpoint`, intact); a one-segment name (`paginate`,
 * `apiCall`) is not a method of the tree and is not noted.
 */
export function recordSdkCalls<TClient>(client: TClient, root: unknown, record: SdkCallRecord): TClient {
  if (typeof client !== "object" || client === null) return client;
  const proxies = new WeakMap<object, object>();
  const wrap = (target: object, path: readonly string[]): object => {
    let proxy = proxies.get(target);
    if (proxy) return proxy;
    proxy = new Proxy(target, {
      get(object, property) {
        // The target as receiver: a getter reading a private field must see the real object.
        const value: unknown = Reflect.get(object, property, object);
        if (typeof property !== "string") return value;
        if (value === root && value !== client) return wrap(value as object, []);
        const next = [...path, property];
        if (typeof value === "function") {
          if (next.length >= 2) record.method = next.join(".");
          return value;
        }
        return isPlainObject(value) ? wrap(value, next) : value;
      },
    });
    proxies.set(target, proxy);
    return proxy;
  };
  return wrap(client, []) as TClient;
}

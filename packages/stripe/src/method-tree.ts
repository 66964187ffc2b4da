import StripeSdk from "stripe";

/** What every Stripe resource object has besides its API methods. */
type ResourceInternals =
  | "_stripe"
  | "stripe"
  | "path"
  | "resourcePath"
  | "basePath"
  | "requestDataProcessor"
  | "initialize"
  | "_makeRequest";

/** A Stripe resource (`customers`) or namespace (`checkout`, `v2.core`) as its API methods alone. */
export type StripeMethods<R> = {
  [K in keyof R as K extends ResourceInternals ? never : K]: R[K] extends (...args: never) => unknown
    ? R[K]
    : StripeMethods<R[K]>;
};

/** Members of the client that are not API namespaces (configuration, events, helpers). */
type NotNamespaces = `_${string}` | "VERSION" | "on" | "off" | "once" | "errors" | "webhooks" | "Decimal";

/**
 * The `stripe` client's method tree: every resource and namespace (`customers`, `checkout.sessions`,
 * `v2.core.events`) with its methods, typed from the SDK; what the kit's passthrough maps to tasks.
 */
export type StripeTree = {
  [K in keyof StripeSdk as K extends NotNamespaces
    ? never
    : StripeSdk[K] extends (...args: never) => unknown
      ? never
      : K]: StripeMethods<StripeSdk[K]>;
};

const trees = new WeakMap<StripeSdk, StripeTree>();

/**
 * The client's method tree as plain objects of bound methods: Stripe's resources are class instances whose
 * methods live on their prototypes, which the kit's passthrough (reading plain namespace objects) would not see.
 * Built once per client.
 */
export function stripeMethodTree(client: StripeSdk): StripeTree {
  let tree = trees.get(client);
  if (!tree) {
    tree = (namespaceOf(client) ?? {}) as StripeTree;
    trees.set(client, tree);
  }
  return tree;
}

function namespaceOf(node: object): Record<string, unknown> | undefined {
  if (node instanceof StripeSdk.StripeResource) return methodsOf(node);
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    if (key.startsWith("_") || key === "stripe" || typeof value !== "object" || value === null) continue;
    const child = namespaceOf(value);
    if (child) out[key] = child;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/** The API methods of a resource: its prototypes' functions, each bound to it. */
function methodsOf(resource: object): Record<string, unknown> {
  const methods: Record<string, unknown> = {};
  for (
    let proto = Object.getPrototypeOf(resource);
    proto && proto !== StripeSdk.StripeResource.prototype;
    proto = Object.getPrototypeOf(proto)
  ) {
    for (const name of Object.getOwnPropertyNames(proto)) {
      const method = (resource as Record<string, unknown>)[name];
      if (name === "constructor" || name.startsWith("_") || name in methods || typeof method !== "function")
        continue;
      methods[name] = (...args: unknown[]) => method.apply(resource, args);
    }
  }
  return methods;
}

/**
 * A view of `client` whose API methods send `Idempotency-Key: key`: the SDK's `idempotencyKey` request option,
 * put in the method's options argument, the last of its declared parameters (`cancel(id, params, options)`; the
 * SDK reads arguments by position), with the params left out as `undefined` where the call gave none. What tasks
 * that declare `idempotency: "native"` call; hand-written tasks never pass request options of their own.
 */
export function withStripeIdempotencyKey(client: StripeSdk, key: string): StripeSdk {
  return keyed(client, key) as StripeSdk;
}

function keyed(target: object, key: string): object {
  const isResource = target instanceof StripeSdk.StripeResource;
  return new Proxy(target, {
    get(own, prop) {
      const value: unknown = Reflect.get(own, prop, own);
      if (typeof prop !== "string" || prop.startsWith("_") || prop === "stripe") return value;
      if (typeof value === "function") {
        if (!isResource) return value;
        const method = value as (...args: unknown[]) => unknown;
        return (...args: unknown[]) => {
          const at = method.length > 0 ? method.length - 1 : args.length;
          const padded = Array.from({ length: Math.max(at + 1, args.length) }, (_, i) => args[i]);
          padded[at] = { ...(padded[at] as object | undefined), idempotencyKey: key };
          return method.apply(own, padded);
        };
      }
      return typeof value === "object" && value !== null ? keyed(value, key) : value;
    },
  });
}

/**
 * What `instanceMethodTree` needs to know about an SDK whose namespaces are class instances: which objects are
 * API resources (their prototype methods are the API), and which keys are not API at all.
 */
export interface InstanceTreeOptions {
  /** Whether `value` is an API resource (an `instanceof` check against the SDK's resource base class): its prototypes' methods become the tree's. */
  isResource(value: object): boolean;
  /** The base class's prototype, where walking up a resource's prototypes stops (its own helpers are not API). */
  resourceBase: object;
  /** Keys that are never API: configuration, back references to the client. Default: `_`-prefixed keys. */
  skip?(key: string): boolean;
}

const trees = new WeakMap<object, object>();
const defaultSkip = (key: string) => key.startsWith("_");

/**
 * The method tree of an SDK whose namespaces are class instances with their methods on prototypes (resource
 * classes, `client.checkout.sessions`), as plain objects of bound methods: what `sdk.root` answers, so the
 * passthrough (which reads plain namespace objects) sees every method. A namespace is any object holding
 * resources at some depth; anything else (configuration, helpers, error classes) is left out. Built once per client.
 */
export function instanceMethodTree<T extends object>(client: object, options: InstanceTreeOptions): T {
  let tree = trees.get(client);
  if (!tree) {
    tree = namespaceOf(client, options, new Set()) ?? {};
    trees.set(client, tree);
  }
  return tree as T;
}

function namespaceOf(
  node: object,
  options: InstanceTreeOptions,
  seen: Set<object>,
): Record<string, unknown> | undefined {
  if (seen.has(node)) return undefined;
  seen.add(node);
  if (options.isResource(node)) return methodsOf(node, options);
  const skip = options.skip ?? defaultSkip;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    if (skip(key) || typeof value !== "object" || value === null) continue;
    const child = namespaceOf(value, options, seen);
    if (child) out[key] = child;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/** A resource's API methods: its prototypes' functions up to the base class, each bound to it. */
function methodsOf(resource: object, options: InstanceTreeOptions): Record<string, unknown> {
  const skip = options.skip ?? defaultSkip;
  const methods: Record<string, unknown> = {};
  for (
    let proto = Object.getPrototypeOf(resource);
    proto && proto !== options.resourceBase && proto !== Object.prototype;
    proto = Object.getPrototypeOf(proto)
  ) {
    for (const name of Object.getOwnPropertyNames(proto)) {
      const method = (resource as Record<string, unknown>)[name];
      if (name === "constructor" || skip(name) || name in methods || typeof method !== "function") continue;
      methods[name] = (...args: unknown[]) => method.apply(resource, args);
    }
  }
  return methods;
}

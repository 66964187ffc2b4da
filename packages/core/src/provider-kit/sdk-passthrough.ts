import type { DisplayProperty } from "../display";
import type { IntegrationTaskKey } from "../integration";
import type { SdkMethodTree } from "./provider-definition";
import type { ProviderRunTask } from "./provider-task-options";

/** What the passthrough of one provider instance needs; its namespace objects are cached on it. */
export interface PassthroughContext<TClient> {
  runTask: ProviderRunTask<TClient>;
  sdk: SdkMethodTree<TClient>;
  /** Display properties for a passthrough call's params (channel, repository, ...). */
  properties?(params: unknown, method: string): DisplayProperty[];
}

type Method = (...args: unknown[]) => Promise<unknown>;

// A method name that starts with one of these verbs (alone, or followed by an upper-case letter: `listForRepo`,
// `getContent`, `lookupByEmail`) only reads. Deliberately short: a read missing here fails visibly after a lost
// answer, while a write taken for a read would be repeated.
const READ_VERB = /^(?:get|list|info|history|replies|search|retrieve|lookup|test)(?![a-z0-9_])/;

/**
 * Whether an SDK method only reads, by its name (the last segment of its path): `get*`, `list*`, `info`,
 * `history`, `replies`, `search*`, `retrieve*`, `lookup*`, `test`. The passthrough's default for
 * `SdkMethodTree.isRead`; a provider whose SDK knows better (an HTTP verb per method) overrides it.
 */
export function isReadMethodName(path: readonly string[]): boolean {
  return READ_VERB.test(path[path.length - 1] ?? "");
}

const shapes = new WeakMap<object, object>();
const caches = new WeakMap<PassthroughContext<never>, Map<string, unknown>>();

/** The SDK's method tree, read from a client built once without a token: the tree is the SDK's, not a copy. */
export function methodShape<TClient>(sdk: SdkMethodTree<TClient>): object {
  let shape = shapes.get(sdk);
  if (!shape) {
    shape = sdk.root(sdk.shape());
    shapes.set(sdk, shape);
  }
  return shape;
}

function resolve(root: unknown, path: readonly string[]): unknown {
  let node = root;
  for (const segment of path) {
    if (typeof node !== "object" || node === null || !Object.hasOwn(node, segment)) return undefined;
    node = (node as Record<string, unknown>)[segment];
  }
  return node;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** A plain object holding methods (at any depth): an SDK namespace, not a config object or a logger. */
function isMethodNamespace(value: unknown): boolean {
  return (
    isPlainObject(value) &&
    Object.values(value).some((member) => typeof member === "function" || isMethodNamespace(member))
  );
}

/** The names of the top-level namespaces of the SDK's tree. */
export function sdkNamespaceNames<TClient>(sdk: SdkMethodTree<TClient>): string[] {
  const shape = methodShape(sdk) as Record<string, unknown>;
  return Object.keys(shape).filter((name) => isMethodNamespace(shape[name]));
}

function cacheOf(context: PassthroughContext<never>): Map<string, unknown> {
  let cache = caches.get(context);
  if (!cache) {
    cache = new Map();
    caches.set(context, cache);
  }
  return cache;
}

/**
 * The task for the SDK method at `path`, named after it (`admin.users.list`, `issues.listForRepo`): a read is
 * `idempotent`, anything else a write the kit does not repeat after an unknown outcome.
 */
function methodTask<TClient>(context: PassthroughContext<TClient>, path: readonly string[]) {
  const name = path.join(".");
  const { sdk } = context;
  const read = (sdk.isRead ?? isReadMethodName)(path);
  return (key: IntegrationTaskKey, ...params: unknown[]) =>
    context.runTask(
      key,
      async (client) => {
        const parent = resolve(sdk.root(client), path.slice(0, -1));
        const method = resolve(parent, path.slice(-1));
        if (typeof method !== "function") throw new TypeError(`The SDK has no method ${name}`);
        const answer = await (method as Method).apply(parent, params);
        return sdk.result === "data" ? (answer as { data: unknown }).data : answer;
      },
      {
        name,
        ...(params[0] !== undefined && { params: params[0] }),
        properties: context.properties?.(params[0], name) ?? [],
        ...(read && { idempotency: "idempotent" as const }),
      },
    );
}

function namespaceProxy<TClient>(
  context: PassthroughContext<TClient>,
  path: readonly string[],
  target: object,
): unknown {
  const cache = cacheOf(context as PassthroughContext<never>);
  return new Proxy(target, {
    get(own, prop) {
      if (typeof prop !== "string") return Reflect.get(own, prop, own);
      const child = [...path, prop];
      const cacheKey = child.join(".");
      if (prop in own) {
        const value: unknown = Reflect.get(own, prop, own);
        if (typeof value === "function") return value.bind(own);
        // A child task class (`checkout.sessions`): its other methods pass through as well.
        if (
          typeof value === "object" &&
          value !== null &&
          isMethodNamespace(resolve(methodShape(context.sdk), child))
        ) {
          let wrapped = cache.get(`${cacheKey}#own`);
          if (!wrapped || (wrapped as { target?: unknown }).target !== value) {
            wrapped = { target: value, proxy: namespaceProxy(context, child, value) };
            cache.set(`${cacheKey}#own`, wrapped);
          }
          return (wrapped as { proxy: unknown }).proxy;
        }
        return value;
      }
      const cached = cache.get(cacheKey);
      if (cached !== undefined) return cached;
      const node = resolve(methodShape(context.sdk), child);
      let made: unknown;
      if (typeof node === "function") made = methodTask(context, child);
      else if (isMethodNamespace(node)) made = namespaceProxy(context, child, Object.create(null));
      if (made !== undefined) cache.set(cacheKey, made);
      return made;
    },
    has(own, prop) {
      return (
        prop in own ||
        (typeof prop === "string" && resolve(methodShape(context.sdk), [...path, prop]) !== undefined)
      );
    },
  });
}

/**
 * The typed passthrough, lazy and cached: every method of the SDK namespace at `path` as a durable task
 * named after it, with the hand-written tasks of `handWritten` (a task class) taking precedence. Nothing
 * is built until a method is used, and each method's task function is built once per context.
 */
export function sdkPassthrough<TClient>(
  context: PassthroughContext<TClient>,
  path: readonly string[],
  handWritten?: object,
): unknown {
  return namespaceProxy(context, path, handWritten ?? Object.create(null));
}

import type { gmail_v1, MethodOptions } from "@googleapis/gmail";

/**
 * One `@googleapis/gmail` method as its promise form: every method has the same six overloads (stream, promise,
 * then four callback forms); the second is the one a task calls, `(params, options) => Promise<{ data }>`.
 */
export type GmailMethod<F> = F extends {
  (params: infer _P1, options: infer _O1): unknown;
  (params?: infer P, options?: MethodOptions): Promise<infer R>;
  (a: infer _A3, b: infer _B3, c: infer _C3): unknown;
  (a: infer _A4, b: infer _B4, c: infer _C4): unknown;
  (a: infer _A5, b: infer _B5): unknown;
  (a: infer _A6): unknown;
}
  ? (params: P, options?: MethodOptions) => Promise<R>
  : never;

/** A Gmail resource (`users.messages`) as its API methods alone, each in its promise form. */
export type GmailMethods<R> = {
  [K in keyof R as K extends "context" ? never : K]: R[K] extends (...args: never) => unknown
    ? GmailMethod<R[K]>
    : GmailMethods<R[K]>;
};

/** The Gmail client's method tree (`users`, `users.messages`, `users.settings.filters`, ...), typed from the SDK. */
export type GmailTree = { users: GmailMethods<gmail_v1.Resource$Users> };

const trees = new WeakMap<object, GmailTree>();

/**
 * The client's method tree: `@googleapis/gmail`'s resources are class instances (each holding the request
 * `context`) whose methods live on their prototypes, and a resource holds both methods and child resources
 * (`users.getProfile` beside `users.messages`), which the kit's `instanceMethodTree` (methods or children, not
 * both) does not read: walked here into the plain namespaces the passthrough reads. Built once per client.
 */
export function gmailMethodTree(client: gmail_v1.Gmail): GmailTree {
  let tree = trees.get(client);
  if (!tree) {
    tree = { users: resourceTree(client.users) } as unknown as GmailTree;
    trees.set(client, tree);
  }
  return tree;
}

function resourceTree(resource: object): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(resource)) {
    if (key !== "context" && typeof value === "object" && value !== null) out[key] = resourceTree(value);
  }
  for (const name of Object.getOwnPropertyNames(Object.getPrototypeOf(resource))) {
    const method = (resource as Record<string, unknown>)[name];
    if (name === "constructor" || typeof method !== "function") continue;
    out[name] = (...args: unknown[]) => method.apply(resource, args);
  }
  return out;
}

import type { IntegrationTaskKey, TaskOutput } from "@autoflow/core";
import { LogLevel, WebClient } from "@slack/web-api";
import { commonProperties } from "./properties";
import type { SlackRunTask } from "./run-task";

type SdkMethod = (...args: never) => Promise<unknown>;

/** One WebClient method as a task: the task key, then the method's own arguments; the output is its response, JSON round-tripped. */
export type SlackTaskMethod<M> = M extends (...args: infer A) => Promise<infer R>
  ? (key: IntegrationTaskKey, ...params: A) => Promise<TaskOutput<R>>
  : never;

/** A WebClient namespace as tasks, nested namespaces included (`admin.users.session.list`). */
export type SlackTasks<N> = {
  readonly [K in keyof N]: N[K] extends SdkMethod
    ? SlackTaskMethod<N[K]>
    : N[K] extends (...args: never) => unknown
      ? never
      : N[K] extends object
        ? SlackTasks<N[K]>
        : never;
};

/** The top-level method namespaces of WebClient (`chat`, `admin`, `bookmarks`, ...). */
export type SlackNamespace = {
  [K in keyof WebClient]-?: WebClient[K] extends (...args: never) => unknown
    ? never
    : WebClient[K] extends object
      ? K
      : never;
}[keyof WebClient];

/** A namespace with hand-written tasks: they win, and every other method of the namespace passes through. */
export type WithPassthrough<K extends SlackNamespace, H> = H & Omit<SlackTasks<WebClient[K]>, keyof H>;

let shape: WebClient | undefined;

/** A client kept only to know which methods exist: the method tree is the SDK's, not a copy. */
function methodShape(): WebClient {
  shape ??= new WebClient(undefined, { logLevel: LogLevel.ERROR });
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

/** The task for the WebClient method at `path`, named after it (`admin.users.list`). */
function methodTask(runTask: SlackRunTask, path: readonly string[]) {
  const name = path.join(".");
  return (key: IntegrationTaskKey, params?: unknown) =>
    runTask(
      key,
      async (client) => {
        const method = resolve(client, path);
        if (typeof method !== "function") throw new TypeError(`WebClient has no method ${name}`);
        return (method as (options?: unknown) => Promise<unknown>)(params);
      },
      { name, ...(params !== undefined && { params }), properties: commonProperties(params) },
    );
}

function namespaceProxy(runTask: SlackRunTask, path: readonly string[], target: object): unknown {
  return new Proxy(target, {
    get(own, prop) {
      if (typeof prop !== "string" || prop in own) {
        const value: unknown = Reflect.get(own, prop, own);
        return typeof value === "function" && typeof prop === "string" ? value.bind(own) : value;
      }
      const node = resolve(methodShape(), [...path, prop]);
      if (typeof node === "function") return methodTask(runTask, [...path, prop]);
      if (typeof node === "object" && node !== null) {
        return namespaceProxy(runTask, [...path, prop], Object.create(null));
      }
      return undefined;
    },
    has(own, prop) {
      return (
        prop in own || (typeof prop === "string" && resolve(methodShape(), [...path, prop]) !== undefined)
      );
    },
  });
}

/**
 * The typed passthrough: every method of WebClient namespace `namespace` as a durable task, built
 * from the SDK's own types, with the hand-written tasks of `handwritten` taking precedence.
 */
export function passthrough<K extends SlackNamespace, H extends object = {}>(
  runTask: SlackRunTask,
  namespace: K,
  handwritten?: H,
): WithPassthrough<K, H> {
  return namespaceProxy(runTask, [namespace], handwritten ?? Object.create(null)) as WithPassthrough<K, H>;
}

import type { OmitIndexSignature } from "type-fest";
import type { IntegrationTaskKey } from "../integration";
import type { TaskOutput } from "../json";
import type { SdkResultShape } from "./provider-definition";

type SdkMethod = (...args: never) => Promise<unknown>;

/** What a task resolves to: the SDK's answer, or its `data` for Octokit-style SDKs, JSON round-tripped. */
export type SdkAnswer<R, S extends SdkResultShape> = S extends "data"
  ? R extends { data: infer D }
    ? D
    : R
  : R;

/**
 * A params type without its catch-all index signature (Octokit's `RequestParameters` has
 * `[parameter: string]: unknown`), so a misspelt key is an excess-property error instead of passing
 * silently; the named members (`headers`, `request`, ...) stay. Types without one are left as they are.
 */
export type StrictParams<P> = P extends object ? (string extends keyof P ? OmitIndexSignature<P> : P) : P;

/**
 * The method's parameters, with a lone optional parameter made required when its type has required
 * fields (Octokit declares every method `(params?)`, yet `issues.create` cannot be called without an
 * owner), and without a catch-all index signature (`StrictParams`).
 */
export type SdkParams<A extends readonly unknown[]> = A extends [(infer P)?]
  ? [P] extends [undefined]
    ? A
    : {} extends NonNullable<P>
      ? string extends keyof NonNullable<P>
        ? [params?: StrictParams<NonNullable<P>>]
        : A
      : [params: StrictParams<NonNullable<P>>]
  : A;

/** One SDK method as a task: the task key, then the method's own parameters; resolves to its answer as the task log keeps it. */
export type SdkTaskMethod<M, S extends SdkResultShape = "response"> = M extends (
  ...args: infer A
) => Promise<infer R>
  ? (key: IntegrationTaskKey, ...params: SdkParams<A>) => Promise<TaskOutput<SdkAnswer<R, S>>>
  : never;

/** The params of SDK method `M` as its task takes them: the SDK's own type, without a catch-all index signature. */
export type SdkMethodParams<M> = M extends (params?: infer P) => unknown
  ? StrictParams<NonNullable<P>>
  : never;

/** What SDK method `M` answers, as its task resolves it (its `data` for `"data"` SDKs) before the task log's JSON round trip. */
export type SdkMethodAnswer<M, S extends SdkResultShape = "response"> = M extends (
  ...args: never[]
) => Promise<infer R>
  ? SdkAnswer<R, S>
  : never;

/** An SDK namespace as tasks, nested namespaces included (`admin.users.session.list`, `checkout.sessions.create`). */
export type SdkTasks<N, S extends SdkResultShape = "response"> = {
  readonly [K in keyof N]: N[K] extends SdkMethod
    ? SdkTaskMethod<N[K], S>
    : N[K] extends (...args: never) => unknown
      ? never
      : N[K] extends object
        ? SdkTasks<N[K], S>
        : never;
};

/** The top-level method namespaces of an SDK's tree (`chat`, `admin`; `issues`, `actions`). */
export type SdkNamespaceName<Tree> = {
  [K in keyof Tree]-?: Tree[K] extends (...args: never) => unknown
    ? never
    : Tree[K] extends object
      ? K
      : never;
}[keyof Tree] &
  string;

/**
 * A task class with the rest of its SDK namespace: the hand-written tasks win, every other method of
 * the namespace passes through, and child task classes (`checkout.sessions`) get the same treatment.
 */
export type WithPassthrough<H, N, S extends SdkResultShape = "response"> = {
  readonly [K in keyof H]: H[K] extends (...args: never) => unknown
    ? H[K]
    : K extends keyof N
      ? H[K] extends object
        ? WithPassthrough<H[K], N[K], S>
        : H[K]
      : H[K];
} & Omit<SdkTasks<N, S>, keyof H>;

/** Every namespace of the SDK's tree that has no hand-written task class, as passthrough tasks. */
export type PassthroughNamespaces<Tree, S extends SdkResultShape, HandWritten extends string = never> = {
  readonly [K in Exclude<SdkNamespaceName<Tree>, HandWritten>]: SdkTasks<Tree[K], S>;
};

/**
 * A definition's hand-written task classes (`tasks: { chat: Chat }`) as the provider class's getters: each task
 * class with the rest of its SDK namespace passing through. A doc comment on an entry is its getter's.
 */
export type ProviderTaskGetters<Tasks, Tree, S extends SdkResultShape> = {
  readonly [K in keyof Tasks]: Tasks[K] extends abstract new (
    ...args: never
  ) => infer C
    ? WithPassthrough<C, K extends keyof Tree ? Tree[K] : never, S>
    : never;
};

import type { SdkMethodAnswer, StrictParams } from "@autoflow/core";
import type { CloudClient } from "jira.js/cloud";

type Method<N extends keyof CloudClient, M extends keyof CloudClient[N]> = CloudClient[N][M];

/** The params jira.js's `client[N][M]` takes, as its task takes them (no catch-all index signature). */
export type JiraParams<N extends keyof CloudClient, M extends keyof CloudClient[N]> =
  Method<N, M> extends (...args: infer A) => unknown ? StrictParams<NonNullable<A[0]>> : never;

type KnownKeys<T> = keyof { [K in keyof T as string extends K ? never : number extends K ? never : K]: T[K] };

/**
 * jira.js's models are loose zod objects (`{ id: string; [key: string]: unknown }`): the task log's JSON type would
 * collapse them to `{}`. Without the catch-all beside named fields, deeply; a pure record (`fields`) stays one.
 */
export type JiraModel<T> = T extends string | number | boolean | bigint | null | undefined | Date
  ? T
  : T extends readonly (infer U)[]
    ? JiraModel<U>[]
    : T extends object
      ? [KnownKeys<T>] extends [never]
        ? T
        : { [K in keyof T as string extends K ? never : number extends K ? never : K]: JiraModel<T[K]> }
      : T;

/** What jira.js's `client[N][M]` answers (its model without catch-alls, see `JiraModel`). */
export type JiraAnswer<N extends keyof CloudClient, M extends keyof CloudClient[N]> = JiraModel<
  SdkMethodAnswer<Method<N, M>>
>;

/**
 * jira.js's client as the passthrough types it: every method answering its model without catch-alls (`JiraModel`),
 * so `io.jira.issueWatchers.getIssueWatchers(...)` resolves to its fields rather than to `{}`.
 */
export type JiraTree = {
  readonly [N in keyof CloudClient]: {
    readonly [M in keyof CloudClient[N]]: CloudClient[N][M] extends (...args: infer A) => Promise<infer R>
      ? (...args: A) => Promise<JiraModel<R>>
      : CloudClient[N][M];
  };
};

/**
 * A jira.js answer as its model without catch-alls (`JiraModel`). The same value: only its type changes, which spares
 * the checker relating jira.js's zod-inferred models to their projections (seconds per task under `tsc`).
 */
export function asModel<T>(answer: Promise<unknown>): Promise<T> {
  return answer as Promise<T>;
}

import type { SdkMethodAnswer, StrictParams } from "@autoflow/core";
import type { CloudClient } from "jira.js";

type Method<N extends keyof CloudClient, M extends keyof CloudClient[N]> = CloudClient[N][M];

/** The params jira.js's `client[N][M]` takes, as its task takes them (no catch-all index signature). */
export type JiraParams<N extends keyof CloudClient, M extends keyof CloudClient[N]> =
  Method<N, M> extends (...args: infer A) => unknown ? StrictParams<NonNullable<A[0]>> : never;

/** What jira.js's `client[N][M]` answers. */
export type JiraAnswer<N extends keyof CloudClient, M extends keyof CloudClient[N]> = SdkMethodAnswer<
  Method<N, M>
>;

import type {
  IntegrationTaskKey,
  IO,
  IOTask,
  RunTaskErrorCallback,
  RunTaskOptions,
  TaskOutput,
} from "@autoflow/core";
import type { Octokit } from "octokit";

/** `octokit.rest`: every REST method, namespaced as the SDK has them. */
export type GithubRest = Octokit["rest"];

/** A namespace of `octokit.rest`: `issues`, `pulls`, `actions`, ... */
export type GithubNamespaceName = keyof GithubRest;

/** The params of `octokit.rest[N][M]`, exactly as the SDK types them. */
export type GithubParams<
  N extends GithubNamespaceName,
  M extends keyof GithubRest[N],
> = GithubRest[N][M] extends (params?: infer P) => unknown ? NonNullable<P> : never;

/** The response `data` of `octokit.rest[N][M]`, as the SDK types it. */
export type GithubData<
  N extends GithubNamespaceName,
  M extends keyof GithubRest[N],
> = GithubRest[N][M] extends (...args: never[]) => Promise<{ data: infer D }> ? D : never;

/**
 * A REST method as a durable task: the task key first, then the SDK's params; resolves to the response
 * data, typed as the SDK types it (GitHub answers JSON, so the task log's JSON round trip keeps that shape).
 */
export type GithubTaskMethod<F> = F extends (params?: infer P) => Promise<{ data: infer D }>
  ? {} extends NonNullable<P>
    ? (key: IntegrationTaskKey, params?: NonNullable<P>) => Promise<D>
    : (key: IntegrationTaskKey, params: NonNullable<P>) => Promise<D>
  : never;

/** Every method of one `octokit.rest` namespace as a task. */
export type GithubTaskNamespace<N extends GithubNamespaceName> = {
  readonly [M in keyof GithubRest[N]]: GithubTaskMethod<GithubRest[N][M]>;
};

/** `Github#runTask`, as the task files receive it. */
export type GithubRunTask = <T>(
  key: IntegrationTaskKey,
  callback: (client: Octokit, task: IOTask, io: IO) => Promise<T>,
  options?: RunTaskOptions,
  onError?: RunTaskErrorCallback,
) => Promise<TaskOutput<T>>;

/**
 * `Github#runTask` for callbacks that return a GitHub response's `data`: resolves to the SDK's own type.
 * GitHub's data is JSON already, so the task log's round trip leaves it as typed; and `TaskOutput<>`
 * of an Octokit type does not survive a second `Jsonify` (a job returning it would see `{}`).
 */
export type GithubDataRunTask = <T>(
  key: IntegrationTaskKey,
  callback: (client: Octokit, task: IOTask, io: IO) => Promise<T>,
  options?: RunTaskOptions,
  onError?: RunTaskErrorCallback,
) => Promise<T>;

/** What every task file needs: the run-bound `runTask` and the web URL issues and pulls live under. */
export interface GithubTaskContext {
  runTask: GithubDataRunTask;
  /** `https://github.com`, or the GHES host. */
  webUrl: string;
}

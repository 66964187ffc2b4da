import {
  type ConnectionAuth,
  type IntegrationTaskKey,
  type IO,
  type IOTask,
  type RunTaskErrorCallback,
  type RunTaskOptions,
  retry,
  type TaskOutput,
  type TriggerIntegration,
} from "@autoflow/core";
import type { Octokit } from "octokit";
import { createOctokit, GITHUB_API_URL, type GithubClientOptions } from "./client";
import { onGithubError } from "./errors";
import { passthroughNamespace, restCatalog } from "./passthrough";
import { gitTasks } from "./tasks/git";
import { issuesTasks } from "./tasks/issues";
import { pullsTasks } from "./tasks/pulls";
import { reactionsTasks } from "./tasks/reactions";
import { reposTasks } from "./tasks/repos";
import { webUrlFor } from "./transport";
import type { GithubNamespaceName, GithubTaskContext, GithubTaskNamespace } from "./types";

/** Constructor options (spec 000): `id` always; `token` for a personal access token, else OAuth per run. */
export type GithubIntegrationOptions = GithubClientOptions & {
  id: string;
  /** A personal access token or an OAuth token. Omit it to use the run's connection (HOSTED). */
  token?: string;
};

const HAND_WRITTEN = {
  issues: issuesTasks,
  pulls: pullsTasks,
  repos: reposTasks,
  reactions: reactionsTasks,
  git: gitTasks,
} as const;

type HandWritten = typeof HAND_WRITTEN;
type HandWrittenName = keyof HandWritten;

/** A namespace with hand-written tasks: those, plus every other method of the namespace as a passthrough task. */
export type GithubTaskNamespaceWith<N extends HandWrittenName> = Omit<
  GithubTaskNamespace<N>,
  keyof ReturnType<HandWritten[N]>
> &
  ReturnType<HandWritten[N]>;

/** Every `octokit.rest` namespace without hand-written tasks, each method a typed task (`io.github.actions.listRepoWorkflows`). */
export type GithubPassthroughNamespaces = {
  readonly [N in Exclude<GithubNamespaceName, HandWrittenName>]: GithubTaskNamespace<N>;
};

/** The passthrough namespaces, merged into the class: its constructor defines them on every instance. */
export interface Github extends GithubPassthroughNamespaces {}

/**
 * GitHub for AutoFlow jobs: every `octokit.rest` method as a durable, typed task
 * (`io.github.issues.create(key, params)`), with Octokit's own retries and throttling off so the
 * runtime owns retries, and GitHub's errors translated into the spec-003 taxonomy.
 */
// biome-ignore lint/suspicious/noUnsafeDeclarationMerging: the constructor defines the interface's namespaces on every instance, from octokit's own list.
export class Github implements TriggerIntegration {
  private readonly options: GithubIntegrationOptions;
  private readonly namespaces = new Map<GithubNamespaceName, object>();
  private client?: Octokit;
  private io?: IO;
  private connectionKey?: string;
  private token?: string;

  constructor(options: GithubIntegrationOptions) {
    // A token key that is present but empty is an unset environment variable, not a request for OAuth.
    if (Object.keys(options).includes("token") && !options.token) {
      throw new Error(`Can't create GitHub integration (${options.id}) as token was undefined`);
    }
    this.options = options;
    for (const namespace of restCatalog().keys()) {
      if (namespace in HAND_WRITTEN) continue;
      Object.defineProperty(this, namespace, { get: () => this.namespace(namespace), configurable: true });
    }
  }

  get id(): string {
    return this.options.id;
  }

  get metadata(): { name: string; id: string } {
    return { name: "GitHub", id: "github" };
  }

  /** `LOCAL` with a token of its own, `HOSTED` when the run's connection supplies OAuth auth. */
  get authSource(): "LOCAL" | "HOSTED" {
    return this.options.token ? "LOCAL" : "HOSTED";
  }

  /** A new instance bound to the run's `io`, connection key and auth, with its own Octokit client. */
  cloneForRun(io: IO, connectionKey: string, auth?: ConnectionAuth): Github {
    const token = this.options.token ?? auth?.accessToken;
    if (!token)
      throw new Error(`Can't run GitHub integration (${this.options.id}): no token and no connection auth`);
    const github = new Github(this.options);
    github.io = io;
    github.connectionKey = connectionKey;
    github.token = token;
    github.client = createOctokit(token, this.options);
    return github;
  }

  /** The token, so the runtime scrubs it from everything it logs. */
  secretValues(): readonly string[] {
    return this.token ? [this.token] : [];
  }

  /**
   * Runs any Octokit call as a durable task: logged once under `key`, replayed from the log, retried
   * with `retry.standardBackoff` for retryable errors and at GitHub's reset time for rate limits.
   * `onError` sees the raw Octokit error first; when it decides nothing, GitHub's translation does.
   */
  runTask<T>(
    key: IntegrationTaskKey,
    callback: (client: Octokit, task: IOTask, io: IO) => Promise<T>,
    options?: RunTaskOptions,
    onError?: RunTaskErrorCallback,
  ): Promise<TaskOutput<T>> {
    if (!this.io) throw new Error("No IO");
    if (!this.connectionKey) throw new Error("No connection key");
    const client = this.client;
    return this.io.runTask(
      key,
      async (task, io) => {
        if (!client) throw new Error("No client");
        return callback(client, task, io);
      },
      { icon: "github", retry: retry.standardBackoff, ...options, connectionKey: this.connectionKey },
      async (error, task, io) => {
        return (await onError?.(error, task, io)) ?? onGithubError(error, task, io);
      },
    );
  }

  /** `io.github.issues.create(...)`, `update`, `get`, `list`, `listForRepo`, `createComment`, `addLabels`, and every other issues method. */
  get issues(): GithubTaskNamespaceWith<"issues"> {
    return this.namespace("issues") as GithubTaskNamespaceWith<"issues">;
  }

  /** `io.github.pulls.create(...)`, `get`, `list`, `merge`, and every other pulls method. */
  get pulls(): GithubTaskNamespaceWith<"pulls"> {
    return this.namespace("pulls") as GithubTaskNamespaceWith<"pulls">;
  }

  /** `io.github.repos.get(...)`, `listForAuthenticatedUser`, `createWebhook`, and every other repos method. */
  get repos(): GithubTaskNamespaceWith<"repos"> {
    return this.namespace("repos") as GithubTaskNamespaceWith<"repos">;
  }

  /** `io.github.reactions.createForIssue(...)`, `listForIssue`, and every other reactions method. */
  get reactions(): GithubTaskNamespaceWith<"reactions"> {
    return this.namespace("reactions") as GithubTaskNamespaceWith<"reactions">;
  }

  /** `io.github.git.getRef(...)`, `createRef`, `updateRef`, and every other git method. */
  get git(): GithubTaskNamespaceWith<"git"> {
    return this.namespace("git") as GithubTaskNamespaceWith<"git">;
  }

  /** The namespace's passthrough tasks with its hand-written ones laid over them; built once per instance. */
  private namespace(name: GithubNamespaceName): object {
    let found = this.namespaces.get(name);
    if (!found) {
      const context: GithubTaskContext = {
        runTask: this.runTask.bind(this) as GithubTaskContext["runTask"],
        webUrl: webUrlFor(this.options.baseUrl ?? GITHUB_API_URL),
      };
      const handWritten = name in HAND_WRITTEN ? HAND_WRITTEN[name as HandWrittenName](context) : {};
      found = { ...passthroughNamespace(name, context), ...handWritten };
      this.namespaces.set(name, found);
    }
    return found;
  }
}

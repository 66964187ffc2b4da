import {
  assertTokenDefined,
  type ConnectionAuth,
  type IntegrationTaskKey,
  type IO,
  type IOTask,
  type PollingTrigger,
  type ProviderTaskConfig,
  type RunBinding,
  type RunTaskErrorCallback,
  type RunTaskOptions,
  runProviderTask,
  type TaskOutput,
  type TriggerIntegration,
  type WebhookTrigger,
} from "@autoflow/core";
import type {
  IssuesOpenedEvent,
  PullRequestEvent,
  PushEvent,
  WebhookEventMap,
  WebhookEventName,
} from "@octokit/webhooks-types";
import type { Octokit } from "octokit";
import { createOctokit, GITHUB_API_URL, type GithubClientOptions } from "./client";
import { onGithubError, toGithubError } from "./errors";
import { passthroughNamespace, restCatalog } from "./passthrough";
import { gitTasks } from "./tasks/git";
import { issuesTasks } from "./tasks/issues";
import { pullsTasks } from "./tasks/pulls";
import { reactionsTasks } from "./tasks/reactions";
import { reposTasks } from "./tasks/repos";
import { webUrlFor } from "./transport";
import {
  type GithubNewStarOptions,
  type GithubStargazer,
  githubNewStarTrigger,
} from "./triggers/star-polling";
import {
  type GithubEventAction,
  type GithubEventFilter,
  type GithubEventPayload,
  type GithubPushFilter,
  type GithubRepoFilter,
  githubEventTrigger,
  issueOpenedTrigger,
  pullRequestTrigger,
  pushTrigger,
} from "./triggers/webhook-triggers";
import type { GithubNamespaceName, GithubTaskContext, GithubTaskNamespace } from "./types";

/** Constructor options (spec 000): `id` always; `token` for a personal access token, else OAuth per run. */

const GITHUB_TASKS: ProviderTaskConfig = {
  provider: "github",
  name: "GitHub",
  toError: toGithubError,
  onError: onGithubError,
};

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
  private binding?: RunBinding<Octokit>;
  private token?: string;

  constructor(options: GithubIntegrationOptions) {
    assertTokenDefined(options, "GitHub");
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
    github.token = token;
    github.binding = { io, connectionKey, client: createOctokit(token, this.options) };
    return github;
  }

  /** The token, so the runtime scrubs it from everything it logs. */
  secretValues(): readonly string[] {
    return this.token ? [this.token] : [];
  }

  /**
   * Runs any Octokit call as a durable task: logged once under `key`, replayed from the log, retried
   * with `retry.standardBackoff` for retryable errors and at GitHub's reset time for rate limits.
   * Octokit errors reach `onError` already translated (`IntegrationError`, the `RequestError` as `cause`).
   */
  runTask<T>(
    key: IntegrationTaskKey,
    callback: (client: Octokit, task: IOTask, io: IO) => Promise<T>,
    options?: RunTaskOptions,
    onError?: RunTaskErrorCallback,
  ): Promise<TaskOutput<T>> {
    return runProviderTask(GITHUB_TASKS, this.binding, key, callback, options, onError);
  }

  /** Starts a run for every issue opened in `owner/repo`, with GitHub's `issues.opened` payload; with a connection the service creates the repository's hook. */
  onIssueOpened(filter: { owner: string; repo: string }): WebhookTrigger<IssuesOpenedEvent> {
    return issueOpenedTrigger(filter, this.clientOptions());
  }

  /** Starts a run for every push to `owner/repo`, or only to `ref` (`main` or `refs/tags/v1`). */
  onPush(filter: GithubPushFilter): WebhookTrigger<PushEvent> {
    return pushTrigger(filter, this.clientOptions());
  }

  /** Starts a run for pull request events in `owner/repo`: every action, or one (`"opened"` narrows the payload type). */
  onPullRequest(filter: { owner: string; repo: string }): WebhookTrigger<PullRequestEvent>;
  onPullRequest<A extends GithubEventAction<"pull_request">>(filter: {
    owner: string;
    repo: string;
    action: A;
  }): WebhookTrigger<GithubEventPayload<"pull_request", A>>;
  onPullRequest(filter: { owner: string; repo: string; action?: string }): WebhookTrigger<never> {
    return pullRequestTrigger(filter, this.clientOptions());
  }

  /** Starts a run for any GitHub webhook event (`"issues"`, `"release"`, ...), optionally one action, one owner or one repository. */
  onEvent<E extends WebhookEventName>(
    event: E,
    filter?: GithubRepoFilter,
  ): WebhookTrigger<WebhookEventMap[E]>;
  onEvent<E extends WebhookEventName, A extends GithubEventAction<E>>(
    event: E,
    filter: GithubRepoFilter & { action: A },
  ): WebhookTrigger<GithubEventPayload<E, A>>;
  onEvent(event: WebhookEventName, filter: GithubEventFilter<string> = {}): WebhookTrigger<never> {
    return githubEventTrigger(event, filter, { client: this.clientOptions() });
  }

  /**
   * Starts a run for every new star on `owner/repo`, by polling the stargazers list (no webhook needed).
   * Polls use this instance's token; without one (HOSTED), pass `token` (a function may fetch the connection's).
   */
  onNewStar(options: GithubNewStarOptions): PollingTrigger<GithubStargazer> {
    const token = options.token ?? this.options.token;
    if (token === undefined) {
      throw new TypeError(
        `GitHub (${this.options.id}): onNewStar polls outside any run, so it needs a token: give the integration one, or pass \`token\``,
      );
    }
    return githubNewStarTrigger({ ...options, token, client: this.clientOptions() });
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

  /** How this instance reaches GitHub (`baseUrl`, timeout, fetch), without its id and token: for triggers. */
  private clientOptions(): GithubClientOptions {
    const { id: _id, token: _token, ...client } = this.options;
    return client;
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

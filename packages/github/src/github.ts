import {
  type IntegrationTaskKey,
  type IO,
  type IOTask,
  type PollingTrigger,
  type ProviderDefinition,
  type ProviderIntegrationClass,
  type ProviderTaskOptions,
  providerIntegration,
  type RunTaskErrorCallback,
  type TaskOutput,
  type WebhookTrigger,
  type WithPassthrough,
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
import { GITHUB_PROVIDER, toGithubError } from "./errors";
import { Git } from "./tasks/git";
import { Issues } from "./tasks/issues";
import { paramProperties } from "./tasks/properties";
import { Pulls } from "./tasks/pulls";
import { Reactions } from "./tasks/reactions";
import { Repos } from "./tasks/repos";
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
import type { GithubRest } from "./types";

/** Constructor options (spec 000): `id` always; `token` for a personal access token, else OAuth per run. */
export type GithubIntegrationOptions = GithubClientOptions & {
  id: string;
  /** A personal access token or an OAuth token. Omit it to use the run's connection (HOSTED). */
  token?: string;
};

/** What the provider kit knows of GitHub: its client, its method tree, its error table and its token shapes. */
export const GITHUB_PROVIDER_DEFINITION: ProviderDefinition<Octokit, GithubIntegrationOptions> = {
  id: GITHUB_PROVIDER,
  name: "GitHub",
  createClient: (token, options) => createOctokit(token, options),
  toError: (error, now) => toGithubError(error, now),
  sdk: { root: (client) => client.rest, shape: () => createOctokit(undefined), result: "data" },
  secrets: {
    // Classic tokens (ghp_, gho_, ghu_, ghs_, ghr_) and fine-grained ones (github_pat_).
    tokenShapes: [/\bgh[pousr]_[A-Za-z0-9]{8,}/g, /\bgithub_pat_[A-Za-z0-9_]{8,}/g],
    tokenPrefixes: ["github_pat_"],
  },
};

/** The `octokit.rest` namespaces with a task class; every other one passes through whole. */
type HandWritten = "issues" | "pulls" | "repos" | "reactions" | "git";

/** A task class with the rest of its `octokit.rest` namespace passing through. */
type WithRest<C, N extends HandWritten> = WithPassthrough<C, GithubRest[N], "data">;

// Declared, not inferred: the declaration files can then name Octokit's types.
const GithubIntegration: ProviderIntegrationClass<
  Octokit,
  GithubIntegrationOptions,
  GithubRest,
  "data",
  HandWritten
> = providerIntegration();

/**
 * GitHub for AutoFlow jobs: every `octokit.rest` method as a durable, typed task
 * (`io.github.issues.create(key, params)`, `io.github.actions.listRepoWorkflows(key, params)`), with
 * Octokit's own retries and throttling off so the runtime owns retries, and GitHub's errors translated
 * into the spec-003 taxonomy.
 */
export class Github extends GithubIntegration {
  /** `https://github.com`, or the GHES host: where task properties link to. */
  private readonly webUrl: string;

  constructor(options: GithubIntegrationOptions) {
    super(GITHUB_PROVIDER_DEFINITION, options);
    this.webUrl = webUrlFor(options.baseUrl ?? GITHUB_API_URL);
  }

  /**
   * Runs any Octokit call as a durable task (spec 001), with the kit's retries, rate-limit waits and
   * error table. Every GitHub task shows where it acted: the repository, issue or pull request and ref
   * its params name, linked on this instance's web host, then the task's own properties.
   */
  override runTask<T>(
    key: IntegrationTaskKey,
    callback: (client: Octokit, task: IOTask, io: IO) => Promise<T>,
    options?: ProviderTaskOptions,
    onError?: RunTaskErrorCallback,
  ): Promise<TaskOutput<T>> {
    const where = paramProperties(this.webUrl, options?.params);
    const display =
      where.length > 0 ? { ...options, properties: [...where, ...(options?.properties ?? [])] } : options;
    return super.runTask(key, callback, display, onError);
  }

  /** `io.github.issues.create(...)`, `update`, `get`, `list`, `listForRepo`, `listForRepoAll`, `createComment`, `addLabels`, and every other issues method. */
  get issues(): WithRest<Issues, "issues"> {
    return this.tasks("issues", Issues);
  }

  /** `io.github.pulls.create(...)`, `get`, `list`, `merge`, and every other pulls method. */
  get pulls(): WithRest<Pulls, "pulls"> {
    return this.tasks("pulls", Pulls);
  }

  /** `io.github.repos.get(...)`, `listForAuthenticatedUser`, `createWebhook`, and every other repos method. */
  get repos(): WithRest<Repos, "repos"> {
    return this.tasks("repos", Repos);
  }

  /** `io.github.reactions.createForIssue(...)`, `listForIssue`, and every other reactions method. */
  get reactions(): WithRest<Reactions, "reactions"> {
    return this.tasks("reactions", Reactions);
  }

  /** `io.github.git.getRef(...)`, `createRef`, `updateRef`, and every other git method. */
  get git(): WithRest<Git, "git"> {
    return this.tasks("git", Git);
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

  /** How this instance reaches GitHub (`baseUrl`, timeout, fetch), without its id and token: for triggers. */
  private clientOptions(): GithubClientOptions {
    const { id: _id, token: _token, ...client } = this.options;
    return client;
  }
}

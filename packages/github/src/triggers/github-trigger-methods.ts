import type { PollingTrigger, WebhookTrigger } from "@autoflow/core";
import type {
  IssuesOpenedEvent,
  PullRequestEvent,
  PushEvent,
  WebhookEventMap,
  WebhookEventName,
} from "@octokit/webhooks-types";
import type { GithubClientOptions } from "../client";
import { GithubIntegration } from "../definition";
import {
  type GithubIssueUpdatedOptions,
  type GithubListedIssue,
  githubIssueUpdatedTrigger,
} from "./issue-polling";
import type { GithubPollingToken } from "./polling-client";
import { type GithubNewStarOptions, type GithubStargazer, githubNewStarTrigger } from "./star-polling";
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
} from "./webhook-triggers";

/** `Github`'s trigger methods (`github.onIssueOpened(...)`), built with the instance's client options. */
export abstract class GithubTriggerMethods extends GithubIntegration {
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
    return githubNewStarTrigger({
      ...options,
      token: this.pollingToken("onNewStar", options.token),
      client: this.clientOptions(),
    });
  }

  /**
   * Starts a run for every issue opened or changed in `owner/repo` (once per issue and `updated_at`), by polling
   * `issues.listForRepo` with `since`; no webhook needed. Token as `onNewStar`.
   */
  onIssueUpdated(options: GithubIssueUpdatedOptions): PollingTrigger<GithubListedIssue> {
    return githubIssueUpdatedTrigger({
      ...options,
      token: this.pollingToken("onIssueUpdated", options.token),
      client: this.clientOptions(),
    });
  }

  private pollingToken(method: string, token: GithubPollingToken | undefined): GithubPollingToken {
    const found = token ?? this.options.token;
    if (found === undefined) {
      throw new TypeError(
        `GitHub (${this.options.id}): ${method} polls outside any run, so it needs a token: give the integration one, or pass \`token\``,
      );
    }
    return found;
  }

  /** How this instance reaches GitHub (`baseUrl`, timeout, fetch), without its id and token: for triggers. */
  private clientOptions(): GithubClientOptions {
    const { id: _id, token: _token, ...client } = this.options;
    return client;
  }
}

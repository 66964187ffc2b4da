import type { WebhookDelivery, WebhookTrigger } from "@autoflow/core";
import type {
  IssuesOpenedEvent,
  PushEvent,
  WebhookEventMap,
  WebhookEventName,
} from "@octokit/webhooks-types";
import type { GithubClientOptions } from "../client";
import { GITHUB_PROVIDER } from "../errors";
import { githubWebhookRegistration } from "./webhook-registration";

/** The `action` values a GitHub event has (`"opened" | "closed" | ...` for `issues`); `never` for events without one (`push`). */
// An indexed access, not a distributive conditional: tsc can check generic calls against it.
export type GithubEventAction<E extends WebhookEventName> = Extract<
  WebhookEventMap[E],
  { action: string }
>["action"];

/** The payload of event `E`, narrowed to action `A` when one is given (`IssuesOpenedEvent` for `("issues", "opened")`). */
export type GithubEventPayload<E extends WebhookEventName, A extends string = never> = [A] extends [never]
  ? WebhookEventMap[E]
  : Extract<WebhookEventMap[E], { action: A }>;

/** Which repository a trigger listens to: one repository, every repository of an owner, or (neither) any. */
export interface GithubRepoFilter {
  owner?: string;
  repo?: string;
}

/** `github.onEvent(name, filter)`: a repository filter and an optional action. */
export interface GithubEventFilter<A extends string = string> extends GithubRepoFilter {
  action?: A;
}

/** `github.onPush(filter)`: `ref` is a full ref (`refs/tags/v1`) or a branch name (`main` = `refs/heads/main`). */
export interface GithubPushFilter {
  owner: string;
  repo: string;
  ref?: string;
}

interface RepositoryLike {
  full_name?: unknown;
  owner?: { login?: unknown };
}

/** Beyond the filter: a title, an extra payload check, and how the registration reaches GitHub. */
export interface GithubTriggerExtra {
  title?: string;
  /** The catalogue key; default the one the event and action correspond to (`issues` `opened`: `github.issueOpened`). */
  key?: string;
  matches?: (payload: Record<string, unknown>) => boolean;
  /** The integration's client options (`baseUrl` for GitHub Enterprise or the emulator), used by the registration. */
  client?: GithubClientOptions;
}

/**
 * A webhook trigger for GitHub event `event` (the `X-GitHub-Event` header), filtered by action and
 * repository. With one repository (`owner` and `repo`) it has a `registration`: the service creates that
 * repository's hook for `event` with the user's connection. Its payload type is `never` here, which fits every payload type: the typed factories
 * (`Github#onEvent` and the others) state it, so tsc never checks a payload union against a generic action.
 */
export function githubEventTrigger(
  event: string,
  filter: GithubEventFilter<string> = {},
  extra: GithubTriggerExtra = {},
): WebhookTrigger<never> {
  const { owner, repo, action } = filter;
  if (repo !== undefined && owner === undefined) {
    throw new TypeError(`GitHub trigger "${event}": \`repo\` needs \`owner\``);
  }
  const where = owner === undefined ? "" : ` in ${repo === undefined ? owner : `${owner}/${repo}`}`;
  const title = extra.title ?? `GitHub: ${event}${action === undefined ? "" : `.${action}`}${where}`;
  const key = extra.key ?? catalogueKeyOf(event, action);
  return {
    kind: "webhook",
    provider: GITHUB_PROVIDER,
    ...(key !== undefined && { key }),
    title,
    matches(delivery: WebhookDelivery): boolean {
      if (delivery.event !== event) return false;
      if (action !== undefined && delivery.action !== action) return false;
      const payload = asRecord(delivery.payload);
      if (!matchesRepository(payload.repository as RepositoryLike | undefined, owner, repo)) return false;
      return extra.matches?.(payload) ?? true;
    },
    // The verifier stored GitHub's JSON as it came; its shape is GitHub's published one.
    payloadOf: (delivery) => delivery.payload as never,
    ...(owner !== undefined &&
      repo !== undefined && {
        registration: githubWebhookRegistration({
          owner,
          repo,
          event,
          ...(extra.client && { client: extra.client }),
        }),
      }),
  };
}

/** `github.onIssueOpened`: `issues` with action `opened` in one repository. */
export function issueOpenedTrigger(
  filter: { owner: string; repo: string },
  client?: GithubClientOptions,
): WebhookTrigger<IssuesOpenedEvent> {
  return githubEventTrigger(
    "issues",
    { ...filter, action: "opened" },
    { title: `GitHub: issue opened in ${filter.owner}/${filter.repo}`, ...(client && { client }) },
  );
}

/** `github.onPush`: `push` in one repository, to any ref or to one. */
export function pushTrigger(
  filter: GithubPushFilter,
  client?: GithubClientOptions,
): WebhookTrigger<PushEvent> {
  const { ref, ...repo } = filter;
  const wanted = ref === undefined ? undefined : fullRef(ref);
  return githubEventTrigger("push", repo, {
    title: `GitHub: push to ${wanted ?? "any ref"} in ${filter.owner}/${filter.repo}`,
    ...(wanted !== undefined && { matches: (payload) => payload.ref === wanted }),
    ...(client && { client }),
  });
}

/** `github.onPullRequest`: `pull_request` in one repository, every action or one. */
export function pullRequestTrigger(
  filter: { owner: string; repo: string; action?: string },
  client?: GithubClientOptions,
): WebhookTrigger<never> {
  const what = filter.action === undefined ? "pull request event" : `pull request ${filter.action}`;
  return githubEventTrigger("pull_request", filter, {
    title: `GitHub: ${what} in ${filter.owner}/${filter.repo}`,
    ...(client && { client }),
  });
}

/** The catalogue trigger (`githubTriggers`) an event and action are, so a code job's trigger reports the same key. */
function catalogueKeyOf(event: string, action: string | undefined): string | undefined {
  if (event === "issues" && action === "opened") return "github.issueOpened";
  if (event === "push") return "github.push";
  if (event === "pull_request") return "github.pullRequest";
  return undefined;
}

/** `refs/heads/main` for `main`; a full ref as it is. */
export function fullRef(ref: string): string {
  return ref.startsWith("refs/") ? ref : `refs/heads/${ref}`;
}

// GitHub logins and repository names are case-insensitive.
function matchesRepository(repository: RepositoryLike | undefined, owner?: string, repo?: string): boolean {
  if (owner === undefined) return true;
  if (repo !== undefined) {
    return (
      typeof repository?.full_name === "string" &&
      repository.full_name.toLowerCase() === `${owner}/${repo}`.toLowerCase()
    );
  }
  const login = repository?.owner?.login;
  return typeof login === "string" && login.toLowerCase() === owner.toLowerCase();
}

function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

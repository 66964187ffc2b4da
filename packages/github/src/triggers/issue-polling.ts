import { definePollingTrigger, type PollingTrigger } from "@autoflow/core";
import type { GithubClientOptions } from "../client";
import { GITHUB_PROVIDER } from "../errors";
import type { GithubData } from "../types";
import { type GithubPollingToken, githubPolled, hasNextPage, pollingOctokit } from "./polling-client";

/** One issue as `GET /repos/{owner}/{repo}/issues` lists it. */
export type GithubListedIssue = GithubData<"issues", "listForRepo">[number];

/** `github.onIssueUpdated(options)`. */
export interface GithubIssueUpdatedOptions {
  owner: string;
  repo: string;
  /** Default 60 000. */
  intervalMs?: number;
  /**
   * How far back each poll lists again: GitHub's `since` listings are eventually consistent, an edit can show
   * up after a newer one. Default 5 minutes.
   */
  overlapMs?: number;
  /** Required when the `Github` instance has no token of its own (HOSTED): polls run outside any job run. */
  token?: GithubPollingToken;
  /**
   * The connection the token belongs to, when the service supplies one: part of the cursor's identity, so two
   * users' triggers on one repository keep a cursor each.
   */
  connectionId?: string;
}

const PER_PAGE = 100;
const DEFAULT_INTERVAL_MS = 60_000;

/**
 * Issues opened or changed in a repository (not pull requests), polled with `issues.listForRepo` (`since`,
 * `sort=updated`, oldest first) on core's polling contract: one run per issue and `updated_at`, nothing lost to
 * an edit that lists late (the overlap window) and nothing repeated (the ledger). The first poll starts from the
 * newest update and fires nothing.
 * @see https://docs.github.com/rest/issues/issues#list-repository-issues
 */
export function githubIssueUpdatedTrigger(
  options: GithubIssueUpdatedOptions & { token: GithubPollingToken; client?: GithubClientOptions },
): PollingTrigger<GithubListedIssue> {
  const { owner, repo } = options;
  const list = async (query: {
    since?: string;
    direction: "asc" | "desc";
    per_page: number;
    page: number;
  }) => {
    const octokit = await pollingOctokit(options.token, options.client);
    return octokit.rest.issues.listForRepo({ owner, repo, state: "all", sort: "updated", ...query });
  };
  return definePollingTrigger<GithubListedIssue>({
    provider: GITHUB_PROVIDER,
    key: "github.issueUpdated",
    inputs: { owner: owner.toLowerCase(), repo: repo.toLowerCase() },
    ...(options.connectionId !== undefined && { connectionId: options.connectionId }),
    title: `GitHub: issue opened or updated in ${owner}/${repo}`,
    intervalMs: options.intervalMs ?? DEFAULT_INTERVAL_MS,
    ...(options.overlapMs !== undefined && { overlapMs: options.overlapMs }),
    itemId: (issue) => `${issue.number}@${issue.updated_at}`,
    itemTime: (issue) => issue.updated_at,
    start: () =>
      githubPolled(async () => {
        const { data } = await list({ direction: "desc", per_page: 1, page: 1 });
        return data[0]?.updated_at ?? null;
      }),
    list: ({ since, page }) =>
      githubPolled(async () => {
        const number = typeof page === "number" ? page : 1;
        const response = await list({
          ...(since !== null && { since }),
          direction: "asc",
          per_page: PER_PAGE,
          page: number,
        });
        return {
          // Every pull request is an issue to this endpoint; it is not one to this trigger.
          items: response.data.filter((issue) => issue.pull_request === undefined),
          ...(hasNextPage(response.headers.link) && { next: number + 1 }),
        };
      }),
  });
}

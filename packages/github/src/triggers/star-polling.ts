import { definePollingTrigger, type PollingListPage, type PollingTrigger } from "@autoflow/core";
import type { Octokit } from "octokit";
import type { GithubClientOptions } from "../client";
import { GITHUB_PROVIDER } from "../errors";
import { githubRoutes } from "../tasks/routes";
import type { GithubData } from "../types";
import { type GithubPollingToken, githubPolled, hasNextPage, pollingOctokit } from "./polling-client";

export type { GithubPollingToken } from "./polling-client";

/** One star as `GET /repos/{owner}/{repo}/stargazers` lists it with the star media type: `starred_at` and `user`. */
export type GithubStargazer = Extract<
  GithubData<"activity", "listStargazersForRepo">[number],
  { starred_at: string }
>;

/** `github.onNewStar(options)`. */
export interface GithubNewStarOptions {
  owner: string;
  repo: string;
  /** Default 60 000 (GitHub counts every poll against the token's 5 000 requests an hour). */
  intervalMs?: number;
  /** Required when the `Github` instance has no token of its own (HOSTED): polls run outside any job run. */
  token?: GithubPollingToken;
  /**
   * The connection the token belongs to, when the service supplies one: part of the cursor's identity, so two
   * users' triggers on one repository keep a cursor each.
   */
  connectionId?: string;
}

const PER_PAGE = 100;
const STAR_MEDIA_TYPE = "application/vnd.github.star+json";
const DEFAULT_INTERVAL_MS = 60_000;

/**
 * New stars on a repository, polled (GitHub's `star` webhook needs a hook; this needs only a token), on core's
 * polling contract: the cursor is the newest `starred_at` seen with a ledger of who starred in the overlap
 * window (`starred_at` has second resolution), so several stars in one second, a restart and a redeploy neither
 * lose nor repeat one. The list is oldest first: each poll reads from the last page back to where `since` falls.
 */
export function githubNewStarTrigger(
  options: GithubNewStarOptions & { token: GithubPollingToken; client?: GithubClientOptions },
): PollingTrigger<GithubStargazer> {
  const { owner, repo } = options;
  const full = `${owner}/${repo}`;
  const lister = async () =>
    new StargazerPages(await pollingOctokit(options.token, options.client), owner, repo);
  return definePollingTrigger<GithubStargazer>({
    provider: GITHUB_PROVIDER,
    key: "github.newStar",
    inputs: { owner: owner.toLowerCase(), repo: repo.toLowerCase() },
    ...(options.connectionId !== undefined && { connectionId: options.connectionId }),
    title: `GitHub: new star on ${full}`,
    intervalMs: options.intervalMs ?? DEFAULT_INTERVAL_MS,
    itemId: (star) => `${star.user?.login ?? "ghost"}@${star.starred_at}`,
    itemTime: (star) => star.starred_at,
    start: () =>
      githubPolled(async () => {
        const pages = await lister();
        const first = await pages.page(1);
        const last = first.lastPage === undefined ? first : await pages.page(first.lastPage);
        return last.stars.at(-1)?.starred_at ?? null;
      }),
    list: ({ since, page }) =>
      githubPolled(async () => {
        const pages = await lister();
        if (typeof page === "number") return pageOf(await pages.page(page), page);
        const first = await pages.page(1);
        let number = since === null ? 1 : (first.lastPage ?? 1);
        let found = number === 1 ? first : await pages.page(number);
        // Back from the last page while the page read starts at or after `since`: earlier pages may hold more.
        while (since !== null && number > 1 && !startsBefore(found.stars, since)) {
          number--;
          found = number === 1 ? first : await pages.page(number);
        }
        return pageOf(found, number);
      }),
  });
}

function startsBefore(stars: GithubStargazer[], since: string): boolean {
  const first = stars[0];
  return first !== undefined && Date.parse(first.starred_at) < Date.parse(since);
}

function pageOf(
  found: { stars: GithubStargazer[]; hasNext: boolean },
  number: number,
): PollingListPage<GithubStargazer> {
  return { items: found.stars, ...(found.hasNext && { next: number + 1 }) };
}

/** Pages of `GET /repos/{owner}/{repo}/stargazers` with `starred_at`, oldest star first. */
class StargazerPages {
  constructor(
    private readonly octokit: Octokit,
    private readonly owner: string,
    private readonly repo: string,
  ) {}

  async page(page: number): Promise<{ stars: GithubStargazer[]; hasNext: boolean; lastPage?: number }> {
    const response = await githubRoutes(this.octokit).request("GET /repos/{owner}/{repo}/stargazers", {
      owner: this.owner,
      repo: this.repo,
      per_page: PER_PAGE,
      page,
      headers: { accept: STAR_MEDIA_TYPE },
    });
    const link = response.headers.link ?? "";
    const last = /[?&]page=(\d+)[^>]*>;\s*rel="last"/.exec(link)?.[1];
    const stars = (response.data as unknown[]).filter(
      (item): item is GithubStargazer =>
        typeof item === "object" &&
        item !== null &&
        typeof (item as { starred_at?: unknown }).starred_at === "string",
    );
    return {
      stars,
      hasNext: hasNextPage(link),
      ...(last !== undefined && { lastPage: Number(last) }),
    };
  }
}

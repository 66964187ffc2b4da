import type { Json, PollingTrigger, PollResult } from "@autoflow/core";
import type { Octokit } from "octokit";
import { createOctokit, type GithubClientOptions } from "../client";
import { GITHUB_PROVIDER, toGithubError } from "../errors";
import { type GithubData, githubRoutes } from "../types";

/** One star as `GET /repos/{owner}/{repo}/stargazers` lists it with the star media type: `starred_at` and `user`. */
export type GithubStargazer = Extract<
  GithubData<"activity", "listStargazersForRepo">[number],
  { starred_at: string }
>;

/** A token, or a function that fetches one per poll (a HOSTED connection's current OAuth token). */
export type GithubPollingToken = string | (() => string | Promise<string>);

/** `github.onNewStar(options)`. */
export interface GithubNewStarOptions {
  owner: string;
  repo: string;
  /** Default 60 000 (GitHub counts every poll against the token's 5 000 requests an hour). */
  intervalMs?: number;
  /** Required when the `Github` instance has no token of its own (HOSTED): polls run outside any job run. */
  token?: GithubPollingToken;
}

/** Where the last poll stopped: how many stars there were, the newest `starred_at`, and who starred at that second. */
export interface GithubStarCursor {
  count: number;
  starredAt: string | null;
  logins: string[];
}

const PER_PAGE = 100;
const STAR_MEDIA_TYPE = "application/vnd.github.star+json";
const DEFAULT_INTERVAL_MS = 60_000;

/**
 * New stars on a repository, polled (GitHub's `star` webhook needs a hook; this needs only a token).
 * The first poll records where the list ends and starts nothing; each later poll reads from there on,
 * oldest first. `starred_at` has second resolution, so the cursor also keeps who starred at its second.
 */
export function githubNewStarTrigger(
  options: GithubNewStarOptions & { token: GithubPollingToken; client?: GithubClientOptions },
): PollingTrigger<GithubStargazer> {
  const { owner, repo } = options;
  const full = `${owner}/${repo}`;
  return {
    kind: "polling",
    provider: GITHUB_PROVIDER,
    id: `github:new-star:${full.toLowerCase()}`,
    title: `GitHub: new star on ${full}`,
    intervalMs: options.intervalMs ?? DEFAULT_INTERVAL_MS,
    async poll(cursor): Promise<PollResult<GithubStargazer>> {
      const token = typeof options.token === "function" ? await options.token() : options.token;
      const lister = new StargazerPages(createOctokit(token, options.client), owner, repo);
      try {
        const previous = parseCursor(cursor);
        return previous ? await pollSince(lister, previous) : await firstPoll(lister);
      } catch (error) {
        throw toGithubError(error);
      }
    },
    itemId: (star) => `${star.user?.login ?? "ghost"}@${star.starred_at}`,
  };
}

/** Nothing historic fires: only where the list ends is recorded. */
async function firstPoll(lister: StargazerPages): Promise<PollResult<GithubStargazer>> {
  const first = await lister.page(1);
  const lastPage = first.lastPage ?? 1;
  const last = lastPage === 1 ? first : await lister.page(lastPage);
  return {
    items: [],
    cursor: toJson(advance(undefined, last.stars, (lastPage - 1) * PER_PAGE + last.stars.length)),
  };
}

async function pollSince(
  lister: StargazerPages,
  cursor: GithubStarCursor,
): Promise<PollResult<GithubStargazer>> {
  // Start a page before where the list ended, so up to a page of unstars in between cannot hide a new star;
  // step back further while the page read is empty (more unstars) or already all new.
  let pageNumber = Math.floor(Math.max(0, cursor.count - PER_PAGE) / PER_PAGE) + 1;
  let page = await lister.page(pageNumber);
  while (pageNumber > 1 && (page.stars[0] === undefined || isNew(page.stars[0], cursor))) {
    pageNumber--;
    page = await lister.page(pageNumber);
  }
  const seen: GithubStargazer[] = [...page.stars];
  while (page.hasNext) {
    pageNumber++;
    page = await lister.page(pageNumber);
    seen.push(...page.stars);
  }
  const items = seen.filter((star) => isNew(star, cursor));
  const count = (pageNumber - 1) * PER_PAGE + page.stars.length;
  return { items, cursor: toJson(advance(cursor, items, count)) };
}

function isNew(star: GithubStargazer, cursor: GithubStarCursor): boolean {
  if (cursor.starredAt === null) return true;
  const at = Date.parse(star.starred_at);
  const last = Date.parse(cursor.starredAt);
  return at > last || (at === last && !cursor.logins.includes(star.user?.login ?? ""));
}

/** The newest `starred_at` among the previous cursor and the stars, with every login at that instant. */
function advance(
  previous: GithubStarCursor | undefined,
  stars: GithubStargazer[],
  count: number,
): GithubStarCursor {
  let starredAt = previous?.starredAt ?? null;
  let logins = [...(previous?.logins ?? [])];
  for (const star of stars) {
    const login = star.user?.login ?? "";
    const newer = starredAt === null || Date.parse(star.starred_at) > Date.parse(starredAt);
    if (newer) {
      starredAt = star.starred_at;
      logins = [login];
    } else if (Date.parse(star.starred_at) === Date.parse(starredAt ?? "")) {
      if (!logins.includes(login)) logins.push(login);
    }
  }
  return { count, starredAt, logins };
}

function parseCursor(cursor: Json | undefined): GithubStarCursor | undefined {
  if (typeof cursor !== "object" || cursor === null || Array.isArray(cursor)) return undefined;
  const { count, starredAt, logins } = cursor;
  if (typeof count !== "number" || !(typeof starredAt === "string" || starredAt === null)) return undefined;
  const names = Array.isArray(logins) ? logins.filter((l): l is string => typeof l === "string") : [];
  return { count, starredAt, logins: names };
}

function toJson(cursor: GithubStarCursor): Json {
  return { count: cursor.count, starredAt: cursor.starredAt, logins: cursor.logins };
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
      hasNext: /rel="next"/.test(link),
      ...(last !== undefined && { lastPage: Number(last) }),
    };
  }
}

import type { Octokit } from "octokit";
import { createOctokit, type GithubClientOptions } from "../client";
import { toGithubError } from "../errors";

/** A token, or a function that fetches one per poll (a HOSTED connection's current OAuth token). */
export type GithubPollingToken = string | (() => string | Promise<string>);

/** An Octokit with the poll's token: polls run outside any job run, so each fetches its token afresh. */
export async function pollingOctokit(
  token: GithubPollingToken,
  client?: GithubClientOptions,
): Promise<Octokit> {
  return createOctokit(typeof token === "function" ? await token() : token, client);
}

/** Runs one poll's GitHub calls with GitHub's errors translated (`IntegrationError`s health and retries read). */
export async function githubPolled<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw toGithubError(error);
  }
}

/** Whether a `link` header has a next page. */
export function hasNextPage(link: string | undefined): boolean {
  return /rel="next"/.test(link ?? "");
}

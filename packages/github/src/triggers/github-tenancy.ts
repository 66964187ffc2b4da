import type { ScopeCheckResult, ScopeConnection, TriggerContext } from "@autoflow/actions";
import type { DeliveryTenant, Json } from "@autoflow/core";
import type { GithubClientOptions } from "../client";
import { createOctokit } from "../client";
import { GITHUB_PROVIDER, toGithubError } from "../errors";
import { paginateAll } from "../tasks/routes";

// GitHub logins and repository names are case-insensitive: tenants and scopes compare lowercased.
const lower = (value: string) => value.toLowerCase();

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === "object" && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

function login(value: unknown): string | undefined {
  const found = record(value)?.login;
  return typeof found === "string" && found !== "" ? found : undefined;
}

/**
 * The tenant of a GitHub delivery: the repository's owner and `owner/repo` for repository events; the organisation
 * (or the installation's account) for events without a repository. The installation id and organisation are kept
 * for the record. `undefined` when the payload names no account (nothing then reaches a workflow).
 */
export function githubTenantOf(payload: Json): DeliveryTenant | undefined {
  const body = record(payload);
  if (!body) return undefined;
  const repository = record(body.repository);
  const organization = login(body.organization);
  const installation = record(body.installation);
  const ids: Record<string, string> = {
    ...(typeof installation?.id === "number" && { installation: String(installation.id) }),
    ...(organization !== undefined && { organization: lower(organization) }),
  };
  const owner = login(repository?.owner);
  const account = owner ?? organization ?? login(installation?.account);
  if (account === undefined) return undefined;
  return {
    account: lower(account),
    ...(owner !== undefined &&
      typeof repository?.full_name === "string" && { resource: lower(repository.full_name) }),
    ...(Object.keys(ids).length > 0 && { ids }),
  };
}

/** The scope inputs of GitHub's catalogue triggers: an owner (a user or organisation), and a repository in it. */
export interface GithubScopeInputs {
  owner: string;
  repo?: string;
}

/**
 * Whether the connection sees the scope, asked of GitHub with its token: `GET /repos/{owner}/{repo}` for a
 * repository (GitHub answers 404 for one the token cannot see); for an owner alone, the connection's own login or
 * an organisation it reaches at least one repository of (`GET /user/repos`, which lists the repositories of the
 * organisations it belongs to).
 */
export async function checkGithubScope(
  inputs: GithubScopeInputs,
  connection: ScopeConnection,
  context?: TriggerContext,
): Promise<ScopeCheckResult> {
  const octokit = createOctokit(
    connection.auth.accessToken,
    context?.providers?.[GITHUB_PROVIDER] as GithubClientOptions | undefined,
  );
  const who = typeof connection.metadata.login === "string" ? connection.metadata.login : "this connection";
  try {
    if (inputs.repo !== undefined) {
      const { data } = await octokit.rest.repos.get({ owner: inputs.owner, repo: inputs.repo });
      return { ok: true, account: lower(data.owner.login), resource: lower(data.full_name) };
    }
    if (lower(who) === lower(inputs.owner)) return { ok: true, account: lower(inputs.owner) };
    const repositories = await paginateAll(octokit, octokit.rest.repos.listForAuthenticatedUser, {
      per_page: 100,
    });
    if (repositories.some((repository) => lower(repository.owner.login) === lower(inputs.owner))) {
      return { ok: true, account: lower(inputs.owner) };
    }
    return {
      ok: false,
      field: "owner",
      message: `the GitHub connection (${who}) reaches no repository of ${inputs.owner}`,
    };
  } catch (thrown) {
    const error = toGithubError(thrown);
    // 404 for what the token cannot see, 401/403 for a token GitHub refuses: the connection cannot see the scope.
    if (error.status === 404 || error.type === "auth") {
      return {
        ok: false,
        field: inputs.repo !== undefined ? "repo" : "owner",
        message: `the GitHub connection (${who}) cannot see ${inputs.repo !== undefined ? `${inputs.owner}/${inputs.repo}` : inputs.owner}`,
      };
    }
    throw error;
  }
}

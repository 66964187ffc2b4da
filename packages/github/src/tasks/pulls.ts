import {
  type IntegrationTaskKey,
  optionalProperty,
  type ReconcileResult,
  TaskNamespace,
  type TaskOutput,
  taskMarker,
} from "@autoflow/core";
import type { Octokit } from "octokit";
import type { GithubData, GithubParams, GithubRest } from "../types";
import { findMarked, isValidationFailure, markedBody, withoutMarker } from "./repeat-safety";

type Method = keyof GithubRest["pulls"];
type Params<M extends Method> = GithubParams<"pulls", M>;
// Declared, not inferred: the declaration files can then name Octokit's types.
type Output<M extends Method> = Promise<TaskOutput<GithubData<"pulls", M>>>;

/** What a pull request list answers and the reconcilers read. */
type PullSummary = { number: number; body?: string | null; created_at?: string };

/** Hand-written `pulls` tasks: the SDK's own params, resolving to the response data as the task log keeps it. */
export class Pulls extends TaskNamespace<Octokit> {
  /**
   * Opens a pull request from `head` into `base`. The body ends with the task's marker as a hidden HTML
   * comment, so a lost answer is reconciled: the repository's pull requests created since the call are searched
   * for it. A repeat that GitHub refuses with "A pull request already exists" completes the task when that
   * pull request carries the marker (it is this task's), and fails as the 422 it is otherwise.
   * @see https://docs.github.com/rest/pulls/pulls#create-a-pull-request
   */
  create(key: IntegrationTaskKey, params: Params<"create">): Output<"create"> {
    type Pull = GithubData<"pulls", "create">;
    const head = params.head.includes(":") ? params.head : `${params.owner}:${params.head}`;
    // The list answers a pull request's summary; the task answers it in full, as `pulls.create` does.
    const full = async (client: Octokit, found: ReconcileResult<PullSummary>, marker: string) =>
      "found" in found && found.found
        ? {
            found: true as const,
            output: withoutMarker(
              (
                await client.rest.pulls.get({
                  owner: params.owner,
                  repo: params.repo,
                  pull_number: found.output.number,
                })
              ).data as Pull,
              marker,
            ),
          }
        : found;
    return this.task(
      key,
      async (client, task) => {
        const marker = taskMarker(task);
        try {
          const { data } = await client.rest.pulls.create({
            ...params,
            body: markedBody(params.body, marker),
          });
          return withoutMarker(data, marker);
        } catch (error) {
          if (!isValidationFailure(error, /already exists/i)) throw error;
          const open = await findMarked<PullSummary>(
            client,
            "GET /repos/{owner}/{repo}/pulls",
            { owner: params.owner, repo: params.repo, state: "open", head, base: params.base },
            { marker, callStartedAt: new Date(0) },
            { newestFirst: false },
          );
          const ours = await full(client, open, marker);
          if ("found" in ours && ours.found) return ours.output;
          throw error;
        }
      },
      {
        name: "Create Pull Request",
        params,
        properties: [
          ...optionalProperty("Title", params.title),
          { label: "Branches", text: `${params.head} → ${params.base}` },
        ],
        idempotency: "reconcile",
        reconcile: async (client, context) =>
          full(
            client,
            await findMarked<PullSummary>(
              client,
              "GET /repos/{owner}/{repo}/pulls",
              { owner: params.owner, repo: params.repo, state: "all", sort: "created", direction: "desc" },
              context,
              { newestFirst: true },
            ),
            context.marker,
          ),
      },
    );
  }

  /**
   * Gets one pull request by number.
   * @see https://docs.github.com/rest/pulls/pulls#get-a-pull-request
   */
  get(key: IntegrationTaskKey, params: Params<"get">): Output<"get"> {
    return this.task(key, async (client) => (await client.rest.pulls.get(params)).data, {
      name: "Get Pull Request",
      params,
      idempotency: "idempotent",
    });
  }

  /**
   * Lists a repository's pull requests (open by default).
   * @see https://docs.github.com/rest/pulls/pulls#list-pull-requests
   */
  list(key: IntegrationTaskKey, params: Params<"list">): Output<"list"> {
    return this.task(key, async (client) => (await client.rest.pulls.list(params)).data, {
      name: "List Pull Requests",
      params,
      properties: [...optionalProperty("State", params.state), ...optionalProperty("Base", params.base)],
      idempotency: "idempotent",
    });
  }

  /**
   * Merges a pull request (merge, squash or rebase).
   * @see https://docs.github.com/rest/pulls/pulls#merge-a-pull-request
   */
  merge(key: IntegrationTaskKey, params: Params<"merge">): Output<"merge"> {
    return this.task(key, async (client) => (await client.rest.pulls.merge(params)).data, {
      name: "Merge Pull Request",
      params,
      properties: optionalProperty("Method", params.merge_method),
      idempotency: "reconcile",
      // A merged pull request stays merged: found merged completes the task, still open repeats the merge.
      reconcile: async (client) => {
        const { data } = await client.rest.pulls.get({
          owner: params.owner,
          repo: params.repo,
          pull_number: params.pull_number,
        });
        if (!data.merged) return data.state === "open" ? { found: false } : { unknown: true };
        return {
          found: true,
          output: {
            sha: data.merge_commit_sha ?? "",
            merged: true,
            message: "Pull Request successfully merged",
          },
        };
      },
    });
  }
}

import { defineTrigger } from "@autoflow/actions";
import type { WebhookTrigger } from "@autoflow/core";
import { z } from "zod";
import type { GithubEventAction } from "../index";
import { account, githubWith, label, owner, repo, repository, repositoryScope } from "./catalogue-fields";
import { githubIssueUpdated, githubNewStar } from "./polling-catalogue";

// The catalogue's triggers are typed `WebhookTrigger<unknown>`, as the registry holds them; `payloadSchema`
// describes the fields steps reference.
type GithubTrigger = WebhookTrigger<unknown>;

/** `github.issueOpened`: one repository, or every repository of an owner (a user or organisation). */
export const githubIssueOpened = defineTrigger({
  key: "github.issueOpened",
  name: "New GitHub issue",
  description:
    "Starts a run when an issue is opened: in one repository (owner and repo), or in any of an owner's.",
  provider: "github",
  // The owner is required: it scopes the event to a tenant the user's connection was checked to see.
  inputSchema: z.object({ owner, repo: repo.optional() }),
  examples: [{ owner: "octo-org", repo: "hello-world" }, { owner: "octo-org" }],
  payloadSchema: z.looseObject({
    action: z.literal("opened"),
    issue: z.looseObject({
      id: z.number(),
      number: z.number(),
      title: z.string(),
      body: z.string().nullable(),
      html_url: z.string(),
      state: z.string(),
      labels: z.array(label),
      user: account,
      created_at: z.string(),
    }),
    repository,
    sender: account,
  }),
  scope: repositoryScope,
  create: ({ owner, repo }, context): GithubTrigger => {
    const github = githubWith(context);
    // One repository gets the title and the hook registration of the provider's own factory.
    if (repo !== undefined) return github.onIssueOpened({ owner, repo });
    return github.onEvent("issues", { owner, action: "opened" });
  },
});

/** `github.push`: pushes to one repository, to any ref or to one. */
export const githubPush = defineTrigger({
  key: "github.push",
  name: "Push to GitHub",
  description: "Starts a run for every push to a repository, or only to one branch or tag.",
  provider: "github",
  inputSchema: z.object({
    owner,
    repo,
    ref: z
      .string()
      .min(1)
      .optional()
      .describe("A branch (main) or a full ref (refs/tags/v1); every ref when empty"),
  }),
  examples: [
    { owner: "octo-org", repo: "hello-world", ref: "main" },
    { owner: "octo-org", repo: "hello-world", ref: "refs/tags/v1.0.0" },
  ],
  payloadSchema: z.looseObject({
    ref: z.string(),
    before: z.string(),
    after: z.string(),
    created: z.boolean(),
    deleted: z.boolean(),
    forced: z.boolean(),
    compare: z.string(),
    commits: z.array(
      z.looseObject({
        id: z.string(),
        message: z.string(),
        url: z.string(),
        timestamp: z.string(),
        author: z.looseObject({
          name: z.string(),
          email: z.string().nullable(),
          username: z.string().optional(),
        }),
      }),
    ),
    head_commit: z.looseObject({ id: z.string(), message: z.string(), url: z.string() }).nullable(),
    pusher: z.looseObject({ name: z.string(), email: z.string().nullable().optional() }),
    repository,
    sender: account,
  }),
  scope: repositoryScope,
  create: ({ owner, repo, ref }, context): GithubTrigger =>
    githubWith(context).onPush({ owner, repo, ...(ref !== undefined && { ref }) }),
});

/** Every `action` of GitHub's `pull_request` event, as `@octokit/webhooks-types` lists them. */
const PULL_REQUEST_ACTIONS = [
  "opened",
  "closed",
  "reopened",
  "edited",
  "synchronize",
  "ready_for_review",
  "converted_to_draft",
  "assigned",
  "unassigned",
  "labeled",
  "unlabeled",
  "review_requested",
  "review_request_removed",
  "locked",
  "unlocked",
  "milestoned",
  "demilestoned",
  "auto_merge_enabled",
  "auto_merge_disabled",
  "enqueued",
  "dequeued",
] as const satisfies readonly GithubEventAction<"pull_request">[];

const branch = z.looseObject({ ref: z.string(), sha: z.string(), label: z.string() });

/** `github.pullRequest`: pull request events in one repository, every action or one. */
export const githubPullRequest = defineTrigger({
  key: "github.pullRequest",
  name: "GitHub pull request",
  description: "Starts a run for pull request events in a repository: every action, or one such as opened.",
  provider: "github",
  inputSchema: z.object({
    owner,
    repo,
    action: z
      .enum(PULL_REQUEST_ACTIONS)
      .optional()
      .describe("Only this action, e.g. opened; every action when empty"),
  }),
  examples: [
    { owner: "octo-org", repo: "hello-world", action: "opened" },
    { owner: "octo-org", repo: "hello-world" },
  ],
  payloadSchema: z.looseObject({
    action: z.string(),
    number: z.number(),
    pull_request: z.looseObject({
      id: z.number(),
      number: z.number(),
      title: z.string(),
      body: z.string().nullable(),
      html_url: z.string(),
      state: z.string(),
      draft: z.boolean().optional(),
      merged: z.boolean().nullable().optional(),
      user: account,
      head: branch,
      base: branch,
    }),
    repository,
    sender: account,
  }),
  scope: repositoryScope,
  create: ({ owner, repo, action }, context): GithubTrigger => {
    const github = githubWith(context);
    return action === undefined
      ? github.onPullRequest({ owner, repo })
      : github.onPullRequest({ owner, repo, action });
  },
});

/** GitHub's workflow trigger catalogue entries, in the order the builder lists them: webhooks, then pollers. */
export const githubTriggers = [
  githubIssueOpened,
  githubPush,
  githubPullRequest,
  githubNewStar,
  githubIssueUpdated,
] as const;

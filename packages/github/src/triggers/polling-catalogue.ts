import { defineTrigger } from "@autoflow/actions";
import { z } from "zod";
import {
  account,
  connectionToken,
  githubWith,
  label,
  owner,
  repo,
  repositoryScope,
} from "./catalogue-fields";

const EXAMPLES = [{ owner: "octo-org", repo: "hello-world" }];

/**
 * `github.newStar`: polls a repository's stargazers (`github.onNewStar`) with the workflow's connection; one run
 * per star, the first poll fires nothing historic.
 */
export const githubNewStar = defineTrigger({
  key: "github.newStar",
  name: "New GitHub star",
  description: "Starts a run for every new star on a repository (polled every minute; no webhook needed).",
  provider: "github",
  kind: "polling",
  inputSchema: z.object({ owner, repo }),
  examples: EXAMPLES,
  payloadSchema: z.looseObject({ starred_at: z.string(), user: account.nullable() }),
  scope: repositoryScope,
  create: ({ owner, repo }, context) =>
    githubWith(context).onNewStar({
      owner,
      repo,
      token: connectionToken("github.newStar", context),
      ...(context?.connection && { connectionId: context.connection.id }),
    }),
});

/**
 * `github.issueUpdated`: polls a repository's issues updated since the last poll (`github.onIssueUpdated`) with the
 * workflow's connection; one run per issue and `updated_at`, nothing lost to an edit that lists late.
 */
export const githubIssueUpdated = defineTrigger({
  key: "github.issueUpdated",
  name: "GitHub issue opened or updated",
  description:
    "Starts a run for every issue opened or changed in a repository, once per change (polled every minute; pull requests left out).",
  provider: "github",
  kind: "polling",
  inputSchema: z.object({ owner, repo }),
  examples: EXAMPLES,
  payloadSchema: z.looseObject({
    id: z.number(),
    number: z.number(),
    title: z.string(),
    body: z.string().nullable().optional(),
    html_url: z.string(),
    state: z.string(),
    labels: z.array(z.union([z.string(), label])),
    user: account.nullable(),
    created_at: z.string(),
    updated_at: z.string(),
    closed_at: z.string().nullable(),
  }),
  scope: repositoryScope,
  create: ({ owner, repo }, context) =>
    githubWith(context).onIssueUpdated({
      owner,
      repo,
      token: connectionToken("github.issueUpdated", context),
      ...(context?.connection && { connectionId: context.connection.id }),
    }),
});

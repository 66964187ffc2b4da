import { z } from "zod";
import { defineAction } from "../define-action";
import { githubFor } from "./connect";

const GITHUB_AUTH = ["oauth2", "bearer_token"] as const;

const repoFields = {
  owner: z.string().min(1).describe("Account that owns the repository"),
  repo: z.string().min(1).describe("Repository name"),
};

/** `github.createIssue` -> `issues.create`. */
export const githubCreateIssue = defineAction({
  key: "github.createIssue",
  name: "Create issue",
  description: "Opens an issue in a repository, with optional body, labels and assignees.",
  provider: "github",
  authType: GITHUB_AUTH,
  inputSchema: z.object({
    ...repoFields,
    title: z.string().min(1),
    body: z.string().optional(),
    labels: z.array(z.string().min(1)).optional(),
    assignees: z.array(z.string().min(1)).optional(),
  }),
  outputSchema: z.object({ id: z.number(), number: z.number(), url: z.string(), title: z.string() }),
  run: async (ctx) => {
    const issue = await githubFor(ctx).issues.create("issues.create", ctx.inputs);
    return { id: issue.id, number: issue.number, url: issue.html_url, title: issue.title };
  },
});

/** `github.createComment` -> `issues.createComment`. */
export const githubCreateComment = defineAction({
  key: "github.createComment",
  name: "Comment on issue",
  description: "Adds a comment to an issue or pull request.",
  provider: "github",
  authType: GITHUB_AUTH,
  inputSchema: z.object({
    ...repoFields,
    issue_number: z.int().positive().describe("Issue or pull request number"),
    body: z.string().min(1),
  }),
  outputSchema: z.object({ id: z.number(), url: z.string() }),
  run: async (ctx) => {
    const comment = await githubFor(ctx).issues.createComment("issues.createComment", ctx.inputs);
    return { id: comment.id, url: comment.html_url };
  },
});

import { defineAction, integrationFor } from "@autoflow/actions";
import { z } from "zod";
import { Github } from "../index";
import { githubAction } from "./github-action";
import { repositoryFields } from "./repository-fields";

/** `github.createIssue` -> `issues.create`. */
export const githubCreateIssue = defineAction({
  ...githubAction,
  key: "github.createIssue",
  name: "Create issue",
  description: "Opens an issue in a repository, with optional body, labels and assignees.",
  inputSchema: z.object({
    ...repositoryFields,
    title: z.string().min(1),
    body: z.string().optional(),
    labels: z.array(z.string().min(1)).optional(),
    assignees: z.array(z.string().min(1)).optional(),
  }),
  examples: [
    { owner: "octo-org", repo: "hello-world", title: "Login page returns 500 on Safari" },
    {
      owner: "octo-org",
      repo: "hello-world",
      title: "Nightly build failed",
      body: "The nightly build of main failed at the test step; see the run log.",
      labels: ["bug", "ci"],
      assignees: ["octocat"],
    },
  ],
  outputSchema: z.object({ id: z.number(), number: z.number(), url: z.string(), title: z.string() }),
  run: async (ctx) => {
    const issue = await integrationFor(ctx, Github).issues.create("issues.create", ctx.inputs);
    return { id: issue.id, number: issue.number, url: issue.html_url, title: issue.title };
  },
});

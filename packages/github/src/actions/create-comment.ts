import { defineAction, integrationFor } from "@autoflow/actions";
import { z } from "zod";
import { Github } from "../index";
import { githubAction } from "./github-action";
import { repositoryFields } from "./repository-fields";

/** `github.createComment` -> `issues.createComment`. */
export const githubCreateComment = defineAction({
  ...githubAction,
  key: "github.createComment",
  name: "Comment on issue",
  description: "Adds a comment to an issue or pull request.",
  inputSchema: z.object({
    ...repositoryFields,
    issue_number: z.int().positive().describe("Issue or pull request number"),
    body: z.string().min(1),
  }),
  examples: [
    {
      owner: "octo-org",
      repo: "hello-world",
      issue_number: 42,
      body: "Fixed in #57, thanks for the report!",
    },
  ],
  outputSchema: z.object({ id: z.number(), url: z.string() }),
  run: async (ctx) => {
    const comment = await integrationFor(ctx, Github).issues.createComment(
      "issues.createComment",
      ctx.inputs,
    );
    return { id: comment.id, url: comment.html_url };
  },
});

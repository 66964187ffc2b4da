import { defineAction, integrationFor } from "@autoflow/actions";
import { z } from "zod";
import { Jira } from "../index";
import { jiraAction } from "./jira-action";

/** `jira.addComment` -> `addTextComment`: plain text as ADF, added once (reconciled by the comment's marker property). */
export const jiraAddComment = defineAction({
  ...jiraAction,
  key: "jira.addComment",
  name: "Add comment",
  description: "Adds a comment to a Jira issue.",
  inputSchema: z.object({
    issueKey: z.string().min(1).describe("The issue's key or id, e.g. OPS-12"),
    text: z.string().min(1).describe("The comment as plain text (paragraphs split on blank lines)"),
  }),
  examples: [
    { issueKey: "OPS-12", text: "Deployed to staging." },
    { issueKey: "SUP-7", text: "Refund issued.\n\nClosing once the customer confirms." },
  ],
  outputSchema: z.object({ id: z.string() }),
  run: async (ctx) => {
    const comment = await integrationFor(ctx, Jira).addTextComment("addComment", {
      issueIdOrKey: ctx.inputs.issueKey,
      text: ctx.inputs.text,
    });
    return { id: comment.id ?? "" };
  },
});

import { defineAction, integrationFor } from "@autoflow/actions";
import { z } from "zod";
import { Jira, toAdf } from "../index";
import { jiraAction } from "./jira-action";

/** `jira.createIssue` -> `issues.createIssue`: created once (a lost answer reconciled by the issue's marker property). */
export const jiraCreateIssue = defineAction({
  ...jiraAction,
  key: "jira.createIssue",
  name: "Create issue",
  description: "Creates a Jira issue in a project.",
  inputSchema: z.object({
    project: z.string().min(1).describe("The project's key, e.g. OPS"),
    issueType: z.string().min(1).describe("The issue type's name, e.g. Task or Bug"),
    summary: z.string().min(1).max(255).describe("The issue's one-line summary"),
    description: z
      .string()
      .optional()
      .describe("The description as plain text (paragraphs split on blank lines)"),
    labels: z.array(z.string().min(1)).optional().describe("Labels to put on the issue"),
    assigneeAccountId: z.string().min(1).optional().describe("The Atlassian account id to assign it to"),
  }),
  examples: [
    { project: "OPS", issueType: "Task", summary: "Rotate the staging certificates" },
    {
      project: "SUP",
      issueType: "Bug",
      summary: "Checkout fails for EUR carts",
      description: "Reported by Ada.\n\nSteps: add an item, pay in EUR.",
      labels: ["checkout", "customer-reported"],
    },
  ],
  outputSchema: z.object({ id: z.string(), key: z.string() }),
  run: async (ctx) => {
    const { project, issueType, summary, description, labels, assigneeAccountId } = ctx.inputs;
    const created = await integrationFor(ctx, Jira).issues.createIssue("createIssue", {
      fields: {
        project: { key: project },
        issuetype: { name: issueType },
        summary,
        ...(description !== undefined && { description: toAdf(description) }),
        ...(labels !== undefined && { labels }),
        ...(assigneeAccountId !== undefined && { assignee: { accountId: assigneeAccountId } }),
      },
    });
    return { id: created.id ?? "", key: created.key ?? "" };
  },
});

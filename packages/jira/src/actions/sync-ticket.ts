import { defineAction, integrationFor } from "@autoflow/actions";
import { z } from "zod";
import { Jira } from "../index";
import { jiraAction } from "./jira-action";

/** `jira.syncTicket` -> `tickets.sync`: one issue per external record, created or updated, converging on repeats. */
export const jiraSyncTicket = defineAction({
  ...jiraAction,
  key: "jira.syncTicket",
  name: "Sync ticket",
  description: "Creates or updates the Jira issue for a record of another system (one issue per record).",
  inputSchema: z.object({
    externalId: z.string().min(1).max(255).describe("The record's id in the other system, e.g. ZD-4411"),
    project: z.string().min(1).describe("The project's key the issue is created in, e.g. SUP"),
    issueType: z.string().min(1).describe("The issue type's name used when creating, e.g. Bug"),
    summary: z.string().min(1).max(255).describe("The issue's one-line summary"),
    description: z.string().optional().describe("The description as plain text"),
    labels: z.array(z.string().min(1)).optional().describe("Labels to set on the issue"),
    status: z.string().min(1).optional().describe("The status to move the issue to, e.g. Done"),
  }),
  examples: [
    { externalId: "ZD-4411", project: "SUP", issueType: "Bug", summary: "Refund not received" },
    {
      externalId: "ZD-4412",
      project: "SUP",
      issueType: "Task",
      summary: "Close account",
      description: "Customer asked to close the account.",
      labels: ["zendesk"],
      status: "Done",
    },
  ],
  outputSchema: z.object({ issueKey: z.string(), created: z.boolean() }),
  run: async (ctx) => {
    const { externalId, project, issueType, summary, description, labels, status } = ctx.inputs;
    const synced = await integrationFor(ctx, Jira).tickets.sync("syncTicket", {
      externalId,
      project,
      issueType,
      fields: {
        summary,
        ...(description !== undefined && { description }),
        ...(labels !== undefined && { labels }),
      },
      ...(status !== undefined && { transitionTo: status }),
    });
    return { issueKey: synced.issueKey, created: synced.created };
  },
});

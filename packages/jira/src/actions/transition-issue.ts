import { defineAction, integrationFor } from "@autoflow/actions";
import { z } from "zod";
import { Jira } from "../index";
import { jiraAction } from "./jira-action";

/** `jira.transitionIssue` -> `transitionTo`: moves the issue to a status by name; already there is done. */
export const jiraTransitionIssue = defineAction({
  ...jiraAction,
  key: "jira.transitionIssue",
  name: "Transition issue",
  description: "Moves a Jira issue to a status through its workflow.",
  inputSchema: z.object({
    issueKey: z.string().min(1).describe("The issue's key or id, e.g. OPS-12"),
    status: z.string().min(1).describe("The status to move it to, e.g. In Progress or Done"),
  }),
  examples: [
    { issueKey: "OPS-12", status: "Done" },
    { issueKey: "SUP-7", status: "In Progress" },
  ],
  outputSchema: z.object({ status: z.string(), transitioned: z.boolean() }),
  run: async (ctx) => {
    const moved = await integrationFor(ctx, Jira).transitionTo("transitionIssue", {
      issueIdOrKey: ctx.inputs.issueKey,
      status: ctx.inputs.status,
    });
    return { status: moved.status, transitioned: moved.transitioned };
  },
});

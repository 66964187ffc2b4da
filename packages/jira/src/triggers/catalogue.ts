import {
  configuredIntegration,
  defineTrigger,
  pollingConnectionAuth,
  type Schema,
  type ScopeCheckResult,
  type ScopeConnection,
  type TriggerContext,
} from "@autoflow/actions";
import type { WebhookTrigger } from "@autoflow/core";
import { z } from "zod";
import { createJiraClient, type JiraClientOptions } from "../client";
import { Jira } from "../jira";
import type { JiraPollingToken } from "./issue-polling";
import { jiraSiteHost } from "./jira-tenancy";
import { type JiraTriggerEvent, jiraEventTrigger } from "./jira-triggers";

const project = z
  .string()
  .regex(/^[A-Z][A-Z0-9_]{0,254}$/, "must be a Jira project key such as OPS")
  .describe("The project whose issues start the workflow (its key, e.g. OPS), on the connection's site");

const fields = z
  .array(z.string().regex(/^[A-Za-z0-9_]+$/))
  .max(20)
  .optional()
  .describe("Only updates that changed one of these fields (status, assignee, customfield_10010)");

/**
 * Whether the connection's site holds the project the inputs name: the site from the connection's metadata (the
 * tenant every delivery names, as its host), and the project read with the connection's token (`GET
 * /rest/api/3/project/{key}`: 404 when it does not exist or the account cannot see it).
 */
export async function checkJiraScope(
  inputs: { project: string },
  connection: ScopeConnection,
  context?: TriggerContext,
): Promise<ScopeCheckResult> {
  const account = jiraSiteHost(String(connection.metadata.siteUrl ?? ""));
  if (!account) return { ok: false, field: "project", message: "the connection names no Jira site" };
  const fieldsOf = connection.auth.additionalFields ?? {};
  const jira = createJiraClient(connection.auth.accessToken, {
    ...((context?.providers?.jira ?? {}) as JiraClientOptions),
    ...(fieldsOf.email !== undefined && { email: fieldsOf.email }),
    siteUrl: fieldsOf.siteUrl ?? String(connection.metadata.siteUrl),
    ...(fieldsOf.cloudId !== undefined && { cloudId: fieldsOf.cloudId }),
  });
  try {
    await jira.projects.getProject({ projectIdOrKey: inputs.project });
  } catch (error) {
    const status = (error as { status?: unknown }).status;
    if (status === 404 || status === 403) {
      return {
        ok: false,
        field: "project",
        message: `the connection cannot see project ${inputs.project} on ${account}`,
      };
    }
    throw error;
  }
  return { ok: true, account, resource: inputs.project };
}

const scope = { fields: ["project"], check: checkJiraScope } as const;

const issuePayload = z.looseObject({
  timestamp: z.number().describe("When Jira emitted the event, epoch ms"),
  webhookEvent: z.string(),
  issue: z.looseObject({ id: z.string(), key: z.string(), self: z.string(), fields: z.looseObject({}) }),
});

function eventEntry(spec: {
  key: string;
  event: JiraTriggerEvent;
  name: string;
  description: string;
  withFields?: boolean;
}) {
  // Only `jira.issueUpdated` filters by the fields an update changed.
  const inputSchema: Schema<{ project: string; fields?: string[] | undefined }> = spec.withFields
    ? z.object({ project, fields })
    : z.object({ project });
  return defineTrigger({
    key: spec.key,
    name: spec.name,
    description: spec.description,
    provider: "jira",
    inputSchema,
    examples: spec.withFields
      ? [{ project: "OPS" }, { project: "SUP", fields: ["status"] }]
      : [{ project: "OPS" }, { project: "SUP" }],
    scope,
    payloadSchema:
      spec.event === "comment_created"
        ? issuePayload.extend({ comment: z.looseObject({ id: z.string(), body: z.unknown() }) })
        : issuePayload,
    // Registered (OAuth connections) through the service's Jira options: its API URL, the emulator in tests.
    create: (inputs, context): WebhookTrigger<unknown> =>
      jiraEventTrigger(
        spec.event,
        { project: inputs.project, ...(inputs.fields !== undefined && { fields: inputs.fields }) },
        spec.key,
        (context?.providers?.jira ?? {}) as JiraClientOptions,
      ),
  });
}

/** `jira.issueCreated`: an issue was created in the project. */
export const jiraIssueCreated = eventEntry({
  key: "jira.issueCreated",
  event: "jira:issue_created",
  name: "Jira issue created",
  description: "Starts a run when an issue is created in the Jira project.",
});

/** `jira.issueUpdated`: an issue of the project changed (optionally: one of the named fields). */
export const jiraIssueUpdated = eventEntry({
  key: "jira.issueUpdated",
  event: "jira:issue_updated",
  name: "Jira issue updated",
  description: "Starts a run when an issue in the Jira project changes.",
  withFields: true,
});

/** `jira.commentCreated`: a comment was added to an issue of the project. */
export const jiraCommentCreated = eventEntry({
  key: "jira.commentCreated",
  event: "comment_created",
  name: "Jira comment added",
  description: "Starts a run when a comment is added to an issue in the Jira project.",
});

/** The workflow's connection's current auth, asked before every poll (see `pollingConnectionAuth`). */
function connectionToken(context?: TriggerContext): JiraPollingToken {
  return pollingConnectionAuth("jira", "jira.issueUpdatedPolling", context);
}

/**
 * `jira.issueUpdatedPolling`: polls the JQL search (`updated >= <epoch ms>`) with the workflow's connection, for
 * sites whose webhooks cannot reach the service; one run per issue version, the first poll fires nothing historic.
 */
export const jiraIssueUpdatedPolling = defineTrigger({
  key: "jira.issueUpdatedPolling",
  name: "Jira issue created or updated (polling)",
  description: "Starts a run for every issue created or updated in the Jira project (polled every minute).",
  provider: "jira",
  kind: "polling",
  inputSchema: z.object({ project }),
  examples: [{ project: "OPS" }, { project: "SUP" }],
  payloadSchema: z.looseObject({ id: z.string(), key: z.string(), fields: z.looseObject({}).optional() }),
  scope,
  create: (inputs, context) =>
    configuredIntegration(Jira, "jira", context?.providers).onIssueUpdatedPolling({
      project: inputs.project,
      token: connectionToken(context),
      ...(context?.connection && { connectionId: context.connection.id }),
    }),
});

/** Jira's workflow triggers, in the order the builder lists them. */
export const jiraTriggers = [
  jiraIssueCreated,
  jiraIssueUpdated,
  jiraCommentCreated,
  jiraIssueUpdatedPolling,
] as const;

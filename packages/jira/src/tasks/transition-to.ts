import { IntegrationError } from "@autoflow/core";
import type { CloudClient } from "jira.js/cloud";

/** What `transitionTo` takes: the issue and the status to move it to (by name, or a transition's name or id). */
export interface TransitionToParams {
  issueIdOrKey: string;
  /** The status to reach (`"Done"`), matched case-insensitively against each transition's target and name. */
  status: string;
  /** Fields the transition's screen asks for. */
  fields?: Record<string, unknown>;
}

/** What `transitionTo` answers: the status the issue is in, and whether this task moved it there. */
export interface TransitionedIssue {
  issueIdOrKey: string;
  status: string;
  transitioned: boolean;
  transitionId?: string;
}

/** See `Jira.transitionTo`. */
export async function transitionIssueTo(
  client: CloudClient,
  params: TransitionToParams,
): Promise<TransitionedIssue> {
  const { issueIdOrKey } = params;
  const wanted = params.status.trim().toLowerCase();
  const issue = await client.issues.getIssue({ issueIdOrKey, fields: ["status"] });
  const current = (issue.fields?.status as { name?: string } | undefined)?.name ?? "";
  if (current.toLowerCase() === wanted) return { issueIdOrKey, status: current, transitioned: false };
  const { transitions = [] } = await client.issues.getTransitions({ issueIdOrKey });
  const transition =
    transitions.find((t) => t.to?.name?.toLowerCase() === wanted) ??
    transitions.find((t) => t.name?.toLowerCase() === wanted || t.id === params.status);
  if (!transition?.id) {
    throw new IntegrationError({
      type: "schema",
      provider: "jira",
      code: "no_transition",
      message: `Jira: no transition from "${current}" to "${params.status}" on ${issueIdOrKey} (available: ${
        transitions.map((t) => t.to?.name ?? t.name).join(", ") || "none"
      })`,
    });
  }
  await client.issues.doTransition({
    issueIdOrKey,
    transition: { id: transition.id },
    ...(params.fields !== undefined && { fields: params.fields }),
  });
  return {
    issueIdOrKey,
    status: transition.to?.name ?? params.status,
    transitioned: true,
    transitionId: transition.id,
  };
}

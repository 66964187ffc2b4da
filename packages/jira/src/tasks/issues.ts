import { type IntegrationTaskKey, optionalProperty, TaskNamespace, type TaskOutput } from "@autoflow/core";
import type { CloudClient } from "jira.js/cloud";
import { reconcileCreatedIssue } from "./find-by-marker";
import { withMarkerProperty } from "./marker";
import { asModel, type JiraAnswer, type JiraParams } from "./sdk-types";

type P<M extends keyof CloudClient["issues"]> = JiraParams<"issues", M>;
type A<M extends keyof CloudClient["issues"]> = JiraAnswer<"issues", M>;

/** The project and summary of a create, for display. */
function fieldsShown(fields: Record<string, unknown> | undefined) {
  const project = fields?.project as { key?: string; id?: string } | undefined;
  return [
    ...optionalProperty("Project", project?.key ?? project?.id),
    ...optionalProperty("Summary", fields?.summary as string | undefined),
  ];
}

/**
 * Hand-written `issues` tasks, 1:1 with jira.js 6 (`createIssue`, `getIssue`, `editIssue`, `deleteIssue`,
 * `assignIssue`, `getTransitions`, `doTransition`); every other `issues.*` method (`createIssues`, `getChangeLogs`,
 * `notify`, ...) passes through. Params and answers are jira.js's own.
 */
export class Issues extends TaskNamespace<CloudClient> {
  /**
   * Creates an issue (or a subtask). Jira has no idempotency key: the issue is created with an issue property holding
   * a marker from the task's idempotency key, and a lost answer is reconciled by JQL on that property before the
   * create is repeated.
   * @see https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issues/#api-rest-api-3-issue-post
   */
  createIssue(key: IntegrationTaskKey, params: P<"createIssue">): Promise<TaskOutput<A<"createIssue">>> {
    return this.task<A<"createIssue">>(
      key,
      (client, task) =>
        asModel<A<"createIssue">>(
          client.issues.createIssue({
            ...params,
            properties: withMarkerProperty(params.properties, task),
          }),
        ),
      {
        name: "Create Issue",
        params,
        properties: fieldsShown(params.fields),
        idempotency: "reconcile",
        reconcile: (client, context) => reconcileCreatedIssue(client, context),
      },
    );
  }

  /**
   * Gets an issue (`fields`, `expand`, `properties` as Jira takes them).
   * @see https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issues/#api-rest-api-3-issue-issueidorkey-get
   */
  getIssue(key: IntegrationTaskKey, params: P<"getIssue">): Promise<TaskOutput<A<"getIssue">>> {
    return this.task<A<"getIssue">>(key, (client) => asModel<A<"getIssue">>(client.issues.getIssue(params)), {
      name: "Get Issue",
      params,
      properties: optionalProperty("Issue", params.issueIdOrKey),
      idempotency: "idempotent",
    });
  }

  /**
   * Edits an issue's fields (`fields` sets values, `update` applies operations). Setting the same values again leaves
   * the same issue; an `update` that `add`s to a list (a comment through `update`) is not safe to repeat.
   * @see https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issues/#api-rest-api-3-issue-issueidorkey-put
   */
  editIssue(key: IntegrationTaskKey, params: P<"editIssue">): Promise<TaskOutput<void>> {
    return this.task<void>(
      key,
      async (client) => {
        await client.issues.editIssue(params);
      },
      {
        name: "Edit Issue",
        params,
        properties: optionalProperty("Issue", params.issueIdOrKey),
        idempotency: "idempotent",
      },
    );
  }

  /**
   * Deletes an issue (with `deleteSubtasks: true`, its subtasks too). A repeat after a lost answer finds nothing to
   * delete and answers as the first did.
   * @see https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issues/#api-rest-api-3-issue-issueidorkey-delete
   */
  deleteIssue(key: IntegrationTaskKey, params: P<"deleteIssue">): Promise<TaskOutput<void>> {
    return this.task<void>(
      key,
      async (client) => {
        await client.issues.deleteIssue(params);
      },
      {
        name: "Delete Issue",
        params,
        properties: optionalProperty("Issue", params.issueIdOrKey),
        idempotency: "reconcile",
        // Gone is what the task wanted; still there means the delete did not happen.
        reconcile: async (client) => {
          try {
            await client.issues.getIssue({ issueIdOrKey: params.issueIdOrKey, fields: ["summary"] });
            return { found: false };
          } catch (error) {
            if ((error as { status?: unknown }).status === 404) return { found: true, output: undefined };
            throw error;
          }
        },
      },
    );
  }

  /**
   * Assigns an issue to a user (`accountId`; `null` unassigns, `"-1"` the project's default). Assigning again leaves
   * the same assignee.
   * @see https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issues/#api-rest-api-3-issue-issueidorkey-assignee-put
   */
  assignIssue(key: IntegrationTaskKey, params: P<"assignIssue">): Promise<TaskOutput<void>> {
    return this.task<void>(
      key,
      async (client) => {
        await client.issues.assignIssue(params);
      },
      {
        name: "Assign Issue",
        params,
        properties: [
          ...optionalProperty("Issue", params.issueIdOrKey),
          ...optionalProperty("Assignee", params.accountId ?? undefined),
        ],
        idempotency: "idempotent",
      },
    );
  }

  /**
   * Lists the transitions the issue's workflow allows from its current status (with `expand: "transitions.fields"`,
   * their screens' fields).
   * @see https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issues/#api-rest-api-3-issue-issueidorkey-transitions-get
   */
  getTransitions(
    key: IntegrationTaskKey,
    params: P<"getTransitions">,
  ): Promise<TaskOutput<A<"getTransitions">>> {
    return this.task<A<"getTransitions">>(
      key,
      (client) => asModel<A<"getTransitions">>(client.issues.getTransitions(params)),
      {
        name: "Get Transitions",
        params,
        properties: optionalProperty("Issue", params.issueIdOrKey),
        idempotency: "idempotent",
      },
    );
  }

  /**
   * Moves an issue through its workflow (`transition: { id }`). A lost answer is reconciled by reading the issue's
   * transitions: when the transition is still available from the issue's status, it is done (again: a transition
   * available from the status it leads to, such as a global one, repeats harmlessly); otherwise the issue moved and
   * whether this task moved it is unknown, so the task fails visibly.
   * @see https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issues/#api-rest-api-3-issue-issueidorkey-transitions-post
   */
  doTransition(key: IntegrationTaskKey, params: P<"doTransition">): Promise<TaskOutput<void>> {
    return this.task<void>(
      key,
      async (client) => {
        await client.issues.doTransition(params);
      },
      {
        name: "Transition Issue",
        params,
        properties: [
          ...optionalProperty("Issue", params.issueIdOrKey),
          ...optionalProperty("Transition", params.transition?.name ?? params.transition?.id),
        ],
        idempotency: "reconcile",
        reconcile: async (client) => {
          const id = params.transition?.id;
          if (!id) return { unknown: true };
          const { transitions } = await client.issues.getTransitions({ issueIdOrKey: params.issueIdOrKey });
          return transitions?.some((transition) => transition.id === id)
            ? { found: false }
            : { unknown: true };
        },
      },
    );
  }
}

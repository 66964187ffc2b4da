import {
  type IntegrationTaskKey,
  optionalProperty,
  type ReconcileResult,
  TaskNamespace,
  type TaskOutput,
} from "@autoflow/core";
import type { CloudClient } from "jira.js/cloud";
import { MARKER_PROPERTY, withMarkerProperty } from "./marker";
import { asModel, type JiraAnswer, type JiraParams } from "./sdk-types";

type P<M extends keyof CloudClient["issueComments"]> = JiraParams<"issueComments", M>;
type A<M extends keyof CloudClient["issueComments"]> = JiraAnswer<"issueComments", M>;
type Comment = A<"addComment">;

/** Clock skew allowed between the worker and Jira when reading comment times. */
const SKEW_MS = 120_000;

/**
 * The marker a comment carries in its `autoflow` property: from the comment as listed when Jira expanded its
 * properties, else read with `GET /comment/{id}/properties/autoflow` (404: none; a listing need not expand them).
 */
async function commentMarker(
  client: CloudClient,
  comment: {
    id?: string | undefined;
    properties?: Array<{ key?: string | undefined; value?: unknown }> | undefined;
  },
): Promise<unknown> {
  const listed = comment.properties?.find((property) => property.key === MARKER_PROPERTY);
  if (listed) return (listed.value as { marker?: unknown } | undefined)?.marker;
  if (!comment.id) return undefined;
  try {
    const property = await client.issueCommentProperties.getCommentProperty({
      commentId: comment.id,
      propertyKey: MARKER_PROPERTY,
    });
    return (property.value as { marker?: unknown } | undefined)?.marker;
  } catch (error) {
    if ((error as { status?: unknown }).status === 404) return undefined;
    throw error;
  }
}

/**
 * The comment on `issueIdOrKey` carrying `marker` in its marker property, newest first, walked back to the call's
 * start (minus skew): found, or certainly absent (comment lists are read directly, not through the search index).
 */
export async function reconcileComment(
  client: CloudClient,
  issueIdOrKey: string,
  marker: string,
  callStartedAt: Date,
): Promise<ReconcileResult<Comment>> {
  const since = callStartedAt.getTime() - SKEW_MS;
  for (let startAt = 0; ; ) {
    const page = await client.issueComments.getComments({
      issueIdOrKey,
      startAt,
      maxResults: 100,
      orderBy: "-created",
      expand: "properties",
    });
    const comments = page.comments ?? [];
    for (const comment of comments) {
      if (comment.created && new Date(comment.created).getTime() < since) continue;
      if ((await commentMarker(client, comment)) === marker) return { found: true, output: comment };
    }
    const older = comments.some((comment) => comment.created && new Date(comment.created).getTime() < since);
    startAt += comments.length;
    if (older || comments.length === 0 || startAt >= (page.total ?? 0)) return { found: false };
  }
}

/**
 * Hand-written `issueComments` tasks, 1:1 with jira.js 6 (`addComment`, `getComments`, `getComment`); every other
 * `issueComments.*` method passes through. A comment's `body` is Atlassian Document Format (`io.jira.addTextComment`
 * writes one from plain text).
 */
export class IssueComments extends TaskNamespace<CloudClient> {
  /**
   * Adds a comment to an issue. Jira has no idempotency key: the comment carries a comment property with a marker from
   * the task's idempotency key, and a lost answer is reconciled by reading the issue's comments before it is repeated.
   * @see https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issue-comments/#api-rest-api-3-issue-issueidorkey-comment-post
   */
  addComment(key: IntegrationTaskKey, params: P<"addComment">): Promise<TaskOutput<Comment>> {
    return this.task<Comment>(
      key,
      (client, task) =>
        asModel<Comment>(
          // The caller's own params (jira.js's type, checked at the call) with the marker: not checked again here.
          client.issueComments.addComment({
            ...params,
            properties: withMarkerProperty(params.properties, task),
          } as unknown as Parameters<CloudClient["issueComments"]["addComment"]>[0]),
        ),
      {
        name: "Add Comment",
        params,
        properties: optionalProperty("Issue", params.issueIdOrKey),
        idempotency: "reconcile",
        reconcile: (client, { marker, callStartedAt }) =>
          reconcileComment(client, params.issueIdOrKey, marker, callStartedAt),
      },
    );
  }

  /**
   * Lists an issue's comments, one page (`startAt`, `maxResults`, `orderBy: "-created"` for newest first).
   * @see https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issue-comments/#api-rest-api-3-issue-issueidorkey-comment-get
   */
  getComments(key: IntegrationTaskKey, params: P<"getComments">): Promise<TaskOutput<A<"getComments">>> {
    return this.task<A<"getComments">>(
      key,
      (client) => asModel<A<"getComments">>(client.issueComments.getComments(params)),
      {
        name: "Get Comments",
        params,
        properties: optionalProperty("Issue", params.issueIdOrKey),
        idempotency: "idempotent",
      },
    );
  }

  /**
   * Gets one comment of an issue.
   * @see https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issue-comments/#api-rest-api-3-issue-issueidorkey-comment-id-get
   */
  getComment(key: IntegrationTaskKey, params: P<"getComment">): Promise<TaskOutput<Comment>> {
    return this.task<Comment>(
      key,
      (client) => asModel<A<"getComment">>(client.issueComments.getComment(params)),
      {
        name: "Get Comment",
        params,
        properties: [
          ...optionalProperty("Issue", params.issueIdOrKey),
          ...optionalProperty("Comment", params.id),
        ],
        idempotency: "idempotent",
      },
    );
  }
}

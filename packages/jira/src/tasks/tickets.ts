import {
  type Clock,
  type IntegrationTaskKey,
  type IOTask,
  optionalProperty,
  TaskNamespace,
  type TaskOutput,
  taskMarker,
} from "@autoflow/core";
import type { CloudClient } from "jira.js/cloud";
import { toAdf } from "./adf";
import { MARKER_PROPERTY, searchSettleOf } from "./marker";
import { transitionIssueTo } from "./transition-to";

/** What `tickets.sync` takes: the external record's id, where its issue lives, and its fields now. */
export interface SyncTicketParams {
  /** The record's id in the other system (`ZD-4411`): one Jira issue per id and connection. */
  externalId: string;
  /** The project's key (`SUP`), used when the issue is created. */
  project: string;
  /** The issue type's name (`Bug`), used when the issue is created. */
  issueType: string;
  /** The issue's fields (`summary`, `labels`, `customfield_10010`, ...); a `description` given as text is written as ADF. */
  fields: Record<string, unknown> & { summary: string };
  /** The status to move the issue to (`Done`), by name; already there is left as it is. */
  transitionTo?: string;
}

/** What `tickets.sync` answers: the issue the record maps to, and what this run did to it. */
export interface SyncedTicket {
  externalId: string;
  issueKey: string;
  /** Whether this run created the issue (false: it updated the one the record already had). */
  created: boolean;
  /** The status the issue is in after `transitionTo` (absent without one). */
  status?: string;
}

/** The JQL that finds the issue synced from `externalId` in `project`, by the property written when it was created. */
export function syncedIssueJql(project: string, externalId: string): string {
  return `project = ${project} AND issue.property[${MARKER_PROPERTY}].externalId = ${JSON.stringify(externalId)}`;
}

/** The issue key synced from `externalId`, by JQL on its property, waiting out the search index once when not found. */
async function findSynced(
  client: CloudClient,
  params: SyncTicketParams,
  clock: Clock,
): Promise<string | undefined> {
  for (const wait of [0, searchSettleOf(client)]) {
    if (wait > 0) await clock.sleep(wait);
    const page = await client.issueSearch.searchAndReconsileIssuesUsingJql({
      jql: `${syncedIssueJql(params.project, params.externalId)} ORDER BY created ASC`,
      fields: ["summary"],
      maxResults: 1,
    });
    const key = page.issues?.[0]?.key;
    if (key) return key;
  }
  return undefined;
}

/** The fields an update sets: everything but where the issue lives; a text description as ADF. */
function editableFields(fields: SyncTicketParams["fields"]): Record<string, unknown> {
  const { project: _project, issuetype: _issuetype, ...rest } = fields;
  return typeof rest.description === "string" ? { ...rest, description: toAdf(rest.description) } : rest;
}

async function createSynced(client: CloudClient, params: SyncTicketParams, task: IOTask): Promise<string> {
  const created = await client.issues.createIssue({
    fields: {
      ...editableFields(params.fields),
      project: { key: params.project },
      issuetype: { name: params.issueType },
    },
    properties: [
      { key: MARKER_PROPERTY, value: { marker: taskMarker(task), externalId: params.externalId } },
    ],
  });
  return created.key;
}

/**
 * Ticket sync: one Jira issue per record of another system, created or updated so that running it twice,
 * concurrently, or after a crash converges on one issue with the latest fields and status.
 */
export class Tickets extends TaskNamespace<CloudClient> {
  /**
   * Creates or updates the issue for `externalId`. Jira's search is eventually consistent, so two runs cannot find
   * each other's create by JQL: the mapping (connection, external id) → issue key is claimed in the task store before
   * the create (a second run waits while it is held) and recorded after it; the external id is also written to the
   * issue's `autoflow` property, and JQL on it recovers a mapping a crash lost between the create and the record.
   * An update sets the fields again and moves the issue to `transitionTo`: a repeat converges.
   * @see https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issues/#api-rest-api-3-issue-post
   */
  sync(key: IntegrationTaskKey, params: SyncTicketParams): Promise<TaskOutput<SyncedTicket>> {
    return this.task<SyncedTicket>(
      key,
      async (client, task, _io, run) => {
        const mappings = run.mappings("tickets");
        let issueKey: string | undefined;
        let created = false;
        while (issueKey === undefined) {
          const claim = await mappings.claim(params.externalId);
          if (claim.status === "mapped") {
            issueKey = claim.resourceId;
          } else if (claim.status === "held") {
            // Another run is creating it: wait for its record (or its lease to lapse), then claim again.
            await run.clock.sleep(
              Math.min(1_000, Math.max(50, Date.parse(claim.leaseUntil) - run.clock.now())),
            );
          } else {
            // A claim that is not fresh may have created the issue already (a crash, a lapsed lease): look first.
            const found = claim.fresh ? undefined : await findSynced(client, params, run.clock);
            let made: string;
            try {
              made = found ?? (await createSynced(client, params, task));
            } catch (error) {
              const status = (error as { status?: unknown }).status;
              // Refused (400, 403, 404): nothing was made, so the next claimant need not wait the lease out.
              if (typeof status === "number" && status < 500 && status !== 429)
                await mappings.release(params.externalId);
              throw error;
            }
            issueKey = await mappings.record(params.externalId, made);
            created = found === undefined && issueKey === made;
            // A lapsed lease let another run create one too, and it recorded first: ours is the spare.
            if (issueKey !== made && found === undefined)
              await client.issues.deleteIssue({ issueIdOrKey: made });
          }
        }
        if (!created)
          await client.issues.editIssue({ issueIdOrKey: issueKey, fields: editableFields(params.fields) });
        const moved =
          params.transitionTo === undefined
            ? undefined
            : await transitionIssueTo(client, { issueIdOrKey: issueKey, status: params.transitionTo });
        return { externalId: params.externalId, issueKey, created, ...(moved && { status: moved.status }) };
      },
      {
        name: "Sync Ticket",
        params,
        properties: [
          ...optionalProperty("Record", params.externalId),
          ...optionalProperty("Project", params.project),
          ...optionalProperty("Summary", params.fields.summary),
        ],
        // A repeat converges: the mapping (or the property) names the issue, which is updated again.
        idempotency: "idempotent",
      },
    );
  }
}

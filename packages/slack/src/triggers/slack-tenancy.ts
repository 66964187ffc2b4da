import type { ScopeCheckResult, ScopeConnection, TriggerContext } from "@autoflow/actions";
import type { DeliveryTenant, JsonObject } from "@autoflow/core";
import { createWebClient, type SlackClientOptions } from "../client";
import { toSlackError } from "../errors";
import { channelOf } from "./event-payload";

/**
 * The tenant of a Slack Events API envelope: the workspace (`team_id`) and the channel the event happened in; the
 * app it was sent to (`api_app_id`) is kept for the record. `undefined` without a `team_id`.
 */
export function slackTenantOf(envelope: JsonObject): DeliveryTenant | undefined {
  const { team_id: team, api_app_id: app, event } = envelope;
  if (typeof team !== "string" || team === "") return undefined;
  const channel =
    typeof event === "object" && event !== null && !Array.isArray(event) ? channelOf(event) : undefined;
  return {
    account: team,
    ...(channel !== undefined && { resource: channel }),
    ...(typeof app === "string" && app !== "" && { ids: { apiAppId: app } }),
  };
}

/** The scope inputs of Slack's catalogue triggers: a channel, a workspace, or both. */
export interface SlackScopeInputs {
  channel?: string;
  team?: string;
}

/**
 * Whether the connection sees the scope: its workspace is the one its metadata recorded at connect time
 * (`auth.test`'s `team_id`), so a `team` input must be that one; a channel must be one its token can read
 * (`conversations.info`, which Slack answers `channel_not_found` for a channel of another workspace or a
 * private channel the app is not in).
 */
export async function checkSlackScope(
  inputs: SlackScopeInputs,
  connection: ScopeConnection,
  context?: TriggerContext,
): Promise<ScopeCheckResult> {
  const team = connection.metadata.teamId;
  if (typeof team !== "string" || team === "") {
    return { ok: false, field: "team", message: "the Slack connection has no workspace (teamId) on record" };
  }
  if (inputs.team !== undefined && inputs.team !== team) {
    return {
      ok: false,
      field: "team",
      message: `the Slack connection is to workspace ${team}, not ${inputs.team}`,
    };
  }
  if (inputs.channel === undefined) return { ok: true, account: team };
  const client = createWebClient(
    connection.auth.accessToken,
    context?.providers?.slack as SlackClientOptions | undefined,
  );
  try {
    await client.conversations.info({ channel: inputs.channel });
    return { ok: true, account: team, resource: inputs.channel };
  } catch (thrown) {
    const error = toSlackError(thrown);
    if (error.type === "auth" || error.type === "schema") {
      return {
        ok: false,
        field: "channel",
        message: `the Slack connection cannot see channel ${inputs.channel} (${error.code ?? error.type})`,
      };
    }
    throw error;
  }
}

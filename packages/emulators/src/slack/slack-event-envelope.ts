import { randomBytes } from "node:crypto";
import type { SlackInnerEvent } from "./slack-event-builder";
import { APP_ID, BOT, TEAM } from "./slack-workspace";

/** An `event_callback` envelope as Slack sends it. */
export interface SlackEventEnvelope {
  token: string;
  team_id: string;
  api_app_id: string;
  event: SlackInnerEvent;
  type: "event_callback";
  event_id: string;
  event_time: number;
  /** Deprecated by Slack, truncated to one installing user, and still required by its Events API description. */
  authed_users: string[];
  authorizations: {
    enterprise_id: null;
    team_id: string;
    user_id: string;
    is_bot: boolean;
    is_enterprise_install: boolean;
  }[];
  is_ext_shared_channel: boolean;
  event_context: string;
}

const ID_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";

/** Slack-shaped event id: `Ev` and ten upper-case letters or digits. */
function eventId(): string {
  return `Ev${[...randomBytes(10)].map((b) => ID_ALPHABET[b % ID_ALPHABET.length]).join("")}`;
}

/** Wraps an inner event as Slack's Events API delivers it to the app: a fresh `event_id` unless one is given. */
export function slackEnvelope(
  event: SlackInnerEvent,
  { id = eventId(), token, time }: { id?: string | undefined; token: string; time: number },
): SlackEventEnvelope {
  return {
    token,
    team_id: TEAM.id,
    api_app_id: APP_ID,
    event,
    type: "event_callback",
    event_id: id,
    event_time: time,
    authed_users: [BOT.userId],
    authorizations: [
      {
        enterprise_id: null,
        team_id: TEAM.id,
        user_id: BOT.userId,
        is_bot: true,
        is_enterprise_install: false,
      },
    ],
    is_ext_shared_channel: false,
    event_context: `4-${Buffer.from(JSON.stringify({ id: TEAM.id, app: APP_ID })).toString("base64url")}`,
  };
}

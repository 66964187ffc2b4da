import { APP_ID, BOT, TEAM } from "./slack-workspace";

// Slack's default app icon, at the three sizes a bot profile always lists.
const DEFAULT_ICON = "https://a.slack-edge.com/80588/img/plugins/app";

/** The app's bot as Slack describes it in `message.bot_profile` (answers and events alike). */
export interface SlackBotProfile {
  id: string;
  app_id: string;
  name: string;
  team_id: string;
  deleted: boolean;
  icons: { image_36: string; image_48: string; image_72: string };
  /** When the bot was last changed, in epoch seconds. */
  updated: number;
}

/** The emulated app's bot profile; `updated` is the bot user's last change. */
export function botProfile(updated: number): SlackBotProfile {
  return {
    id: BOT.botId,
    app_id: APP_ID,
    name: BOT.name,
    team_id: TEAM.id,
    deleted: false,
    icons: {
      image_36: `${DEFAULT_ICON}/bot_36.png`,
      image_48: `${DEFAULT_ICON}/bot_48.png`,
      image_72: `${DEFAULT_ICON}/bot_72.png`,
    },
    updated,
  };
}

import type { SlackMessage } from "./slack-workspace";

/** A workspace change the Events API reports: a message posted, a reaction added. */
export type SlackWorkspaceChange =
  | { type: "message"; channel: string; message: SlackMessage }
  | { type: "reaction_added"; channel: string; message: SlackMessage; reaction: string; user: string };

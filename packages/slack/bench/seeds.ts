/** The seeded Slack channel the bot is a member of: where the bench posts. */
export const CHANNEL = "C01GENERAL";

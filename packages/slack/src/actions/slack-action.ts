/**
 * What every Slack registry action shares, spread into its `defineAction`: the provider, and the credentials
 * it accepts (a bot or user token from the OAuth install, or one pasted as a bearer token).
 */
export const slackAction = { provider: "slack", authType: ["oauth2", "bearer_token"] } as const;

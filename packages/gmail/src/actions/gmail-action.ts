/**
 * What every Gmail registry action shares, spread into its `defineAction`: the provider, and the credentials it
 * accepts (a Google OAuth token, or an access token pasted as a bearer token).
 */
export const gmailAction = { provider: "gmail", authType: ["oauth2", "bearer_token"] } as const;

/**
 * What every GitHub registry action shares, spread into its `defineAction`: the provider, and the credentials
 * it accepts (an OAuth token, or a personal access token pasted as a bearer token).
 */
export const githubAction = { provider: "github", authType: ["oauth2", "bearer_token"] } as const;

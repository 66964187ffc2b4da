/**
 * What every Jira registry action shares, spread into its `defineAction`: the provider, and the credentials it
 * accepts (an Atlassian OAuth 2.0 token, or an API token with its account's email and site).
 */
export const jiraAction = { provider: "jira", authType: ["oauth2", "api_key"] } as const;

/**
 * What every Stripe registry action shares, spread into its `defineAction`: the provider, and the credentials it
 * accepts (a Connect OAuth token, or a secret or restricted key pasted as an API key).
 */
export const stripeAction = { provider: "stripe", authType: ["oauth2", "api_key"] } as const;

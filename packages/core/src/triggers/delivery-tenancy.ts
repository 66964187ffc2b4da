/**
 * How a webhook delivery was authenticated: with the secret of one connection's hook
 * (`POST /webhooks/:provider/:connectionId`), or with the provider-wide secret (an app's signing secret or
 * app-wide webhook secret) that every tenant of the provider shares.
 */
export type DeliveryAuthSource = { kind: "connection"; connectionId: string } | { kind: "provider" };

/**
 * The provider tenant a delivery is about, as the provider's verifier reads it from the payload. Deliveries start
 * only the workflows of users whose connection holds this tenant, so a delivery with no tenant starts none.
 */
export interface DeliveryTenant {
  /**
   * The account the event belongs to, in the provider's own ids: a chat workspace id, a repository owner's login.
   * Lowercased where the provider compares case-insensitively.
   */
  account: string;
  /** The resource inside the account the event is on (a repository `owner/repo`, a channel id); absent when none. */
  resource?: string;
  /** Further tenant ids the provider sends (an app id, an installation id, an organisation), kept for the record. */
  ids?: Record<string, string>;
}

/**
 * What a workflow's trigger was verified to see when it was saved: the connection that can see it, the account and,
 * when the trigger names one, the resource. A delivery reaches the workflow only inside this scope.
 */
export interface TriggerScope {
  /** The user's connection the scope was checked with; it must still be live when a delivery arrives. */
  connectionId: string;
  account: string;
  resource?: string;
}

/**
 * Whether a delivery's tenant falls inside a verified scope: the same account and, when the scope names a resource,
 * the same resource. A delivery without a tenant is inside no scope.
 */
export function tenantWithinScope(
  tenant: DeliveryTenant | undefined,
  scope: Pick<TriggerScope, "account" | "resource">,
): boolean {
  if (!tenant || tenant.account !== scope.account) return false;
  return scope.resource === undefined || tenant.resource === scope.resource;
}

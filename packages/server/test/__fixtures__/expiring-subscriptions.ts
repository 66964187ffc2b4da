import type { Clock, SubscriptionGrant, WebhookRegistration, WebhookTrigger } from "@autoflow/core";

/**
 * A provider-neutral stand-in for subscriptions that expire (Gmail's 7-day watch, Graph's 3-day subscriptions):
 * an in-memory "provider" on the test's clock that drops a subscription at its expiry unless renewed. GitHub hooks
 * do not expire, so the renewal path is tested with this.
 */
export class ExpiringSubscriptions {
  readonly subscriptions = new Map<string, { url: string; expiresAt: number }>();
  readonly renewals: number[] = [];
  /** While true, `renew` fails as a provider outage would. */
  failRenewals = false;
  private next = 1;

  constructor(
    private readonly clock: Pick<Clock, "now">,
    readonly lifetimeMs: number,
  ) {}

  /** Whether the subscription is alive now (a lapsed one is removed, as the provider would). */
  alive(id: string): boolean {
    const found = this.subscriptions.get(id);
    if (found && found.expiresAt <= this.clock.now()) this.subscriptions.delete(id);
    return this.subscriptions.has(id);
  }

  registration(key: string): WebhookRegistration {
    const grant = (id: string): SubscriptionGrant => ({
      externalId: id,
      expiresAt: new Date(this.subscriptions.get(id)?.expiresAt ?? 0).toISOString(),
    });
    return {
      key,
      register: async ({ url }) => {
        const id = `sub-${this.next++}`;
        this.subscriptions.set(id, { url, expiresAt: this.clock.now() + this.lifetimeMs });
        return grant(id);
      },
      renew: async ({ externalId }) => {
        if (this.failRenewals) throw new Error("the provider is down (503)");
        if (!this.alive(externalId)) throw new Error(`subscription ${externalId} expired`);
        this.renewals.push(this.clock.now());
        const found = this.subscriptions.get(externalId);
        if (found) found.expiresAt = this.clock.now() + this.lifetimeMs;
        return grant(externalId);
      },
      unregister: async ({ externalId }) => {
        this.subscriptions.delete(externalId);
      },
    };
  }

  /** A webhook trigger of `provider` needing one expiring subscription; it matches no delivery (only its lifecycle is under test). */
  trigger(provider: string, key: string): WebhookTrigger<unknown> {
    return {
      kind: "webhook",
      provider,
      title: `expiring subscription ${key}`,
      matches: () => false,
      payloadOf: () => ({}),
      registration: this.registration(key),
    };
  }
}

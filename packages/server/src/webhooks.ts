import type { ConnectionAuth, ConnectionStore, DeliveryTenant, WebhookVerifier } from "@autoflow/core";
import { PROVIDERS } from "@autoflow/providers";
import type { ProviderConfig } from "./config";
import { endpointsOf } from "./providers";
import type { WebhookSecretStore } from "./stores/webhook-secret-store";

/** A provider whose webhooks the service takes in: its slug and how to build its verifier from secrets. */
export interface WebhookProvider {
  /** The `:provider` of `POST /api/webhooks/:provider`, and the `provider` of its deliveries. */
  id: string;
  /** A verifier accepting a delivery signed with any of `secrets` (two during a rotation). */
  createVerifier(secrets: readonly string[]): WebhookVerifier;
  /** The largest body the provider sends (its manifest's `webhooks.maxBodyBytes`); default the routes' limit. */
  maxBodyBytes?: number;
  /**
   * The tenant of a delivery to one connection's own hook whose payload names none: the connection's own account
   * (its manifest's `webhooks.connectionTenant`).
   */
  connectionTenant?(connection: { metadata: Readonly<Record<string, unknown>> }): DeliveryTenant | undefined;
  /**
   * Removes a hook the service registered for a trigger, from its registration key and the provider's hook id
   * alone: once no job has the trigger, nothing else is left to remove it with. Absent where hooks are not
   * registered automatically.
   */
  unregister?(context: {
    key: string;
    externalId: string;
    auth: ConnectionAuth;
    config?: ProviderConfig;
  }): Promise<void>;
}

/**
 * Every listed provider with webhooks, as the webhook endpoints serve them. The provider-wide secrets come from
 * `AUTOFLOW_<ID>_WEBHOOK_SECRETS` (or the provider's own word for them, its manifest's `configAliases`);
 * per-connection secrets from the webhook-secret store.
 */
export const WEBHOOK_PROVIDERS: readonly WebhookProvider[] = PROVIDERS.flatMap(({ id, webhooks }) => {
  if (!webhooks) return [];
  const provider: WebhookProvider = {
    id,
    createVerifier: (secrets) => webhooks.createVerifier(secrets),
    ...(webhooks.maxBodyBytes !== undefined && { maxBodyBytes: webhooks.maxBodyBytes }),
    ...(webhooks.connectionTenant && { connectionTenant: (c) => webhooks.connectionTenant!(c) }),
    ...(webhooks.unregister && {
      unregister: ({ config, ...context }) => webhooks.unregister!({ ...context, ...endpointsOf(config) }),
    }),
  };
  return [provider];
});

/** Finds the verifier for a webhook request; `undefined` means 404 (unknown provider, hook or connection). */
export interface WebhookVerifiers {
  /** The provider-wide verifier, when the provider is known and has configured secrets. */
  forProvider(provider: string): WebhookVerifier | undefined;
  /** A verifier over the secrets stored for one live connection of this provider. */
  forConnection(provider: string, connectionId: string): Promise<WebhookVerifier | undefined>;
  /**
   * The largest body accepted for this provider (`AUTOFLOW_<P>_WEBHOOK_MAX_BODY_BYTES`, else its own cap);
   * `undefined`: the routes' default.
   */
  maxBodyBytes?(provider: string): number | undefined;
}

/** Options for `createWebhookVerifiers`. */
export interface WebhookVerifiersOptions {
  providers: readonly WebhookProvider[];
  /** The providers' configurations (their `webhookSecrets` and `webhookMaxBodyBytes`), by id. */
  configs: Readonly<Record<string, ProviderConfig>>;
  connections: ConnectionStore;
  secrets: WebhookSecretStore;
}

/**
 * The webhook-verifier registry: provider-wide verifiers are built once from the configuration; per-connection
 * ones on each request from the store, so a secret saved or removed by a trigger takes effect at once.
 */
export function createWebhookVerifiers(options: WebhookVerifiersOptions): WebhookVerifiers {
  const byId = new Map(options.providers.map((provider) => [provider.id, provider]));
  const providerWide = new Map<string, WebhookVerifier>();
  for (const provider of options.providers) {
    const secrets = options.configs[provider.id]?.webhookSecrets;
    if (secrets?.length) providerWide.set(provider.id, provider.createVerifier(secrets));
  }
  return {
    forProvider: (provider) => providerWide.get(provider),
    maxBodyBytes: (provider) =>
      options.configs[provider]?.webhookMaxBodyBytes ?? byId.get(provider)?.maxBodyBytes,
    async forConnection(provider, connectionId) {
      const factory = byId.get(provider);
      if (!factory) return undefined;
      const connection = await options.connections.getConnection(connectionId);
      if (!connection || connection.provider !== provider || connection.revokedAt) return undefined;
      const secrets = (await options.secrets.listSecrets(connectionId))
        .filter((record) => record.provider === provider)
        .map((record) => record.secret);
      if (secrets.length === 0) return undefined;
      const verifier = factory.createVerifier(secrets);
      const own = factory.connectionTenant?.(connection);
      return own ? withTenant(verifier, own) : verifier;
    },
  };
}

/**
 * `verifier`, its deliveries that name no tenant given `tenant`: a hook on one connection's account, verified with
 * its own secret, delivers only that account's events, whether or not the payload says so.
 */
function withTenant(verifier: WebhookVerifier, tenant: DeliveryTenant): WebhookVerifier {
  return {
    provider: verifier.provider,
    async verify(request, now) {
      const verified = await verifier.verify(request, now);
      if (verified.kind !== "delivery" || verified.delivery.tenant) return verified;
      return { ...verified, delivery: { ...verified.delivery, tenant } };
    },
  };
}

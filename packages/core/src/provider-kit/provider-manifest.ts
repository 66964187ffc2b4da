import type { ConnectionAuth, TriggerIntegration } from "../integration";
import type { ConnectionStore } from "../lifecycle/connection-store";
import type { ConnectorLifecycle } from "../lifecycle/connector-lifecycle";
import type { OAuthClientConfig } from "../lifecycle/provider-adapter";
import type { Clock } from "../runtime/clock";
import type { DeliveryTenant } from "../triggers/delivery-tenancy";
import type { WebhookVerifier } from "../triggers/webhook-verifier";
import type { ProviderSecretShapes } from "./secret-shapes";

/** Where a provider is reached, from the service's `AUTOFLOW_<ID>_API_URL` / `_WEB_URL` (the emulators in tests). */
export interface ProviderEndpoints {
  /** API base URL override. */
  apiUrl?: string;
  /** Browser-facing (OAuth) base URL override. */
  webUrl?: string;
}

/** What a provider's lifecycle factory gets from the service. */
export interface ProviderLifecycleContext extends ProviderEndpoints {
  store: ConnectionStore;
  /** The OAuth client, when one is configured; without it only API keys work. */
  oauthClient?: OAuthClientConfig;
  clock?: Clock;
  /**
   * The fetch every request of the lifecycle's clients goes through: the service's egress-checked fetch for a
   * provider with `userAimedHosts`. Default: the client's own (the global fetch).
   */
  fetch?: typeof fetch;
}

/** Removing a webhook the service registered for a trigger, from its registration key and the provider's hook id. */
export interface WebhookUnregisterContext extends ProviderEndpoints {
  key: string;
  externalId: string;
  auth: ConnectionAuth;
}

/** A provider's webhook intake: how its deliveries are verified, and how a registered hook is removed. */
export interface ProviderWebhooks {
  /** A verifier accepting a delivery signed with any of `secrets` (two during a rotation). */
  createVerifier(secrets: readonly string[]): WebhookVerifier;
  /** Absent where the service does not register hooks itself. */
  unregister?(context: WebhookUnregisterContext): Promise<void>;
  /**
   * The largest delivery body the provider sends, in bytes (its documented payload cap, e.g. 25 MB); larger ones get 413 before any
   * verification. Default: the service's 1 MiB. The operator overrides it with `AUTOFLOW_<ID>_WEBHOOK_MAX_BODY_BYTES`.
   */
  readonly maxBodyBytes?: number;
  /**
   * The tenant of a delivery that arrived at one connection's own hook (`POST /webhooks/:provider/:connectionId`,
   * verified with that hook's secret) and whose payload names none: the connection's own account, read from its
   * public metadata. For providers whose hooks live on an account and deliver only its events, but whose payloads
   * name the account only in some cases (only on deliveries to a platform's hooks, not on an account's own
   * events). A tenant the payload names is kept. Absent: such a delivery has no tenant (it starts no stored
   * workflow).
   */
  connectionTenant?(connection: { metadata: Readonly<Record<string, unknown>> }): DeliveryTenant | undefined;
}

/**
 * Everything the rest of the product needs to know about one provider, exported by its package as
 * `@autoflow/<provider>/provider`. The service, the registries, the bench and the redaction code iterate
 * over the one list of these; none of them names a provider. `TAction` and `TTrigger` are the registry's
 * action and trigger types (`@autoflow/actions`), left open here because core does not depend on it.
 */
export interface ProviderManifest<TAction = unknown, TTrigger = unknown> {
  /** The slug: `/api/integrations/:id`, `AUTOFLOW_<ID>_*`, action keys' first segment. */
  readonly id: string;
  /** The display name, e.g. "Acme". */
  readonly name: string;
  /** The integration class, constructed with `{ id, token? }` and its client options (`clientOptions`). */
  readonly integration: new (options: {
    id: string;
    token?: string;
  }) => TriggerIntegration;
  /** The connection lifecycle (OAuth, API keys, health, revoke) over the service's store. */
  createLifecycle(context: ProviderLifecycleContext): ConnectorLifecycle<string, object>;
  /**
   * The integration's client options for these endpoints (its base-URL option, `{}` when none is overridden), for
   * actions and triggers: the service merges them under the provider's id in `ActionProviders`.
   */
  clientOptions(endpoints: ProviderEndpoints): Record<string, unknown>;
  readonly webhooks?: ProviderWebhooks;
  /** Token shapes to mask and redact. */
  readonly secrets: ProviderSecretShapes;
  /** Registry actions (spec 002), e.g. `acme.createContact`. */
  readonly actions: readonly TAction[];
  /** Workflow trigger catalogue entries, e.g. `acme.contactCreated`. */
  readonly triggers: readonly TTrigger[];
  /**
   * Provider-specific configuration words: `AUTOFLOW_<ID>_<alias>` read as the generic key (a provider that calls
   * its webhook secrets "signing secrets": `{ SIGNING_SECRETS: "WEBHOOK_SECRETS" }`); setting both is an error.
   */
  readonly configAliases?: Readonly<Record<string, string>>;
  /**
   * Whether a connection may name the host its requests go to (a `siteUrl` typed with an API key, a customer's own
   * site): the service then hands the provider's clients, the lifecycle's and the actions' and triggers', its
   * egress-checked `fetch`, so every request to a host that is not the configured API or web URL passes the egress
   * policy (no loopback, private or metadata address, even after a DNS rebinding; no redirect followed). Such a
   * provider's clients must send through their options' `fetch`. Default false.
   */
  readonly userAimedHosts?: boolean;
}

import type { ConnectionAuth, WebhookRegistration } from "@autoflow/core";
import type StripeSdk from "stripe";
import { createStripeClient, STRIPE_API_VERSION, type StripeClientOptions } from "../client";
import { toStripeError } from "../errors";
import type { StripeEventType } from "./stripe-triggers";

/** The metadata key a registered endpoint carries, so a spare left by a crash can be told from the user's own. */
const REGISTRATION_METADATA = "autoflow_registration";

/** What `stripeWebhookRegistration` needs: the event types the endpoint subscribes to, and how to reach Stripe. */
export interface StripeWebhookRegistrationOptions {
  events: readonly StripeEventType[];
  client?: StripeClientOptions;
}

/**
 * `stripe:events:<types, sorted>`: one endpoint per set of event types and connection, so jobs on different events
 * get separate endpoints and removing one leaves the others (Stripe allows 16 endpoints per account).
 */
export function stripeRegistrationKey(events: readonly string[]): string {
  return `stripe:events:${[...new Set(events)].sort().join(",")}`;
}

const REGISTRATION_KEY = /^stripe:events:([a-z0-9_.*,]+)$/;

/**
 * A trigger's webhook endpoint, made with the connection's key (or, for a Connect connection, its access token:
 * the endpoint then belongs to the connected account and gets its events), on the SDK's pinned API version.
 * Stripe generates the endpoint's signing secret and shows it only in the create answer: `register` hands it to
 * the service in the grant, which stores it in the vault in place of its own. For the same reason an endpoint
 * a crash created but never recorded cannot be adopted: `find` deletes such a spare (it carries this key in its
 * metadata and delivers to the service's URL) so `register` makes a fresh one whose secret is known. `verify`
 * reads the endpoint's status (Stripe disables an endpoint that keeps failing); endpoints never expire.
 * @see https://docs.stripe.com/api/webhook_endpoints/create
 */
export function stripeWebhookRegistration(options: StripeWebhookRegistrationOptions): WebhookRegistration {
  const { events, client = {} } = options;
  const key = stripeRegistrationKey(events);
  const stripeOf = (auth: ConnectionAuth) => createStripeClient(auth.accessToken, client);
  return {
    key,
    async register({ url, auth }) {
      const endpoint = await call(() =>
        stripeOf(auth).webhookEndpoints.create({
          url,
          enabled_events: [...events] as StripeSdk.WebhookEndpointCreateParams.EnabledEvent[],
          api_version: STRIPE_API_VERSION as StripeSdk.WebhookEndpointCreateParams.ApiVersion,
          metadata: { [REGISTRATION_METADATA]: key },
        }),
      );
      return { externalId: endpoint.id, ...(endpoint.secret !== undefined && { secret: endpoint.secret }) };
    },
    async unregister({ auth, externalId }) {
      await removeEndpoint(stripeOf(auth), externalId);
    },
    async find({ url, auth }) {
      const stripe = stripeOf(auth);
      const endpoints = await call(() =>
        stripe.webhookEndpoints.list({ limit: 100 }).autoPagingToArray({ limit: 1000 }),
      );
      for (const spare of endpoints) {
        if (spare.url === url && spare.metadata?.[REGISTRATION_METADATA] === key)
          await removeEndpoint(stripe, spare.id);
      }
      return undefined;
    },
    async verify({ auth, externalId }) {
      try {
        const endpoint = await stripeOf(auth).webhookEndpoints.retrieve(externalId);
        return endpoint.status === "enabled" ? "active" : "inactive";
      } catch (error) {
        if (isMissing(error)) return "gone";
        throw toStripeError(error);
      }
    },
  };
}

/**
 * Removes the endpoint of a registration by its key and endpoint id alone: what the service calls for a key no
 * job uses anymore. An endpoint that is already gone is not an error.
 */
export async function unregisterStripeRegistration(options: {
  key: string;
  externalId: string;
  auth: ConnectionAuth;
  client?: StripeClientOptions;
}): Promise<void> {
  if (!REGISTRATION_KEY.test(options.key))
    throw new TypeError(`not a Stripe registration key: ${options.key}`);
  await removeEndpoint(createStripeClient(options.auth.accessToken, options.client), options.externalId);
}

async function removeEndpoint(stripe: StripeSdk, id: string): Promise<void> {
  try {
    await stripe.webhookEndpoints.del(id);
  } catch (error) {
    if (!isMissing(error)) throw toStripeError(error);
  }
}

/** Stripe's answer for an id that does not exist (`resource_missing`, 404). */
function isMissing(error: unknown): boolean {
  return (error as { statusCode?: unknown } | null)?.statusCode === 404;
}

async function call<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    throw toStripeError(error);
  }
}

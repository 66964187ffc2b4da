import { type IntegrationTaskKey, propertiesOf, TaskNamespace, type TaskOutput } from "@autoflow/core";
import type StripeSdk from "stripe";

type Session = StripeSdk.Checkout.Session;

/** `io.stripe.checkout.sessions`: Stripe-hosted payment pages. Other `checkout.sessions.*` methods pass through. */
export class Sessions extends TaskNamespace<StripeSdk> {
  /**
   * Creates a Checkout Session; its `url` is the page to send the customer to.
   * @see https://docs.stripe.com/api/checkout/sessions/create
   */
  create(
    key: IntegrationTaskKey,
    params: StripeSdk.Checkout.SessionCreateParams,
  ): Promise<TaskOutput<Session>> {
    return this.task<Session>(key, (client) => client.checkout.sessions.create(params), {
      name: "Create Checkout Session",
      params,
      properties: propertiesOf(params, { Mode: "mode", Customer: "customer" }),
      idempotency: "native",
    });
  }

  /**
   * Reads a Checkout Session.
   * @see https://docs.stripe.com/api/checkout/sessions/retrieve
   */
  retrieve(
    key: IntegrationTaskKey,
    id: string,
    params?: StripeSdk.Checkout.SessionRetrieveParams,
  ): Promise<TaskOutput<Session>> {
    return this.task<Session>(key, (client) => client.checkout.sessions.retrieve(id, params), {
      name: "Retrieve Checkout Session",
      params: { id, ...params },
      properties: [{ label: "Session", text: id }],
      idempotency: "idempotent",
    });
  }

  /**
   * Expires an open Checkout Session: the customer can no longer pay through it.
   * @see https://docs.stripe.com/api/checkout/sessions/expire
   */
  expire(
    key: IntegrationTaskKey,
    id: string,
    params?: StripeSdk.Checkout.SessionExpireParams,
  ): Promise<TaskOutput<Session>> {
    return this.task<Session>(key, (client) => client.checkout.sessions.expire(id, params), {
      name: "Expire Checkout Session",
      params: { id, ...params },
      properties: [{ label: "Session", text: id }],
      idempotency: "native",
    });
  }
}

/** `io.stripe.checkout`: holds `sessions`, as the SDK nests it. */
export class Checkout extends TaskNamespace<StripeSdk> {
  /** Checkout Sessions: `create`, `retrieve`, `expire`, and every other `checkout.sessions.*` method. */
  get sessions(): Sessions {
    return this.child(Sessions);
  }
}

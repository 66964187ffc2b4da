import { type IntegrationTaskKey, propertiesOf, TaskNamespace, type TaskOutput } from "@autoflow/core";
import type StripeSdk from "stripe";

type Subscription = StripeSdk.Subscription;

/** `io.stripe.subscriptions`: recurring billing. Other `subscriptions.*` methods pass through. */
export class Subscriptions extends TaskNamespace<StripeSdk> {
  /**
   * Subscribes a customer to prices; sent once, with the task's idempotency key (never two subscriptions).
   * @see https://docs.stripe.com/api/subscriptions/create
   */
  create(
    key: IntegrationTaskKey,
    params: StripeSdk.SubscriptionCreateParams,
  ): Promise<TaskOutput<Subscription>> {
    return this.task<Subscription>(key, (client) => client.subscriptions.create(params), {
      name: "Create Subscription",
      params,
      properties: propertiesOf(params, { Customer: "customer" }),
      idempotency: "native",
    });
  }

  /**
   * Reads a subscription.
   * @see https://docs.stripe.com/api/subscriptions/retrieve
   */
  retrieve(
    key: IntegrationTaskKey,
    id: string,
    params?: StripeSdk.SubscriptionRetrieveParams,
  ): Promise<TaskOutput<Subscription>> {
    return this.task<Subscription>(key, (client) => client.subscriptions.retrieve(id, params), {
      name: "Retrieve Subscription",
      params: { id, ...params },
      properties: [{ label: "Subscription", text: id }],
      idempotency: "idempotent",
    });
  }

  /**
   * Changes a subscription's items, metadata or cancellation at period end.
   * @see https://docs.stripe.com/api/subscriptions/update
   */
  update(
    key: IntegrationTaskKey,
    id: string,
    params: StripeSdk.SubscriptionUpdateParams,
  ): Promise<TaskOutput<Subscription>> {
    return this.task<Subscription>(key, (client) => client.subscriptions.update(id, params), {
      name: "Update Subscription",
      params: { id, ...params },
      properties: [{ label: "Subscription", text: id }],
      idempotency: "native",
    });
  }

  /**
   * Cancels a subscription at once. Stripe's cancel is a DELETE, which takes no idempotency key; a repeat is
   * refused as already canceled, and nothing is charged twice.
   * @see https://docs.stripe.com/api/subscriptions/cancel
   */
  cancel(
    key: IntegrationTaskKey,
    id: string,
    params?: StripeSdk.SubscriptionCancelParams,
  ): Promise<TaskOutput<Subscription>> {
    return this.task<Subscription>(key, (client) => client.subscriptions.cancel(id, params), {
      name: "Cancel Subscription",
      params: { id, ...params },
      properties: [{ label: "Subscription", text: id }],
      idempotency: "idempotent",
    });
  }

  /**
   * Lists subscriptions, newest first (one page; `listAll` walks them).
   * @see https://docs.stripe.com/api/subscriptions/list
   */
  list(
    key: IntegrationTaskKey,
    params?: StripeSdk.SubscriptionListParams,
  ): Promise<TaskOutput<StripeSdk.ApiList<Subscription>>> {
    return this.task<StripeSdk.ApiList<Subscription>>(key, (client) => client.subscriptions.list(params), {
      name: "List Subscriptions",
      ...(params !== undefined && { params }),
      properties: propertiesOf(params, { Customer: "customer", Status: "status" }),
      idempotency: "idempotent",
    });
  }

  /**
   * Every subscription up to `limit`, through the SDK's own auto-pagination.
   * @see https://docs.stripe.com/api/pagination/auto
   */
  listAll(
    key: IntegrationTaskKey,
    params: StripeSdk.SubscriptionListParams,
    options: { limit: number },
  ): Promise<TaskOutput<Subscription[]>> {
    return this.pages<Subscription>(
      key,
      { pages: (client) => client.subscriptions.list(params), limit: options.limit },
      { name: "List All Subscriptions", params, properties: propertiesOf(params, { Customer: "customer" }) },
    );
  }
}

import { type IntegrationTaskKey, propertiesOf, TaskNamespace, type TaskOutput } from "@autoflow/core";
import type StripeSdk from "stripe";

type PaymentIntent = StripeSdk.PaymentIntent;

function amountProperties(params: { amount?: number; currency?: string } | undefined) {
  return params?.amount !== undefined
    ? [
        {
          label: "Amount",
          text: `${params.amount}${params.currency ? ` ${params.currency.toUpperCase()}` : ""}`,
        },
      ]
    : [];
}

/**
 * `io.stripe.paymentIntents`: one payment, from creation to capture. Every write is sent with the task's
 * idempotency key, so a retried or replayed task never charges twice. Other methods pass through.
 */
export class PaymentIntents extends TaskNamespace<StripeSdk> {
  /**
   * Creates a PaymentIntent (`confirm: true` with a `payment_method` charges at once).
   * @see https://docs.stripe.com/api/payment_intents/create
   */
  create(
    key: IntegrationTaskKey,
    params: StripeSdk.PaymentIntentCreateParams,
  ): Promise<TaskOutput<PaymentIntent>> {
    return this.task<PaymentIntent>(key, (client) => client.paymentIntents.create(params), {
      name: "Create Payment Intent",
      params,
      properties: [...amountProperties(params), ...propertiesOf(params, { Customer: "customer" })],
      idempotency: "native",
    });
  }

  /**
   * Reads a PaymentIntent.
   * @see https://docs.stripe.com/api/payment_intents/retrieve
   */
  retrieve(
    key: IntegrationTaskKey,
    id: string,
    params?: StripeSdk.PaymentIntentRetrieveParams,
  ): Promise<TaskOutput<PaymentIntent>> {
    return this.task<PaymentIntent>(key, (client) => client.paymentIntents.retrieve(id, params), {
      name: "Retrieve Payment Intent",
      params: { id, ...params },
      properties: [{ label: "Payment Intent", text: id }],
      idempotency: "idempotent",
    });
  }

  /**
   * Updates a PaymentIntent that is not yet confirmed.
   * @see https://docs.stripe.com/api/payment_intents/update
   */
  update(
    key: IntegrationTaskKey,
    id: string,
    params: StripeSdk.PaymentIntentUpdateParams,
  ): Promise<TaskOutput<PaymentIntent>> {
    return this.task<PaymentIntent>(key, (client) => client.paymentIntents.update(id, params), {
      name: "Update Payment Intent",
      params: { id, ...params },
      properties: [{ label: "Payment Intent", text: id }, ...amountProperties(params)],
      idempotency: "native",
    });
  }

  /**
   * Confirms a PaymentIntent: the customer's payment method is charged (or authorized, with manual capture).
   * @see https://docs.stripe.com/api/payment_intents/confirm
   */
  confirm(
    key: IntegrationTaskKey,
    id: string,
    params?: StripeSdk.PaymentIntentConfirmParams,
  ): Promise<TaskOutput<PaymentIntent>> {
    return this.task<PaymentIntent>(key, (client) => client.paymentIntents.confirm(id, params), {
      name: "Confirm Payment Intent",
      params: { id, ...params },
      properties: [{ label: "Payment Intent", text: id }],
      idempotency: "native",
    });
  }

  /**
   * Captures an authorized PaymentIntent (`capture_method: manual`).
   * @see https://docs.stripe.com/api/payment_intents/capture
   */
  capture(
    key: IntegrationTaskKey,
    id: string,
    params?: StripeSdk.PaymentIntentCaptureParams,
  ): Promise<TaskOutput<PaymentIntent>> {
    return this.task<PaymentIntent>(key, (client) => client.paymentIntents.capture(id, params), {
      name: "Capture Payment Intent",
      params: { id, ...params },
      properties: [{ label: "Payment Intent", text: id }],
      idempotency: "native",
    });
  }

  /**
   * Cancels a PaymentIntent that has not succeeded.
   * @see https://docs.stripe.com/api/payment_intents/cancel
   */
  cancel(
    key: IntegrationTaskKey,
    id: string,
    params?: StripeSdk.PaymentIntentCancelParams,
  ): Promise<TaskOutput<PaymentIntent>> {
    return this.task<PaymentIntent>(key, (client) => client.paymentIntents.cancel(id, params), {
      name: "Cancel Payment Intent",
      params: { id, ...params },
      properties: [{ label: "Payment Intent", text: id }],
      idempotency: "native",
    });
  }

  /**
   * Lists PaymentIntents, newest first (one page; `listAll` walks them).
   * @see https://docs.stripe.com/api/payment_intents/list
   */
  list(
    key: IntegrationTaskKey,
    params?: StripeSdk.PaymentIntentListParams,
  ): Promise<TaskOutput<StripeSdk.ApiList<PaymentIntent>>> {
    return this.task<StripeSdk.ApiList<PaymentIntent>>(key, (client) => client.paymentIntents.list(params), {
      name: "List Payment Intents",
      ...(params !== undefined && { params }),
      properties: propertiesOf(params, { Customer: "customer" }),
      idempotency: "idempotent",
    });
  }

  /**
   * Every PaymentIntent up to `limit`, through the SDK's own auto-pagination.
   * @see https://docs.stripe.com/api/pagination/auto
   */
  listAll(
    key: IntegrationTaskKey,
    params: StripeSdk.PaymentIntentListParams,
    options: { limit: number },
  ): Promise<TaskOutput<PaymentIntent[]>> {
    return this.pages<PaymentIntent>(
      key,
      { pages: (client) => client.paymentIntents.list(params), limit: options.limit },
      {
        name: "List All Payment Intents",
        params,
        properties: propertiesOf(params, { Customer: "customer" }),
      },
    );
  }
}

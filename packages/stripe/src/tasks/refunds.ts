import { type IntegrationTaskKey, propertiesOf, TaskNamespace, type TaskOutput } from "@autoflow/core";
import type StripeSdk from "stripe";

/** `io.stripe.refunds`: money back to the customer. Other `refunds.*` methods pass through. */
export class Refunds extends TaskNamespace<StripeSdk> {
  /**
   * Refunds a payment, whole or in part; sent once, with the task's idempotency key.
   * @see https://docs.stripe.com/api/refunds/create
   */
  create(
    key: IntegrationTaskKey,
    params: StripeSdk.RefundCreateParams,
  ): Promise<TaskOutput<StripeSdk.Refund>> {
    return this.task<StripeSdk.Refund>(key, (client) => client.refunds.create(params), {
      name: "Create Refund",
      params,
      properties: propertiesOf(params, {
        "Payment Intent": "payment_intent",
        Charge: "charge",
        Amount: "amount",
      }),
      idempotency: "native",
    });
  }

  /**
   * Reads a refund.
   * @see https://docs.stripe.com/api/refunds/retrieve
   */
  retrieve(
    key: IntegrationTaskKey,
    id: string,
    params?: StripeSdk.RefundRetrieveParams,
  ): Promise<TaskOutput<StripeSdk.Refund>> {
    return this.task<StripeSdk.Refund>(key, (client) => client.refunds.retrieve(id, params), {
      name: "Retrieve Refund",
      params: { id, ...params },
      properties: [{ label: "Refund", text: id }],
      idempotency: "idempotent",
    });
  }
}

import { type IntegrationTaskKey, TaskNamespace, type TaskOutput } from "@autoflow/core";
import type StripeSdk from "stripe";

/** `io.stripe.balance`: the account's funds. */
export class Balance extends TaskNamespace<StripeSdk> {
  /**
   * Reads the balance: available and pending funds per currency.
   * @see https://docs.stripe.com/api/balance/balance_retrieve
   */
  retrieve(
    key: IntegrationTaskKey,
    params?: StripeSdk.BalanceRetrieveParams,
  ): Promise<TaskOutput<StripeSdk.Balance>> {
    return this.task<StripeSdk.Balance>(key, (client) => client.balance.retrieve(params), {
      name: "Retrieve Balance",
      ...(params !== undefined && { params }),
      idempotency: "idempotent",
    });
  }
}
